import { cholesky, choleskyInverse, type Matrix } from './linear_algebra.js';

/**
 * The Cholesky factor of a correlation matrix R = L L′ and the inverse R⁻¹ = L⁻′ L⁻¹ it gives,
 * computed once for everything an exploratory factor analysis derives from R: the squared
 * multiple correlations that start the extraction (1 − 1/(R⁻¹)_ii), KMO's anti-image
 * correlations (from R⁻¹), Bartlett's ln|R| = 2 Σ ln L_ii and the fit statistics' ln|R|. Each
 * of those applies its own test to `l` (psych falls back to other routes for a matrix that is
 * singular or nearly so), so sharing the factor changes no number, only the O(p³) work repeated.
 */
export interface CorrelationFactor {
  /** The matrix factored (the same array the caller passes on with this object). */
  readonly r: readonly (readonly number[])[];
  /** Lower Cholesky factor of R, or null when R is not positive definite. */
  readonly l: Matrix | null;
  /** R⁻¹ from `l` (computed on first use), or null when `l` is. */
  inverse(): Matrix | null;
}

/** Factors `r` once (see {@link CorrelationFactor}). */
export function correlationFactor(r: readonly (readonly number[])[]): CorrelationFactor {
  const l = cholesky(r);
  let inv: Matrix | null | undefined;
  return {
    r,
    l,
    inverse() {
      if (inv === undefined) inv = l ? choleskyInverse(l) : null;
      return inv;
    },
  };
}

/** `factor` when it was made from `r` itself, else a new one: a caller's factor of another matrix is never used by mistake. */
export function factorOf(r: readonly (readonly number[])[], factor?: CorrelationFactor): CorrelationFactor {
  return factor && factor.r === r ? factor : correlationFactor(r);
}
