import { cholesky, choleskyInverse, choleskyLogDet, multiply } from '../dense.js';
import type { ClusterStatistics } from './cluster_statistics.js';

/**
 * Two-level moments in the y/z split: level-1 variables y (within-only and shared), between-only
 * z. Σ_W (py×py) is the within covariance, B (pv×pv, pv = pz + py, z first) the between
 * covariance of (z_j, u_j) with u_j the cluster's random intercepts of y (rows of within-only
 * variables zero), μ_y = E(y) (within plus between means) and μ_z = E(z).
 */
export interface TwoLevelMoments {
  readonly sigmaW: Float64Array;
  readonly sigmaB: Float64Array;
  readonly muY: Float64Array;
  readonly muZ: Float64Array;
}

/** −2 log L (without the 2π constant) and, when asked, its derivatives with respect to the moments. */
export interface TwoLevelLoglik {
  readonly minusTwoLogl: number;
  readonly dSigmaW?: Float64Array;
  readonly dSigmaB?: Float64Array;
  readonly dMuY?: Float64Array;
  readonly dMuZ?: Float64Array;
}

/**
 * The log-likelihood of two-level normal data with random intercepts (McDonald & Goldstein,
 * 1989, doi:10.1111/j.2044-8317.1989.tb00905.x; Muthén, 1994, doi:10.1177/0049124194022003006;
 * lavaan 0.6.14's lav_mvnorm_cluster_loglik_samplestats_2l). Within cluster j of size n the
 * deviations y_ij − ȳ_j carry Σ_W on n − 1 degrees of freedom, and v_j = (z_j, √n·ȳ_j) is
 * normal with covariance U_n = D_n B D_n + diag(0, Σ_W), D_n = diag(1, √n), so
 *   −2 log L = (N − J)[ln|Σ_W| + tr(Σ_W⁻¹ S_PW)]
 *            + Σ_sizes c_n [ln|U_n| + tr(U_n⁻¹ D_n (C_n + (m_n − μ)(m_n − μ)ᵀ) D_n)],
 * with c_n clusters of size n whose means have mean m_n and covariance C_n. The derivatives
 * (both triangles, as full matrices) are c_n(U⁻¹ − U⁻¹AU⁻¹) mapped back through D_n, and
 * −2c_n D_nU⁻¹D_n(m_n − μ) for the means. Null when Σ_W or some U_n is not positive definite.
 */
export function twoLevelLoglik(stats: ClusterStatistics, mom: TwoLevelMoments, wantGradient: boolean): TwoLevelLoglik | null {
  const { py, pz } = stats;
  const pv = py + pz;
  const lw = cholesky(mom.sigmaW, py);
  if (!lw) return null;
  const wInv = choleskyInverse(lw, py);
  const dfW = stats.n - stats.clusters;
  let value = dfW * (choleskyLogDet(lw, py) + traceProduct(wInv, stats.pooledWithin, py));
  const dSigmaW = wantGradient ? new Float64Array(py * py) : undefined;
  const dSigmaB = wantGradient ? new Float64Array(pv * pv) : undefined;
  const dMuY = wantGradient ? new Float64Array(py) : undefined;
  const dMuZ = wantGradient ? new Float64Array(pz) : undefined;
  if (dSigmaW) {
    const ws = multiply(multiply(wInv, stats.pooledWithin, py, py, py), wInv, py, py, py);
    for (let k = 0; k < py * py; k++) dSigmaW[k] = dfW * (wInv[k] - ws[k]);
  }
  const mu = new Float64Array(pv);
  mu.set(mom.muZ, 0);
  mu.set(mom.muY, pz);
  const dscale = new Float64Array(pv);
  const u = new Float64Array(pv * pv);
  const a = new Float64Array(pv * pv);
  const e = new Float64Array(pv);
  for (const cls of stats.sizeClasses) {
    const sq = Math.sqrt(cls.size);
    for (let i = 0; i < pv; i++) dscale[i] = i < pz ? 1 : sq;
    for (let i = 0; i < pv; i++) e[i] = cls.mean[i] - mu[i];
    for (let i = 0; i < pv; i++)
      for (let j = 0; j < pv; j++) {
        const s = dscale[i] * dscale[j];
        u[i * pv + j] = s * mom.sigmaB[i * pv + j] + (i >= pz && j >= pz ? mom.sigmaW[(i - pz) * py + (j - pz)] : 0);
        a[i * pv + j] = s * (cls.cov[i * pv + j] + e[i] * e[j]);
      }
    const lu = cholesky(u, pv);
    if (!lu) return null;
    const uInv = choleskyInverse(lu, pv);
    value += cls.count * (choleskyLogDet(lu, pv) + traceProduct(uInv, a, pv));
    if (!wantGradient) continue;
    const uau = multiply(multiply(uInv, a, pv, pv, pv), uInv, pv, pv, pv);
    for (let i = 0; i < pv; i++)
      for (let j = 0; j < pv; j++) {
        const g = cls.count * (uInv[i * pv + j] - uau[i * pv + j]);
        dSigmaB![i * pv + j] += g * dscale[i] * dscale[j];
        if (i >= pz && j >= pz) dSigmaW![(i - pz) * py + (j - pz)] += g;
      }
    for (let i = 0; i < pv; i++) {
      let s = 0;
      for (let j = 0; j < pv; j++) s += uInv[i * pv + j] * dscale[j] * e[j];
      const g = -2 * cls.count * dscale[i] * s;
      if (i < pz) dMuZ![i] += g;
      else dMuY![i - pz] += g;
    }
  }
  return { minusTwoLogl: value, dSigmaW, dSigmaB, dMuY, dMuZ };
}

/** tr(A·B) for symmetric A, B. */
function traceProduct(a: Float64Array, b: Float64Array, p: number): number {
  let s = 0;
  for (let k = 0; k < p * p; k++) s += a[k] * b[k];
  return s;
}

/** The constant of the log-likelihood: −½(N·py + J·pz)·ln 2π. */
export function loglikConstant(stats: ClusterStatistics): number {
  return -0.5 * (stats.n * stats.py + stats.clusters * stats.pz) * Math.log(2 * Math.PI);
}
