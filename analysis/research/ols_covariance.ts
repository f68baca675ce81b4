import { InputError } from '../errors.js';
import type { LeastSquaresFit } from './least_squares.js';

/**
 * Covariance matrices of OLS coefficients (p × p, row-major), all of the form R⁻¹ · meat · R⁻ᵀ
 * with X = QR, Z = X R⁻¹ (so Z'Z = I and the bread (X'X)⁻¹ = R⁻¹R⁻ᵀ):
 * - classical: σ̂² (X'X)⁻¹ with σ̂² = RSS/(n − p), R's `vcov(lm)`;
 * - HC3: (X'X)⁻¹ Σᵢ eᵢ²/(1 − hᵢ)² xᵢxᵢ' (X'X)⁻¹ with hᵢ the leverage (MacKinnon & White, 1985,
 *   doi:10.1016/0304-4076(85)90158-7), `sandwich::vcovHC(fit, type = "HC3")`;
 * - cluster-robust CR1: c · (X'X)⁻¹ Σ_g (X_g'e_g)(X_g'e_g)' (X'X)⁻¹ with Stata's small-sample factor
 *   c = G/(G − 1) · (N − 1)/(N − K) (Cameron & Miller, 2015, doi:10.3368/jhr.50.2.317), K the
 *   columns of X. On a within-transformed design this is `plm::vcovHC(method = "arellano",
 *   type = "sss")` (plm counts K as the slope coefficients only, which is what the within design holds).
 */
export function classicalCovariance(fit: LeastSquaresFit): Float64Array {
  const { p, rInverse } = fit;
  const sigma2 = fit.rss / fit.dfResidual;
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) s += rInverse[i * p + k] * rInverse[j * p + k];
      out[i * p + j] = out[j * p + i] = sigma2 * s;
    }
  }
  return out;
}

/** The rows of Z = X R⁻¹ (n × p, row-major). */
function orthonormalRows(fit: LeastSquaresFit): Float64Array {
  const { n, p, columns, rInverse } = fit;
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += columns[k][i] * rInverse[k * p + j];
      z[i * p + j] = s;
    }
  }
  return z;
}

/** R⁻¹ · meat · R⁻ᵀ. */
function sandwich(fit: LeastSquaresFit, meat: Float64Array, factor: number): Float64Array {
  const { p, rInverse } = fit;
  const tmp = new Float64Array(p * p); // R⁻¹ · meat
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += rInverse[i * p + k] * meat[k * p + j];
      tmp[i * p + j] = s;
    }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += tmp[i * p + k] * rInverse[j * p + k];
      out[i * p + j] = out[j * p + i] = factor * s;
    }
  return out;
}

/** The leverages hᵢ = ‖zᵢ‖², the diagonal of the hat matrix. */
export function leverages(fit: LeastSquaresFit): Float64Array {
  const z = orthonormalRows(fit);
  const { n, p } = fit;
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += z[i * p + j] * z[i * p + j];
    h[i] = s;
  }
  return h;
}

/** HC3 covariance; NaN entries when a row has leverage 1 (its residual says nothing). */
export function hc3Covariance(fit: LeastSquaresFit): Float64Array {
  const { n, p, residuals } = fit;
  const z = orthonormalRows(fit);
  const meat = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < p; j++) h += z[i * p + j] * z[i * p + j];
    const w = (residuals[i] / (1 - h)) ** 2;
    for (let a = 0; a < p; a++) {
      const za = w * z[i * p + a];
      for (let b = a; b < p; b++) meat[a * p + b] += za * z[i * p + b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) meat[a * p + b] = meat[b * p + a];
  return sandwich(fit, meat, 1);
}

/**
 * CR1 cluster-robust covariance with `clusters[i]` the cluster of row i (any labels); needs at
 * least two clusters.
 */
export function clusterCovariance(fit: LeastSquaresFit, clusters: ArrayLike<string | number>, argument = 'cluster'): Float64Array {
  const { n, p, residuals } = fit;
  const z = orthonormalRows(fit);
  const index = new Map<string | number, number>();
  const scores: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    let g = index.get(clusters[i]);
    if (g === undefined) {
      g = scores.length;
      index.set(clusters[i], g);
      scores.push(new Float64Array(p));
    }
    const s = scores[g];
    for (let j = 0; j < p; j++) s[j] += z[i * p + j] * residuals[i];
  }
  const G = scores.length;
  if (G < 2) throw new InputError(argument, `${argument}: cluster-robust standard errors need at least 2 clusters; got ${G}.`);
  const meat = new Float64Array(p * p);
  for (const s of scores)
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) meat[a * p + b] += s[a] * s[b];
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) meat[a * p + b] = meat[b * p + a];
  const factor = (G / (G - 1)) * ((n - 1) / (n - p));
  return sandwich(fit, meat, factor);
}

/** The number of distinct labels in `clusters`. */
export function clusterCount(clusters: ArrayLike<string | number>): number {
  return new Set(Array.from(clusters)).size;
}
