import { cholesky } from '../efa/linear_algebra.js';

/**
 * Least-squares coefficients with frequency weights wᵢ from the normal equations
 * (X'WX) β = X'Wy solved by Cholesky: the refit inside a bootstrap, where a resample is a vector
 * of counts and building the p × p cross-products is far cheaper than copying rows. Returns
 * null when X'WX is not positive definite (a resample in which a column is constant), which the
 * bootstrap counts as an invalid draw. Not for reporting: the reported fits use the QR of
 * `leastSquares`.
 */
export function weightedCoefficients(columns: readonly Float64Array[], y: Float64Array, weights: ArrayLike<number>): Float64Array | null {
  const p = columns.length;
  const n = y.length;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (w === 0) continue;
    for (let j = 0; j < p; j++) row[j] = columns[j][i];
    const wy = w * y[i];
    for (let a = 0; a < p; a++) {
      const wa = w * row[a];
      xty[a] += row[a] * wy;
      for (let b = 0; b <= a; b++) xtx[a * p + b] += wa * row[b];
    }
  }
  const m: number[][] = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => (b <= a ? xtx[a * p + b] : xtx[b * p + a])));
  const l = cholesky(m);
  if (!l) return null;
  const z = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = xty[a];
    for (let b = 0; b < a; b++) s -= l[a][b] * z[b];
    z[a] = s / l[a][a];
  }
  const beta = new Float64Array(p);
  for (let a = p - 1; a >= 0; a--) {
    let s = z[a];
    for (let b = a + 1; b < p; b++) s -= l[b][a] * beta[b];
    beta[a] = s / l[a][a];
  }
  return beta;
}
