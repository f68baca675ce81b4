import { symmetricEigen } from '../efa/symmetric_eigen.js';
import { cholesky, clearlyPositiveDefinite } from '../efa/linear_algebra.js';

/** A correlation matrix after smoothing, and whether smoothing was needed. */
export interface SmoothedCorrelation {
  readonly r: number[][];
  readonly smoothed: boolean;
  /** The smallest eigenvalue before smoothing (NaN when a Cholesky factor already showed the matrix positive definite). */
  readonly minEigenvalue: number;
}

/**
 * Smooths a correlation matrix that is not positive definite: when its smallest eigenvalue is below
 * machine epsilon, eigenvalues under `eigTol` are set to 100·eigTol, all are rescaled to sum to p,
 * the matrix is rebuilt as V diag(λ) V′ and rescaled to unit diagonal (Wothke, 1993, "Nonpositive
 * definite matrices in structural modeling"; Knol & ten Berge, 1989, doi:10.1007/BF02294448).
 * A positive-definite matrix is returned unchanged. Matches psych::cor.smooth 2.2.9 (eig.tol = 1e-12).
 */
export function smoothCorrelation(r: readonly (readonly number[])[], eigTol = 1e-12): SmoothedCorrelation {
  const p = r.length;
  // fast path: a comfortably positive-definite matrix needs no eigen decomposition
  if (clearlyPositiveDefinite(cholesky(r))) return { r: r.map((row) => row.slice()), smoothed: false, minEigenvalue: NaN };
  const { values, vectors } = symmetricEigen(r);
  const minEigenvalue = values[p - 1];
  if (!(minEigenvalue < 2 ** -52)) return { r: r.map((row) => row.slice()), smoothed: false, minEigenvalue };
  const lam = Array.from(values, (v) => (v < eigTol ? 100 * eigTol : v));
  const total = lam.reduce((a, v) => a + v, 0);
  for (let k = 0; k < p; k++) lam[k] *= p / total;
  const out = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += vectors[i * p + k] * lam[k] * vectors[j * p + k];
      out[i][j] = out[j][i] = s;
    }
  }
  const sd = out.map((row, i) => Math.sqrt(row[i]));
  return { r: out.map((row, i) => row.map((v, j) => (i === j ? 1 : v / (sd[i] * sd[j])))), smoothed: true, minEigenvalue };
}
