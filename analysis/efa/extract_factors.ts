import { InputError } from '../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import { minimizeWithinBounds } from './bounded_quasi_newton.js';
import { symmetricEigen, symmetricEigenTop, symmetricEigenTopScaled } from './symmetric_eigen.js';
import { squaredMultipleCorrelations } from './squared_multiple_correlations.js';
import type { CorrelationFactor } from './correlation_factor.js';

export type ExtractionMethod = 'minres' | 'ml' | 'pa';

export interface ExtractionOptions {
  /** minres (default, psych's), ml or pa. */
  readonly method?: ExtractionMethod;
  /** Principal axis: stop when the summed communalities change by less than this (psych's min.err). */
  readonly minErr?: number;
  /** Principal axis: most iterations (psych's max.iter). */
  readonly maxIter?: number;
  /**
   * minres/ML: stop when the largest projected-gradient component is below this (default 1e-8, about
   * what the objective's rounding lets a line search resolve, and far tighter than R's optim).
   * Parallel analysis uses a looser value for its random-data fits.
   */
  readonly tolerance?: number;
  /** The Cholesky factor and inverse of `r`, when the caller has them (used only if `r` is a correlation matrix). */
  readonly factor?: CorrelationFactor;
}

/** The unrotated common-factor solution of a correlation or covariance matrix. */
export interface FactorExtraction {
  /** p × k unrotated loadings in the metric of the input matrix, each column's sum positive (psych's sign rule). */
  readonly loadings: number[][];
  /** Diagonal of the common part, h²_i = Σ_k λ²_ik (psych's `communality`). */
  readonly communalities: number[];
  /** Diagonal of R − ΛΛ′ (psych's `uniquenesses`). */
  readonly uniquenesses: number[];
  /**
   * Eigenvalues of R with its diagonal replaced by the communalities (psych's `values`), largest first;
   * for pa, of the reduced matrix of the last iteration, as psych reports them.
   */
  readonly values: number[];
  /** The fitted objective: ML discrepancy, minres residual sum of squares, or NaN for pa. */
  readonly objective: number;
  readonly method: ExtractionMethod;
  readonly nfactors: number;
  readonly diagnostics: Diagnostics;
}

/** psych's box for the uniquenesses of minres and ML (optim's lower = .005, upper = max(SMC, 1)). */
const PSI_LOWER = 0.005;

/**
 * Extracts `nfactors` common factors from a correlation (or covariance) matrix `r`, unrotated.
 *
 * - `ml`: maximum likelihood, minimising F(Ψ) = Σ_{j>k} (γ_j − log γ_j − 1) over the uniquenesses Ψ,
 *   γ the eigenvalues of Ψ^{-1/2} R Ψ^{-1/2}, with Λ = Ψ^{1/2} V_k (Γ_k − I)^{1/2}
 *   (Jöreskog, 1967, doi:10.1007/BF02289658; Lawley & Maxwell, 1971).
 * - `minres`: unweighted least squares (Harman & Jones, 1966, doi:10.1007/BF02289468): minimises the
 *   squared residuals of R − ΛΛ′ with Λ the first k principal axes of R − Ψ, over Ψ, with its analytic gradient.
 * - `pa`: iterated principal axes from squared multiple correlations, stopping when the summed
 *   communalities change by less than `minErr` or after `maxIter` iterations.
 *
 * Starting values are 1 − SMC; Ψ is kept in [0.005, 1] as psych does. Matches psych::fa 2.2.9
 * (`fm = "minres" | "ml" | "pa"`, `rotate = "none"`): psych stops R's L-BFGS-B at a looser tolerance,
 * so its minres/ML answers differ from these by the optimiser's slack (typically < 1e-5).
 * A covariance matrix is fitted on its correlation scale and the loadings and uniquenesses are
 * returned in the covariance metric (ML is scale invariant; the bounds then apply to standardised
 * uniquenesses). Heywood cases (a uniqueness at its bound, a communality ≥ 1) and non-convergence are
 * reported in `diagnostics`.
 */
export function extractFactors(
  r: readonly (readonly number[])[],
  nfactors: number,
  { method = 'minres', minErr = 0.001, maxIter = 50, tolerance = 1e-8, factor }: ExtractionOptions = {},
): FactorExtraction {
  const p = r.length;
  if (p < 2 || r.some((row) => row.length !== p)) {
    throw new InputError('r', `the matrix to factor must be square with at least 2 rows; got ${p} rows.`);
  }
  const flat = new Float64Array(p * p);
  // native passes over the rows (a JavaScript loop over p² entries is slow before V8 optimises it): a
  // present entry that is not a finite number fails `every`, a hole becomes NaN in the copy
  let valid = true;
  for (let i = 0; i < p; i++) {
    const row = r[i];
    if (!row.every(Number.isFinite) || !(row[i] > 0)) valid = false;
    flat.set(row, i * p);
  }
  if (!valid || flat.includes(NaN)) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        if (!Number.isFinite(r[i][j])) {
          throw new InputError('r', `the matrix to factor has a missing or infinite value at row ${i + 1}, column ${j + 1}.`);
        }
      }
      if (!(r[i][i] > 0)) throw new InputError('r', `the matrix to factor has a non-positive variance on row ${i + 1}.`);
    }
  }
  if (!Number.isInteger(nfactors) || nfactors < 1 || nfactors >= p) {
    throw new InputError('nfactors', `nfactors must be a whole number from 1 to ${p - 1}; got ${nfactors}.`);
  }
  if (!['minres', 'ml', 'pa'].includes(method)) {
    throw new InputError('method', `method must be one of minres, ml, pa; got "${method}".`);
  }
  const sd = r.map((row, i) => Math.sqrt(row[i]));
  const isCorrelation = sd.every((s) => Math.abs(s - 1) < 1e-12);
  // the fits only read the matrix, so a correlation matrix is used as it is
  const rc = isCorrelation ? (r as number[][]) : r.map((row, i) => row.map((v, j) => (i === j ? 1 : v / (sd[i] * sd[j]))));
  if (!isCorrelation) for (let i = 0; i < p; i++) flat.set(rc[i], i * p);
  const smc = squaredMultipleCorrelations(rc, isCorrelation ? factor : undefined);

  // the fits read rc row-major from `flat` (ml) or a copy of it (minres, pa)
  const fit = method === 'pa' ? principalAxes(flat, p, nfactors, smc, minErr, maxIter) : method === 'ml' ? maximumLikelihood(flat, p, nfactors, smc, tolerance) : minimumResidual(flat, p, nfactors, smc, tolerance);
  const loadings = fit.loadings;
  // psych's sign convention: every column sums to a positive number
  for (let k = 0; k < nfactors; k++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += loadings[i][k];
    if (s < 0) for (let i = 0; i < p; i++) loadings[i][k] = -loadings[i][k];
  }
  const communalities = new Array<number>(p);
  for (let i = 0; i < p; i++) {
    const row = loadings[i];
    let h = 0;
    for (let j = 0; j < nfactors; j++) h += row[j] * row[j];
    communalities[i] = h;
  }
  const warnings = [...fit.warnings];
  const heywood = communalities.map((h, i) => (h >= 1 ? i + 1 : 0)).filter((i) => i > 0);
  if (heywood.length > 0) {
    warnings.push(`Heywood case: communality at or above 1 for variable${heywood.length > 1 ? 's' : ''} ${heywood.join(', ')}.`);
  }
  // psych's `values`: for pa the eigenvalues of the last iteration's reduced matrix; for minres and
  // ML an eigen decomposition of its own, made only when read (an EFA does not report them)
  let values = fit.values;
  const reducedValues = (): number[] => {
    const withCommunalities = rc.map((row, i) => row.map((v, j) => (i === j ? communalities[i] : v)));
    return Array.from(symmetricEigen(withCommunalities, undefined, false).values);
  };
  const scaledLoadings = isCorrelation ? loadings : loadings.map((row, i) => row.map((v) => v * sd[i]));
  const uniquenesses = communalities.map((h, i) => (1 - h) * (isCorrelation ? 1 : r[i][i]));
  return {
    loadings: scaledLoadings,
    communalities: isCorrelation ? communalities : communalities.map((h, i) => h * r[i][i]),
    uniquenesses,
    get values() {
      return (values ??= reducedValues());
    },
    objective: fit.objective,
    method,
    nfactors,
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings },
  };
}

interface RawFit {
  loadings: number[][];
  values?: number[];
  objective: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
}

/** Loadings from the first k eigenpairs: V_k diag(√max(transform(value), 0)). */
function principalLoadings(vectors: Float64Array, values: ArrayLike<number>, p: number, k: number, transform: (v: number) => number, stride = k): number[][] {
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) scale[j] = Math.sqrt(Math.max(transform(values[j]), 0));
  const out: number[][] = [];
  for (let i = 0; i < p; i++) {
    const row = new Array<number>(k);
    for (let j = 0; j < k; j++) row[j] = vectors[i * stride + j] * scale[j];
    out.push(row);
  }
  return out;
}

function boundWarnings(psi: Float64Array): string[] {
  const at = Array.from(psi, (v, i) => (v <= PSI_LOWER * (1 + 1e-9) ? i + 1 : 0)).filter((i) => i > 0);
  return at.length > 0
    ? [`Heywood case: uniqueness held at its lower bound ${PSI_LOWER} for variable${at.length > 1 ? 's' : ''} ${at.join(', ')}.`]
    : [];
}

function maximumLikelihood(flat: Float64Array, p: number, k: number, smc: number[], tolerance: number): RawFit {
  const upper = Math.max(1, ...smc);
  const scaled = new Float64Array(p * p);
  const inverseRoot = new Float64Array(p);
  const root = new Float64Array(k);
  const last = new LastEigen(p);
  const objective = (psi: Float64Array, grad: Float64Array): number => {
    for (let i = 0; i < p; i++) inverseRoot[i] = 1 / Math.sqrt(psi[i]);
    // of Ψ^{-1/2} R Ψ^{-1/2}
    const { values, vectors } = last.keep(psi, symmetricEigenTopScaled(flat, inverseRoot, p, k, scaled));
    let f = 0;
    for (let j = k; j < p; j++) {
      const e = values[j];
      if (!(e > 0)) return Infinity;
      f += Math.log(e) - e;
    }
    f = -(f - k + p);
    // gradient: diag(ΛΛ′ + Ψ − R) / Ψ², with Λ = Ψ^{1/2} V_k (Γ_k − I)^{1/2}
    for (let j = 0; j < k; j++) root[j] = Math.sqrt(Math.max(values[j] - 1, 0));
    for (let i = 0; i < p; i++) {
      let common = 0;
      for (let j = 0; j < k; j++) {
        const l = vectors[i * k + j] * root[j];
        common += l * l;
      }
      common *= psi[i];
      grad[i] = (common + psi[i] - flat[i * p + i]) / (psi[i] * psi[i]);
    }
    return f;
  };
  const res = minimizeWithinBounds(objective, smc.map((s) => 1 - s), PSI_LOWER, upper, { gradientTolerance: tolerance });
  // the decomposition at the optimum: usually the optimiser's last evaluation
  let top = last.at(res.x);
  if (!top) {
    for (let i = 0; i < p; i++) {
      const si = 1 / Math.sqrt(res.x[i]);
      for (let j = 0; j < p; j++) scaled[i * p + j] = flat[i * p + j] * si / Math.sqrt(res.x[j]);
    }
    top = symmetricEigenTop(scaled, p, k);
  }
  const { values, vectors } = top;
  const loadings = principalLoadings(vectors, values, p, k, (v) => v - 1);
  for (let i = 0; i < p; i++) {
    const row = loadings[i];
    const s = Math.sqrt(res.x[i]);
    for (let j = 0; j < k; j++) row[j] *= s;
  }
  const warnings = boundWarnings(res.x);
  if (!res.converged) warnings.push(`maximum likelihood did not converge in ${res.iterations} iterations (projected gradient ${res.gradientNorm.toExponential(2)}).`);
  return { loadings, objective: res.value, converged: res.converged, iterations: res.iterations, warnings };
}

/**
 * The eigen decomposition of an objective's last evaluation and the point it was made at: the
 * loadings at the optimum come from it instead of a decomposition of the same matrix again.
 */
class LastEigen {
  private readonly x: Float64Array;
  private eigen: { values: Float64Array; vectors: Float64Array } | null = null;

  constructor(n: number) {
    this.x = new Float64Array(n);
  }

  keep(x: Float64Array, eigen: { values: Float64Array; vectors: Float64Array }): { values: Float64Array; vectors: Float64Array } {
    this.x.set(x);
    this.eigen = eigen;
    return eigen;
  }

  /** The decomposition kept for exactly the point `x`, else null. */
  at(x: Float64Array): { values: Float64Array; vectors: Float64Array } | null {
    if (this.eigen === null) return null;
    for (let i = 0; i < x.length; i++) if (x[i] !== this.x[i]) return null;
    return this.eigen;
  }
}

function minimumResidual(flat: Float64Array, p: number, k: number, smc: number[], tolerance: number): RawFit {
  const upper = Math.max(1, ...smc);
  const reduced = flat.slice();
  const diagonal = new Float64Array(p);
  for (let i = 0; i < p; i++) diagonal[i] = flat[i * p + i];
  const positive = new Float64Array(k);
  const last = new LastEigen(p);
  // F(Ψ) = ‖(R − Ψ) − ΛΛ′‖², Λ the leading k principal axes of R − Ψ; ∂F/∂Ψ_i = 2 (ΛΛ′ + Ψ − R)_ii
  const objective = (psi: Float64Array, grad: Float64Array): number => {
    for (let i = 0; i < p; i++) reduced[i * p + i] = diagonal[i] - psi[i];
    const { values, vectors } = last.keep(psi, symmetricEigenTop(reduced, p, k));
    let f = 0;
    for (let j = 0; j < p; j++) {
      const e = values[j];
      if (j >= k || e < 0) f += e * e;
    }
    for (let j = 0; j < k; j++) positive[j] = Math.max(values[j], 0);
    for (let i = 0; i < p; i++) {
      let common = 0;
      for (let j = 0; j < k; j++) {
        const l = vectors[i * k + j];
        common += l * l * positive[j];
      }
      grad[i] = 2 * (common + psi[i] - diagonal[i]);
    }
    return f;
  };
  const res = minimizeWithinBounds(objective, smc.map((s) => 1 - s), PSI_LOWER, upper, { gradientTolerance: tolerance });
  // the decomposition at the optimum: usually the optimiser's last evaluation
  for (let i = 0; i < p; i++) reduced[i * p + i] = diagonal[i] - res.x[i];
  const { values, vectors } = last.at(res.x) ?? symmetricEigenTop(reduced, p, k);
  const loadings = principalLoadings(vectors, values, p, k, (v) => v);
  const warnings = boundWarnings(res.x);
  if (!res.converged) warnings.push(`minres did not converge in ${res.iterations} iterations (projected gradient ${res.gradientNorm.toExponential(2)}).`);
  return { loadings, objective: res.value / 2, converged: res.converged, iterations: res.iterations, warnings };
}

function principalAxes(flat: Float64Array, p: number, k: number, smc: number[], minErr: number, maxIter: number): RawFit {
  const m = flat.slice();
  for (let i = 0; i < p; i++) m[i * p + i] = smc[i];
  let comm = smc.reduce((a, v) => a + v, 0);
  let err = comm;
  let iterations = 0;
  let loadings: number[][] = [];
  let lastValues: number[] = [];
  let converged = true;
  while (err > minErr) {
    const { values, vectors } = symmetricEigenTop(m, p, k);
    lastValues = Array.from(values);
    loadings = principalLoadings(vectors, values, p, k, (v) => v);
    let comm1 = 0;
    for (let i = 0; i < p; i++) {
      let h = 0;
      for (let j = 0; j < k; j++) h += loadings[i][j] * loadings[i][j];
      m[i * p + i] = h;
      comm1 += h;
    }
    err = Math.abs(comm - comm1);
    comm = comm1;
    iterations++;
    if (iterations + 1 > maxIter) {
      if (err > minErr) converged = false;
      break;
    }
  }
  const warnings = converged ? [] : [`principal axes reached the maximum of ${maxIter} iterations before the communalities changed by less than ${minErr}.`];
  return { loadings, values: lastValues, objective: NaN, converged, iterations, warnings };
}
