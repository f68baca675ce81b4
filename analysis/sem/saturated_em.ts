import { cholesky, choleskyInverse } from './dense.js';
import { byRows, patternFactors, rowMoments, type PatternFactors } from './pattern_factors.js';
import type { MissingPattern } from './sample_statistics.js';

/**
 * Maximum-likelihood means and covariances of a multivariate normal sample with missing
 * values, by the EM algorithm (Dempster, Laird & Rubin, 1977, doi:10.1111/j.2517-6161.1977.tb01600.x;
 * Little & Rubin, 2002, ch. 11). E-step: each pattern's missing variables are replaced by
 * their regression on the observed ones, adding the conditional covariance
 * Σ_uu − Σ_uo Σ_oo⁻¹ Σ_ou; M-step: μ = T₁/N, Σ = T₂/N − μμᵀ. Starts from available-case
 * means and variances. This is the saturated (h1) model of lavaan's missing = "ml", with
 * lavaan's stopping rule (lav_mvnorm_missing_h1_estimate_moments: em.h1.iter.max = 500,
 * em.h1.tol = 1e-5 on the largest absolute change of μ and Σ), so that the h1 log-likelihood,
 * and with it χ², is the one lavaan reports rather than a tighter optimum it never reaches.
 * A pattern of few rows is imputed row by row from one factorisation of Σ per iteration
 * (`patternFactors`: x̂_m = μ_m − W_p V_mo(x_o − μ_o), W_p = (V_mm)⁻¹ the conditional
 * covariance), O(p²) per row, so that data whose rows all differ in their missing variables
 * cost O(n·p²) per iteration.
 */
export function saturatedEm(
  patterns: readonly MissingPattern[],
  p: number,
  n: number,
  { maxIterations = 500, tolerance = 1e-5 } = {},
): { mean: Float64Array; cov: Float64Array; iterations: number; converged: boolean } {
  let mu = new Float64Array(p);
  let sigma = new Float64Array(p * p);
  const cnt = new Float64Array(p);
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p);
  for (const pt of patterns) {
    pt.observed.forEach((j, a) => {
      cnt[j] += pt.n;
      s1[j] += pt.n * pt.mean[a];
      s2[j] += pt.n * (pt.cov[a * pt.observed.length + a] + pt.mean[a] * pt.mean[a]);
    });
  }
  for (let j = 0; j < p; j++) {
    mu[j] = s1[j] / cnt[j];
    sigma[j * p + j] = Math.max(s2[j] / cnt[j] - mu[j] * mu[j], 1e-8);
  }
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const t1 = new Float64Array(p);
    const t2 = new Float64Array(p * p);
    const factors = patternFactors(sigma, p, patterns);
    const lFull = factors ? null : cholesky(sigma, p);
    const vFull = factors ? factors.v : lFull ? choleskyInverse(lFull, p) : null;
    if (factors) {
      // rows taken one by one enter through their fixed moments plus a correction on their missing block
      const rm = rowMoments(patterns, p);
      for (let j = 0; j < p; j++) t1[j] += rm.x[j];
      for (let e = 0; e < p * p; e++) t2[e] += rm.a[e];
    }
    patterns.forEach((pt, t) => {
      if (factors && byRows(pt)) accumulateRows(pt, t, factors, mu, t1, t2);
      else accumulate(pt, p, mu, sigma, vFull, t1, t2);
    });
    const newMu = new Float64Array(p);
    const newSigma = new Float64Array(p * p);
    for (let j = 0; j < p; j++) newMu[j] = t1[j] / n;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) newSigma[i * p + j] = t2[i * p + j] / n - newMu[i] * newMu[j];
    let delta = 0;
    for (let j = 0; j < p; j++) delta = Math.max(delta, Math.abs(newMu[j] - mu[j]));
    for (let k = 0; k < p * p; k++) delta = Math.max(delta, Math.abs(newSigma[k] - sigma[k]));
    mu = newMu;
    sigma = newSigma;
    if (delta < tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { mean: mu, cov: sigma, iterations, converged };
}

/**
 * Adds what one row-by-row pattern's conditional means add to the zero-filled rows' moments:
 * with x̂_m = μ_m − W_p V_mo(x_o − μ_o), T₁ gains x̂_m and T₂ gains x_o x̂_mᵀ (both ways), x̂_m x̂_mᵀ
 * and n_p·W_p on the missing block (the conditional covariance).
 */
function accumulateRows(pt: MissingPattern, t: number, f: PatternFactors, mu: Float64Array, t1: Float64Array, t2: Float64Array): void {
  const { p, v } = f;
  const o = pt.observed;
  const no = o.length;
  const u = f.missing[t];
  const nu = u.length;
  if (nu === 0) return;
  const w = f.w[t];
  const rows = pt.rows!;
  const d = new Float64Array(no);
  const z = new Float64Array(nu);
  const xm = new Float64Array(nu);
  for (let i = 0; i < pt.n; i++) {
    for (let a = 0; a < no; a++) d[a] = rows[i * no + a] - mu[o[a]];
    for (let a = 0; a < nu; a++) {
      const row = u[a] * p;
      let s = 0;
      for (let b = 0; b < no; b++) s += v[row + o[b]] * d[b];
      z[a] = s;
    }
    for (let a = 0; a < nu; a++) {
      let s = 0;
      for (let b = 0; b < nu; b++) s += w[a * nu + b] * z[b];
      xm[a] = mu[u[a]] - s;
      t1[u[a]] += xm[a];
    }
    for (let a = 0; a < nu; a++) {
      const ua = u[a];
      const xa = xm[a];
      for (let b = 0; b < no; b++) {
        const val = xa * rows[i * no + b];
        t2[ua * p + o[b]] += val;
        t2[o[b] * p + ua] += val;
      }
      for (let b = 0; b < nu; b++) t2[ua * p + u[b]] += xa * xm[b] + w[a * nu + b];
    }
  }
}

function accumulate(
  pt: MissingPattern,
  p: number,
  mu: Float64Array,
  sigma: Float64Array,
  vFull: Float64Array | null,
  t1: Float64Array,
  t2: Float64Array,
): void {
  const o = pt.observed;
  const no = o.length;
  const n = pt.n;
  const isObs = new Uint8Array(p);
  for (const j of o) isObs[j] = 1;
  const u: number[] = [];
  for (let j = 0; j < p; j++) if (!isObs[j]) u.push(j);
  const nu = u.length;
  // raw second moments of the observed part: n (S + m mᵀ)
  const s2o = new Float64Array(no * no);
  for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) s2o[a * no + b] = n * (pt.cov[a * no + b] + pt.mean[a] * pt.mean[b]);
  for (let a = 0; a < no; a++) {
    t1[o[a]] += n * pt.mean[a];
    for (let b = 0; b < no; b++) t2[o[a] * p + o[b]] += s2o[a * no + b];
  }
  if (nu === 0) return;
  // β = Σ_uo Σ_oo⁻¹ (nu × no) and the conditional covariance Σ_uu − βΣ_ou: with V = Σ⁻¹ these
  // are −V_uu⁻¹V_uo and V_uu⁻¹ (partitioned inverse), cheaper when few variables are missing
  const beta = new Float64Array(nu * no);
  let condCov: Float64Array;
  if (vFull && nu <= no) {
    const vuu = new Float64Array(nu * nu);
    for (let a = 0; a < nu; a++) for (let b = 0; b < nu; b++) vuu[a * nu + b] = vFull[u[a] * p + u[b]];
    const lu = cholesky(vuu, nu);
    if (!lu) throw new Error('EM: a covariance block lost positive definiteness');
    condCov = choleskyInverse(lu, nu);
    for (let a = 0; a < nu; a++)
      for (let b = 0; b < no; b++) {
        let t = 0;
        for (let k = 0; k < nu; k++) t -= condCov[a * nu + k] * vFull[u[k] * p + o[b]];
        beta[a * no + b] = t;
      }
  } else {
    const soo = new Float64Array(no * no);
    for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) soo[a * no + b] = sigma[o[a] * p + o[b]];
    const l = cholesky(soo, no);
    if (!l) throw new Error('EM: a covariance block lost positive definiteness');
    const sooInv = choleskyInverse(l, no);
    for (let a = 0; a < nu; a++)
      for (let b = 0; b < no; b++) {
        let t = 0;
        for (let c = 0; c < no; c++) t += sigma[u[a] * p + o[c]] * sooInv[c * no + b];
        beta[a * no + b] = t;
      }
    condCov = new Float64Array(nu * nu);
    for (let a = 0; a < nu; a++)
      for (let b = 0; b < nu; b++) {
        let t = sigma[u[a] * p + u[b]];
        for (let k = 0; k < no; k++) t -= beta[a * no + k] * sigma[o[k] * p + u[b]];
        condCov[a * nu + b] = t;
      }
  }
  // c = μ_u − β μ_o ; x̂_u = c + β x_o
  const c = new Float64Array(nu);
  const bm = new Float64Array(nu); // β · mean_o
  for (let a = 0; a < nu; a++) {
    let s = 0;
    let t = 0;
    for (let b = 0; b < no; b++) {
      s += beta[a * no + b] * mu[o[b]];
      t += beta[a * no + b] * pt.mean[b];
    }
    c[a] = mu[u[a]] - s;
    bm[a] = t;
  }
  // β S2o (nu × no)
  const bs = new Float64Array(nu * no);
  for (let a = 0; a < nu; a++)
    for (let b = 0; b < no; b++) {
      let s = 0;
      for (let k = 0; k < no; k++) s += beta[a * no + k] * s2o[k * no + b];
      bs[a * no + b] = s;
    }
  for (let a = 0; a < nu; a++) {
    t1[u[a]] += n * (c[a] + bm[a]);
    for (let b = 0; b < no; b++) {
      const v = n * c[a] * pt.mean[b] + bs[a * no + b];
      t2[u[a] * p + o[b]] += v;
      t2[o[b] * p + u[a]] += v;
    }
    for (let b = 0; b < nu; b++) {
      let bsb = 0;
      for (let k = 0; k < no; k++) bsb += bs[a * no + k] * beta[b * no + k];
      t2[u[a] * p + u[b]] += n * c[a] * c[b] + n * c[a] * bm[b] + n * bm[a] * c[b] + bsb + n * condCov[a * nu + b];
    }
  }
}
