import { symmetricEigen } from '../../efa/symmetric_eigen.js';

/**
 * The SRMR of one level of a two-level model as lavaan reports srmr_within and srmr_between
 * (lavaan 0.6.14, lav_fit_srmr_twolevel): the root mean square of the differences between the
 * saturated model's and the fitted model's correlation matrices (each covariance matrix turned
 * into correlations on its own diagonal, cov2cor), over the p(p + 1)/2 entries of the lower
 * triangle with the diagonal (whose differences are 0). lavaan first makes the between level's
 * implied matrix positive definite (`forcePd`); NaN when a variance stays non-positive.
 * lavaan's srmr is the sum of the two levels' values.
 */
export function srmrLevel(saturated: Float64Array, implied: Float64Array, p: number): number {
  let sum = 0;
  for (let i = 0; i < p; i++) {
    if (!(implied[i * p + i] > 0)) return NaN;
    for (let j = 0; j < i; j++) {
      const s = saturated[i * p + j] / Math.sqrt(saturated[i * p + i] * saturated[j * p + j]);
      const m = implied[i * p + j] / Math.sqrt(implied[i * p + i] * implied[j * p + j]);
      sum += (s - m) ** 2;
    }
  }
  return Math.sqrt(sum / ((p * (p + 1)) / 2));
}

/**
 * A symmetric matrix with its small or negative eigenvalues raised to tol·|λ₁| (λ₁ the largest),
 * as lavaan's lav_matrix_symmetric_force_pd (tol 1e-6); a positive-definite matrix comes back
 * unchanged up to rounding.
 */
export function forcePd(a: Float64Array, p: number, tol = 1e-6): Float64Array {
  if (p === 1) return Float64Array.of(Math.max(a[0], tol));
  const { values, vectors } = symmetricEigen(a, p);
  const top = Math.abs(values[0]);
  const ev = values.map((v) => (v / top < tol ? tol * top : v));
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += vectors[i * p + k] * ev[k] * vectors[j * p + k];
      out[i * p + j] = s;
    }
  return out;
}
