import { cholesky, choleskyInverse } from '../dense.js';
import type { ClusterStatistics } from './cluster_statistics.js';
import { loglikConstant, twoLevelLoglik, type TwoLevelMoments } from './two_level_loglik.js';

/** The unrestricted (h1) two-level model fitted by EM. */
export interface SaturatedTwoLevel {
  readonly moments: TwoLevelMoments;
  readonly minusTwoLogl: number;
  readonly iterations: number;
  /** True when the log-likelihood rose by less than the tolerance in the last step. */
  readonly converged: boolean;
}

/**
 * The saturated two-level model (Σ_W, Σ_B, the between covariances with between-only variables
 * and all means free; within-only variables have no between part) by the EM algorithm of
 * lavaan's h1 (lavaan 0.6.14, lav_mvnorm_cluster_em_sat with lav_mvnorm_cluster_em_estepb;
 * Raudenbush, 1995; McLachlan & Krishnan, 2008, ch. 2). The cluster effect v_j ~ N(μ_b, σ_b)
 * of the level-1 variables is the missing datum: with Ω_n = [[Σ_zz, σ_yzᵀ], [σ_yz,
 * (σ_w + nσ_b)/n]] the covariance of (z_j, ȳ_j) and S₁ = [σ_yz, σ_b], the E-step gives
 * E(v_j) = S₁Ω_n⁻¹((z_j, ȳ_j) − μ) + μ_b and Cov(v_j) = σ_b − S₁Ω_n⁻¹S₁ᵀ; the M-step sets
 * μ_w = Σ n_j(ȳ_j − E v_j)/N, μ_b = Σ E v_j / J, σ_b = Σ E(v_j v_jᵀ)/J − μ_bμ_bᵀ,
 * σ_w = [Σ_ij y_ij y_ijᵀ + Σ n_j(E(v v ᵀ) − ȳ_j E vᵀ − E v ȳ_jᵀ)]/N − μ_wμ_wᵀ and
 * σ_yz from Σ z_j E v_jᵀ / J − μ_z μ_bᵀ, while Σ_zz and μ_z are the clusters' sample moments.
 * Like lavaan it starts from Σ_W = Σ_B = I and zero means, floors within variances at 10⁻⁵, and
 * stops as soon as one step raises log L by less than `tolerance` (10⁻⁴), at most 5000 steps:
 * so χ² = 2(log L₁ − log L₀) equals lavaan's even where this EM is slow (little between
 * variance) and its h1 is not yet at the maximum. `shared` lists the y positions of the
 * variables that have a between part.
 */
export function saturatedTwoLevel(
  stats: ClusterStatistics,
  shared: readonly number[],
  { maxIterations = 5000, tolerance = 1e-4, minVariance = 1e-5 } = {},
): SaturatedTwoLevel {
  const { py, pz, n: N, clusters: J } = stats;
  const pv = pz + py;
  let sigmaW = new Float64Array(py * py);
  for (let i = 0; i < py; i++) sigmaW[i * py + i] = 1;
  let sigmaB = new Float64Array(py * py);
  for (const i of shared) sigmaB[i * py + i] = 1;
  let sigmaYz = new Float64Array(py * pz);
  let muW = new Float64Array(py);
  let muB = new Float64Array(py);
  const muZ = Float64Array.from(stats.clusterMean);
  const sigmaZz = Float64Array.from(stats.clusterCov);
  // Σ_ij y_ij y_ijᵀ = (N − J) S_PW + Σ_j n_j ȳ_j ȳ_jᵀ
  const y1y1 = new Float64Array(py * py);
  for (let k = 0; k < py * py; k++) y1y1[k] = (N - J) * stats.pooledWithin[k];
  stats.clusterMeans.forEach((m, j) => {
    const n = stats.clusterSizes[j];
    for (let a = 0; a < py; a++) for (let b = 0; b < py; b++) y1y1[a * py + b] += n * m[pz + a] * m[pz + b];
  });
  const moments = (): TwoLevelMoments => {
    const full = new Float64Array(pv * pv);
    for (let a = 0; a < pz; a++) for (let b = 0; b < pz; b++) full[a * pv + b] = sigmaZz[a * pz + b];
    for (let a = 0; a < py; a++) {
      for (let b = 0; b < pz; b++) {
        full[(pz + a) * pv + b] = sigmaYz[a * pz + b];
        full[b * pv + pz + a] = sigmaYz[a * pz + b];
      }
      for (let b = 0; b < py; b++) full[(pz + a) * pv + pz + b] = sigmaB[a * py + b];
    }
    return { sigmaW, sigmaB: full, muY: Float64Array.from(muW, (w, i) => w + muB[i]), muZ };
  };
  const logl = (): number => {
    const ll = twoLevelLoglik(stats, moments(), false);
    return ll ? -0.5 * ll.minusTwoLogl + loglikConstant(stats) : -Infinity;
  };
  let fx = logl();
  let iterations = 0;
  let converged = false;
  const byCluster = stats.clusterMeans.map((m, j) => ({ m, n: stats.clusterSizes[j] }));
  const ev = new Float64Array(py);
  const dev = new Float64Array(pv);
  for (; iterations < maxIterations; ) {
    iterations++;
    const muY = Float64Array.from(muW, (w, i) => w + muB[i]);
    const mw = new Float64Array(py);
    const mb = new Float64Array(py);
    const cw2 = new Float64Array(py * py);
    const cb = new Float64Array(py * py);
    const zy = new Float64Array(pz * py);
    let ok = true;
    for (const cls of stats.sizeClasses) {
      const nj = cls.size;
      // Ω_n over (z, ȳ) and S₁ = [σ_yz, σ_b]
      const omega = new Float64Array(pv * pv);
      for (let a = 0; a < pz; a++) for (let b = 0; b < pz; b++) omega[a * pv + b] = sigmaZz[a * pz + b];
      for (let a = 0; a < py; a++) {
        for (let b = 0; b < pz; b++) {
          omega[(pz + a) * pv + b] = sigmaYz[a * pz + b];
          omega[b * pv + pz + a] = sigmaYz[a * pz + b];
        }
        for (let b = 0; b < py; b++) omega[(pz + a) * pv + pz + b] = (sigmaW[a * py + b] + nj * sigmaB[a * py + b]) / nj;
      }
      const lo = cholesky(omega, pv);
      if (!lo) {
        ok = false;
        break;
      }
      const oInv = choleskyInverse(lo, pv);
      const s1 = new Float64Array(py * pv);
      for (let a = 0; a < py; a++) {
        for (let b = 0; b < pz; b++) s1[a * pv + b] = sigmaYz[a * pz + b];
        for (let b = 0; b < py; b++) s1[a * pv + pz + b] = sigmaB[a * py + b];
      }
      const s1o = new Float64Array(py * pv); // S₁Ω⁻¹
      for (let a = 0; a < py; a++)
        for (let k = 0; k < pv; k++) {
          const v = s1[a * pv + k];
          if (v === 0) continue;
          for (let b = 0; b < pv; b++) s1o[a * pv + b] += v * oInv[k * pv + b];
        }
      // Σ over these clusters of Cov(v) = count·(σ_b − S₁Ω⁻¹S₁ᵀ), symmetrised
      const covv = new Float64Array(py * py);
      for (let a = 0; a < py; a++)
        for (let b = 0; b < py; b++) {
          let s = 0;
          for (let k = 0; k < pv; k++) s += s1o[a * pv + k] * s1[b * pv + k];
          covv[a * py + b] = cls.count * (sigmaB[a * py + b] - s);
        }
      for (let a = 0; a < py; a++)
        for (let b = 0; b < a; b++) {
          const v = 0.5 * (covv[a * py + b] + covv[b * py + a]);
          covv[a * py + b] = v;
          covv[b * py + a] = v;
        }
      const evv = covv;
      const yev = new Float64Array(py * py); // Σ ȳ_j E(v_j)ᵀ
      for (const { m, n } of byCluster) {
        if (n !== nj) continue;
        for (let k = 0; k < pz; k++) dev[k] = m[k] - muZ[k];
        for (let k = 0; k < py; k++) dev[pz + k] = m[pz + k] - muY[k];
        for (let a = 0; a < py; a++) {
          let s = muB[a];
          for (let k = 0; k < pv; k++) s += s1o[a * pv + k] * dev[k];
          ev[a] = s;
        }
        for (let a = 0; a < py; a++) {
          mw[a] += nj * (m[pz + a] - ev[a]);
          mb[a] += ev[a];
          for (let b = 0; b < py; b++) {
            evv[a * py + b] += ev[a] * ev[b];
            yev[a * py + b] += m[pz + a] * ev[b];
          }
          for (let c = 0; c < pz; c++) zy[c * py + a] += m[c] * ev[a];
        }
      }
      for (let a = 0; a < py; a++)
        for (let b = 0; b < py; b++) {
          cw2[a * py + b] += nj * (evv[a * py + b] - yev[a * py + b] - yev[b * py + a]);
          cb[a * py + b] += evv[a * py + b];
        }
    }
    if (!ok) break;
    for (let a = 0; a < py; a++) {
      mw[a] /= N;
      mb[a] /= J;
    }
    const newW = new Float64Array(py * py);
    const newB = new Float64Array(py * py);
    for (let a = 0; a < py; a++)
      for (let b = 0; b < py; b++) {
        newW[a * py + b] = (y1y1[a * py + b] + cw2[a * py + b]) / N - mw[a] * mw[b];
        newB[a * py + b] = cb[a * py + b] / J - mb[a] * mb[b];
      }
    const newYz = new Float64Array(py * pz);
    for (let c = 0; c < pz; c++) for (let a = 0; a < py; a++) newYz[a * pz + c] = zy[c * py + a] / J - muZ[c] * mb[a];
    for (let a = 0; a < py; a++) {
      if (newW[a * py + a] < minVariance) {
        for (let b = 0; b < py; b++) newW[a * py + b] = newW[b * py + a] = 0;
        newW[a * py + a] = minVariance;
      }
    }
    sigmaW = newW;
    sigmaB = newB;
    sigmaYz = newYz;
    muW = mw;
    muB = mb;
    const next = logl();
    const delta = next - fx;
    fx = next;
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  const m = moments();
  const ll = twoLevelLoglik(stats, m, false);
  return { moments: m, minusTwoLogl: ll ? ll.minusTwoLogl : NaN, iterations, converged };
}
