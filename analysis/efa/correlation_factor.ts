import { CHOLESKY_KERNEL_ORDER_COLD, cholesky, choleskyInverse, choleskyLogDet } from '../math/cholesky.js';

/**
 * The Cholesky factor of a correlation matrix R = L L′ and the inverse R⁻¹ = L⁻′ L⁻¹ it gives,
 * computed once for everything an exploratory factor analysis derives from R: the squared
 * multiple correlations that start the extraction (1 − 1/(R⁻¹)_ii), KMO's anti-image
 * correlations (from R⁻¹), Bartlett's ln|R| = 2 Σ ln L_ii and the fit statistics' ln|R|. Each
 * of those applies its own test to the factor (psych falls back to other routes for a matrix
 * that is singular or nearly so), so sharing it changes no number, only the O(p³) work repeated.
 * The factor and the inverse stay row-major Float64Arrays (p × p row arrays cost a copy each,
 * and at p = 270 that copy took as long as the factorisation).
 */
export interface CorrelationFactor {
  /** The matrix factored (the same array the caller passes on with this object). */
  readonly r: readonly (readonly number[])[];
  /** Order of R. */
  readonly p: number;
  /** Lower Cholesky factor of R, row-major p × p, or null when R is not positive definite. */
  readonly l: Float64Array | null;
  /** True when every pivot² of `l` is above 1e-8: R comfortably positive definite. */
  readonly clearlyPositiveDefinite: boolean;
  /** ln|R| = 2 Σ ln L_ii (NaN when `l` is null). */
  readonly logDeterminant: number;
  /** R⁻¹ from `l`, row-major (computed on first use), or null when `l` is. */
  inverse(): Float64Array | null;
}

/** Factors `r` once (see {@link CorrelationFactor}). */
export function correlationFactor(r: readonly (readonly number[])[]): CorrelationFactor {
  const p = r.length;
  const flat = new Float64Array(p * p);
  for (let i = 0; i < p; i++) flat.set(r[i], i * p);
  const l = cholesky(flat, p, 0, 'auto', CHOLESKY_KERNEL_ORDER_COLD);
  let clear = l !== null;
  if (l) for (let i = 0; i < p && clear; i++) if (!(l[i * p + i] * l[i * p + i] > 1e-8)) clear = false;
  let inv: Float64Array | null | undefined;
  return {
    r,
    p,
    l,
    clearlyPositiveDefinite: clear,
    logDeterminant: l ? choleskyLogDet(l, p) : NaN,
    inverse() {
      if (inv === undefined) inv = l ? choleskyInverse(l, p, 'auto', CHOLESKY_KERNEL_ORDER_COLD) : null;
      return inv;
    },
  };
}

/** `factor` when it was made from `r` itself, else a new one: a caller's factor of another matrix is never used by mistake. */
export function factorOf(r: readonly (readonly number[])[], factor?: CorrelationFactor): CorrelationFactor {
  return factor && factor.r === r ? factor : correlationFactor(r);
}
