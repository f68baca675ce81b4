import { InputError } from '../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import { columnCorrelationMatrix, completeMask, type MissingPolicy } from '../data/covariance.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import { Prng } from '../math/random.js';
import { quantileType7 } from '../math/quantile.js';
import { extractFactors, type ExtractionMethod } from './extract_factors.js';
import { symmetricEigenvalues } from './symmetric_eigen.js';
import { columnCorrelation, correlationOfColumns } from './column_correlation.js';

/** Horn's parallel analysis: observed eigenvalues against those of random data. */
export interface ParallelAnalysis {
  readonly n: number;
  readonly iterations: number;
  readonly seed: number;
  /** The quantile of the random eigenvalues compared with, or null when the means are used. */
  readonly quantile: number | null;
  readonly method: ExtractionMethod;
  /** Eigenvalues of the observed correlation matrix (principal components). */
  readonly eigenvalues: number[];
  /** Eigenvalues of the observed matrix with communalities from a one-factor solution on the diagonal (psych's fa.values). */
  readonly factorEigenvalues: number[];
  /** Per position: mean and chosen quantile of the component and factor eigenvalues of normal random data. */
  readonly simulated: { readonly components: Reference; readonly factors: Reference };
  /** The same for data resampled column by column from the observed answers. */
  readonly resampled: { readonly components: Reference; readonly factors: Reference };
  /** Leading observed eigenvalues that exceed the resampled reference (psych's fa.test / pc.test). */
  readonly nfactors: number;
  readonly ncomponents: number;
  readonly diagnostics: Diagnostics;
}

interface Reference {
  readonly mean: number[];
  readonly quantile: number[];
}

/** Gradient tolerance of the one-factor fits to random data: their eigenvalues are needed to ~1e-6, not 1e-12. */
const RANDOM_FIT_TOLERANCE = 1e-6;

export interface ParallelAnalysisOptions {
  readonly iterations?: number;
  readonly seed?: number;
  /** Quantile of the random eigenvalues (default .95, psych's quant); null compares with their means (Horn, 1965). */
  readonly quantile?: number | null;
  readonly method?: ExtractionMethod;
  readonly missing?: MissingPolicy;
}

/**
 * Parallel analysis (Horn, 1965, doi:10.1007/BF02289447) as psych::fa.parallel 2.2.9 does it with
 * fa = "both": the eigenvalues of the observed correlation matrix (components) and of that matrix with
 * one-factor communalities on its diagonal (factors) are compared, position by position, with the
 * `quantile` (default .95; or the mean) of the same eigenvalues over `iterations` data sets of the
 * same size, both normal random data and the observed columns resampled independently with
 * replacement. The number of factors (components) is the count of leading observed values above the
 * resampled reference, as psych reports it. Seeded (xoshiro128**), so reproducible; R's random
 * streams differ, so the random references agree with psych's in distribution, not digit by digit.
 * One systematic difference: psych's optimiser occasionally leaves a one-factor fit of random data at
 * a degenerate point (a first factor eigenvalue near 1), which inflates its mean factor references
 * slightly; these fits converge, so their medians agree with psych's and their means are a little lower.
 */
export function parallelAnalysis(data: NumericColumns | readonly (readonly number[])[], options: ParallelAnalysisOptions = {}): ParallelAnalysis {
  return parallelAnalysisWithCorrelation(data, options).parallel;
}

/**
 * {@link parallelAnalysis} and the observed correlation matrix it compared (listwise: of the
 * complete rows; pairwise: each pair's), for analyses of the same matrix (MAP, the retention fit)
 * without a second pass over the data. `data` is column-stored (the CSV reader's columns, read
 * without copying) or rows × items.
 */
export function parallelAnalysisWithCorrelation(
  data: NumericColumns | readonly (readonly number[])[],
  options: ParallelAnalysisOptions = {},
): { readonly parallel: ParallelAnalysis; readonly r: number[][] } {
  const { iterations = 20, seed = 1, quantile = 0.95, method = 'minres', missing = 'listwise' } = options;
  if (!Number.isInteger(iterations) || iterations < 1) throw new InputError('iterations', `iterations must be a whole number of at least 1; got ${iterations}.`);
  if (quantile !== null && !(quantile > 0 && quantile < 1)) throw new InputError('quantile', `quantile must be between 0 and 1; got ${quantile}.`);
  const { columns, n } = usedColumns(isNumericColumns(data) ? data : columnsFromRows(data, data.length > 0 ? data[0].length : 0), missing);
  const p = n > 0 ? columns.length : 0;
  if (p < 3) throw new InputError('items', `parallel analysis needs at least 3 items; got ${p}.`);
  if (n < 3) throw new InputError('csv', `the data have ${n} usable rows; parallel analysis needs more.`);
  const warnings: string[] = [];
  const r = missing === 'listwise' ? correlationOfColumns(columns, n, 'listwise').r : columnCorrelationMatrix(columns, n, { missing }).r;
  if (r.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new InputError('items', 'a correlation between two items cannot be computed (an item has no variance or too few shared answers).');
  }
  const eigenvalues = symmetricEigenvalues(r);
  const observedFit = extractFactors(r, 1, { method });
  const factorEigenvalues = observedFit.values;
  const rng = new Prng(seed);
  const samp: number[][] = [];
  const sampFa: number[][] = [];
  const sim: number[][] = [];
  const simFa: number[][] = [];
  let failures = 0;
  const complete = columns.every((col) => col.every((v) => !Number.isNaN(v)));
  const drawn = Array.from({ length: p }, () => new Float64Array(n));
  for (let it = 0; it < iterations; it++) {
    // resampled: each column drawn with replacement from its own values (psych resamples until no NA correlation)
    let c: number[][] | null = null;
    for (let attempt = 0; attempt < 100 && c === null; attempt++) {
      for (let j = 0; j < p; j++) {
        const col = columns[j];
        const out = drawn[j];
        for (let i = 0; i < n; i++) out[i] = col[rng.int(n)];
      }
      const cr = complete
        ? columnCorrelation(drawn, n)
        : columnCorrelationMatrix(drawn, n, { missing: 'pairwise' }).r;
      if (cr.every((row) => row.every((v) => Number.isFinite(v)))) c = cr;
    }
    if (c === null) throw new InputError('items', 'resampled data kept producing undefined correlations; an item has almost no variance.');
    samp.push(symmetricEigenvalues(c));
    const fs = extractFactors(c, 1, { method, tolerance: RANDOM_FIT_TOLERANCE });
    if (!fs.diagnostics.converged) failures++;
    sampFa.push(fs.values);
    for (let j = 0; j < p; j++) {
      const out = drawn[j];
      for (let i = 0; i < n; i++) out[i] = rng.normal();
    }
    const cs = columnCorrelation(drawn, n);
    sim.push(symmetricEigenvalues(cs));
    const fsim = extractFactors(cs, 1, { method, tolerance: RANDOM_FIT_TOLERANCE });
    if (!fsim.diagnostics.converged) failures++;
    simFa.push(fsim.values);
  }
  if (failures > 0) warnings.push(`${failures} one-factor fits of random data did not converge.`);
  const summarise = (sets: number[][]): Reference => ({
    mean: Array.from({ length: p }, (_, k) => sets.reduce((a, s) => a + s[k], 0) / sets.length),
    quantile: Array.from({ length: p }, (_, k) => quantileType7(sets.map((s) => s[k]).sort((a, b) => a - b), quantile ?? 0.5)),
  });
  const resampled = { components: summarise(samp), factors: summarise(sampFa) };
  const simulated = { components: summarise(sim), factors: summarise(simFa) };
  const reference = (ref: Reference) => (quantile === null ? ref.mean : ref.quantile);
  const countAbove = (obs: number[], ref: number[]) => {
    let k = 0;
    while (k < obs.length && obs[k] > ref[k]) k++;
    return k;
  };
  const parallel: ParallelAnalysis = {
    n,
    iterations,
    seed,
    quantile,
    method,
    eigenvalues,
    factorEigenvalues,
    simulated,
    resampled,
    nfactors: countAbove(factorEigenvalues, reference(resampled.factors)),
    ncomponents: countAbove(eigenvalues, reference(resampled.components)),
    diagnostics: { converged: failures === 0, iterations, warnings },
  };
  return { parallel, r };
}

/**
 * The observations a parallel analysis uses, as columns of length n: listwise, the complete rows
 * (copied only when some row is incomplete); pairwise, every row.
 */
function usedColumns(data: NumericColumns, missing: MissingPolicy): { columns: Float64Array[]; n: number } {
  const all = data.columns.map((col) => col.subarray(0, data.length));
  if (missing !== 'listwise') return { columns: all, n: data.length };
  const keep = completeMask(all, data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) n += keep[i];
  if (n === data.length) return { columns: all, n };
  const columns = all.map((col) => {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < col.length; i++) if (keep[i]) out[k++] = col[i];
    return out;
  });
  return { columns, n };
}
