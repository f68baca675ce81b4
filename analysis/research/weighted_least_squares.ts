import { cholesky } from '../efa/linear_algebra.js';

/** A pivot below this share of its column's norm marks the column collinear with the earlier ones. */
const RANK_TOLERANCE = 1e-5;

/**
 * Least-squares coefficients with frequency weights wᵢ from the normal equations
 * (X'WX) β = X'Wy solved by Cholesky: the refit inside a bootstrap, where a resample is a vector
 * of counts and building the p × p cross-products is far cheaper than copying rows. Returns
 * null when X'WX is not positive definite (a resample in which a column is constant), which the
 * bootstrap counts as an invalid draw. Not for reporting: the reported fits use the QR of
 * `leastSquares`.
 *
 * A resample is also invalid when a column is collinear with those before it: Cholesky's pivot
 * L_jj is the (weighted) norm of column j's residual on the earlier columns, and the column
 * counts as collinear when that is below 1e-5 of the column's own norm √(X'WX)_jj. The normal
 * equations lose half the digits, so an exactly singular X'WX (a resample with fewer distinct
 * units than coefficients) leaves pivots of about √ε ≈ 1e-8 of the norm, up to 2e-7, which
 * `cholesky` alone lets pass with coefficients of 1e8 that then sit in the percentile limits;
 * 1e-5 is far above that noise, and a design that ill-conditioned has no meaningful refit.
 * R's `lm.fit` (QR, rank tolerance 1e-7) rejects the same resamples.
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
  for (let a = 0; a < p; a++) if (!(l[a][a] > RANK_TOLERANCE * Math.sqrt(m[a][a]))) return null;
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
