import { InputError } from '../errors.js';
import { answerCorrelation, correlationOfColumns } from './column_correlation.js';
import type { Diagnostics } from '../diagnostics.js';
import type { MissingPolicy } from '../data/covariance.js';
import { answerValues, columnsFromRows, type AnswerColumns, type NumericColumns } from '../data/columns.js';
import { polychoricCorrelation } from '../data/polychoric.js';
import type { ExtractionMethod } from './extract_factors.js';
import { factorAnalysis, type Rotation } from './factor_analysis.js';
import { kaiserMeyerOlkin } from './sampling_adequacy.js';
import { bartlettSphericity } from './bartlett_sphericity.js';
import { correlationFactor } from './correlation_factor.js';
import { itemRetention, type ItemRetention, type RetentionCriteria } from './item_retention.js';

export type CorrelationType = 'pearson' | 'poly';

export interface EfaOptions extends RetentionCriteria {
  readonly items: readonly string[];
  readonly nfactors: number;
  readonly method?: ExtractionMethod;
  readonly rotate?: Rotation;
  readonly cor?: CorrelationType;
  readonly missing?: MissingPolicy;
}

/** An exploratory factor analysis of item data, labelled by item, as the `efa` command reports it. */
export interface EfaResult {
  /** Rows used: listwise, the complete rows; pairwise, all rows (psych's n.obs). */
  readonly n: number;
  readonly nfactors: number;
  readonly method: ExtractionMethod;
  readonly rotate: Rotation;
  readonly cor: CorrelationType;
  readonly missing: MissingPolicy;
  readonly loadings: Record<string, number[]>;
  readonly structure: Record<string, number[]>;
  readonly communalities: Record<string, number>;
  readonly uniquenesses: Record<string, number>;
  readonly phi: number[][];
  readonly ssLoadings: number[];
  readonly eigenvalues: number[];
  readonly kmo: number;
  readonly kmoItems: Record<string, number>;
  readonly bartlett: { chisq: number; df: number; p: number };
  readonly fit: { chisq: number; df: number; pValue: number; rmsea: number; tli: number; bic: number; objective: number; rms: number };
  readonly retention: ItemRetention[];
  readonly diagnostics: Diagnostics;
}

/**
 * Exploratory factor analysis of item responses (`data`: one column per item, or rows × items; NaN
 * missing; columns may be the reader's one-byte rating columns, whose Pearson correlations are then
 * formed from the bytes directly when no answer is missing): the Pearson (listwise or pairwise) or polychoric correlation matrix, its eigenvalues, KMO
 * and Bartlett's test, the factor solution of `factorAnalysis`, and the item-retention table. Matches
 * psych::fa 2.2.9 (`cor = "cor"` or `"poly"`, `use = "complete"` or `"pairwise"`), psych::KMO,
 * psych::cortest.bartlett.
 */
export function exploratoryFactorAnalysis(data: NumericColumns | AnswerColumns | readonly (readonly number[])[], options: EfaOptions): EfaResult {
  const { items, nfactors, cor = 'pearson', missing = 'listwise' } = options;
  const p = items.length;
  if (p < 3) throw new InputError('items', `items must name at least 3 columns for a factor analysis; got ${p}.`);
  if (!Number.isInteger(nfactors) || nfactors < 1 || nfactors > p - 1) {
    throw new InputError('nfactors', `nfactors must be a whole number from 1 to ${p - 1} (one less than the number of items); got ${nfactors}.`);
  }
  const stored = Array.isArray(data) ? columnsFromRows(data as readonly (readonly number[])[], p) : (data as AnswerColumns);
  if (stored.columns.length !== p) throw new InputError('items', `the data have ${stored.columns.length} columns for ${p} items.`);
  // ratings stored a byte each and none missing: Pearson correlations from the bytes, no wider copy
  const bytes = cor === 'pearson' && stored.columns.every((col) => col instanceof Uint8Array) ? answerCorrelation(stored.columns as Uint8Array[], stored.length) : null;
  if (bytes !== null) {
    if (stored.length < 3) throw new InputError('csv', tooFewRows(stored.length, missing));
    const flat = bytes.constant.indexOf(true);
    if (flat >= 0) throw new InputError('items', noVariance(items[flat]));
    // from exact sums of columns that vary: every correlation is a number
    return analyse(bytes.r, stored.length, [], options, true);
  }
  const length = stored.length;
  const columns = stored.columns.map((col) => (col instanceof Float64Array ? col : answerValues(col, length)));
  // rows used: listwise the complete ones, pairwise all
  const used = new Uint8Array(length).fill(1);
  let n = length;
  if (missing === 'listwise') {
    for (const col of columns) {
      for (let i = 0; i < length; i++) {
        if (used[i] && Number.isNaN(col[i])) {
          used[i] = 0;
          n--;
        }
      }
    }
  }
  if (n < 3) throw new InputError('csv', tooFewRows(n, missing));
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let first = NaN;
    let varies = false;
    for (let i = 0; i < length && !varies; i++) {
      const v = col[i];
      if (!used[i] || Number.isNaN(v)) continue;
      if (Number.isNaN(first)) first = v;
      else if (v !== first) varies = true;
    }
    if (!varies) throw new InputError('items', noVariance(items[j]));
  }
  const warnings: string[] = [];
  let r: number[][];
  if (cor === 'poly') {
    const rows: number[][] = [];
    for (let i = 0; i < length; i++) if (used[i]) rows.push(columns.map((col) => col[i]));
    const poly = polychoricCorrelation(rows);
    r = poly.rho;
    warnings.push(...poly.diagnostics.warnings);
  } else {
    r = correlationOfColumns(columns, length, missing).r;
  }
  return analyse(r, n, warnings, options);
}

function noVariance(item: string): string {
  return `item ${item} has no variance in the rows used (every answer is the same), so it cannot be factored.`;
}

function tooFewRows(n: number, missing: MissingPolicy): string {
  return `the data have ${n} usable row${n === 1 ? '' : 's'}${missing === 'listwise' ? ' without missing values' : ''}; a factor analysis needs more.`;
}

/**
 * The analysis of the correlation matrix `r` of n observations (`warnings` so far: the polychoric
 * estimation's); `finite`: every correlation is known to be a number, so none is checked.
 */
function analyse(r: number[][], n: number, warnings: string[], options: EfaOptions, finite = false): EfaResult {
  const { items, nfactors, method = 'minres', rotate = 'oblimin', cor = 'pearson', missing = 'listwise' } = options;
  const p = items.length;
  for (let i = 0; i < p && !finite; i++) {
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(r[i][j])) {
        throw new InputError('items', `the correlation of ${items[i]} and ${items[j]} cannot be computed (too few shared answers or no variance).`);
      }
    }
  }
  // one Cholesky factor and inverse of R for the SMC, the fit, KMO and Bartlett
  const factor = correlationFactor(r);
  const fa = factorAnalysis(r, nfactors, { method, rotate, n, factor });
  warnings.push(...fa.diagnostics.warnings);
  const smallest = fa.eigenvalues[fa.eigenvalues.length - 1];
  if (cor === 'pearson' && smallest < 2 ** -52) {
    warnings.push(
      `the ${missing} correlation matrix is not positive definite (smallest eigenvalue ${smallest.toPrecision(3)}); ` +
        'the fit statistics use a smoothed matrix, as psych::fa does, and KMO may be undefined.',
    );
  }
  let kmo: { overall: number; items: number[] };
  try {
    kmo = kaiserMeyerOlkin(r, factor);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    warnings.push('the correlation matrix is singular (an item is a linear combination of others), so KMO is not defined.');
    kmo = { overall: NaN, items: items.map(() => NaN) };
  }
  const bartlett = bartlettSphericity(r, n, factor);
  const byItem = <T>(values: readonly T[]): Record<string, T> => Object.fromEntries(items.map((it, i) => [it, values[i]]));
  return {
    n,
    nfactors,
    method,
    rotate: fa.rotate,
    cor,
    missing,
    loadings: byItem(fa.loadings),
    structure: byItem(fa.structure),
    communalities: byItem(fa.communalities),
    uniquenesses: byItem(fa.uniquenesses),
    phi: fa.phi,
    ssLoadings: fa.ssLoadings,
    eigenvalues: fa.eigenvalues,
    kmo: kmo.overall,
    kmoItems: byItem(kmo.items),
    bartlett,
    fit: {
      chisq: fa.fit.chisq,
      df: fa.fit.df,
      pValue: fa.fit.pValue,
      rmsea: fa.fit.rmsea,
      tli: fa.fit.tli,
      bic: fa.fit.bic,
      objective: fa.fit.objective,
      rms: fa.fit.rms,
    },
    retention: itemRetention(items, fa.loadings, fa.communalities, options),
    diagnostics: { converged: fa.diagnostics.converged, iterations: fa.diagnostics.iterations, warnings },
  };
}
