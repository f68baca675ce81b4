import { cholesky, choleskyLogDet } from './dense.js';
import { fimlTerm, usesPatterns } from './ml_discrepancy.js';
import type { GroupSample } from './sample_statistics.js';

/**
 * χ² of the baseline (independence) model used by CFI and TLI: every observed variable with
 * its own mean and variance, all covariances zero, in each group; df_b = G·p(p−1)/2. With
 * complete data χ²_b = Σ_g n_g (Σ_i ln s_ii − ln|S_g|); under full-information ML the
 * independence model's estimates are each variable's available-case mean and variance and
 * χ²_b is the pattern-wise likelihood ratio against the saturated EM model
 * (lavaan's lav_object_independence / baseline.model). Exogenous covariates under fixed.x
 * (`exogenous`, indices of observed variables) keep their covariances in the baseline, as in
 * lavaan: ln|S_xx| replaces their Σ ln s_ii and df_b loses k(k−1)/2 per group.
 */
export function baselineChisq(
  samples: readonly GroupSample[],
  h1: readonly number[],
  p: number,
  exogenous: readonly number[] = [],
): { chisq: number; df: number } {
  const k = exogenous.length;
  let chisq = 0;
  for (let g = 0; g < samples.length; g++) {
    const s = samples[g];
    if (usesPatterns(s, p)) {
      const mean = new Float64Array(p);
      const sigma = new Float64Array(p * p);
      const cnt = new Float64Array(p);
      const s2 = new Float64Array(p);
      for (const pt of s.patterns!) {
        const no = pt.observed.length;
        pt.observed.forEach((j, a) => {
          cnt[j] += pt.n;
          mean[j] += pt.n * pt.mean[a];
          s2[j] += pt.n * (pt.cov[a * no + a] + pt.mean[a] * pt.mean[a]);
        });
      }
      for (let j = 0; j < p; j++) {
        mean[j] /= cnt[j];
        sigma[j * p + j] = s2[j] / cnt[j] - mean[j] * mean[j];
      }
      chisq += s.n * ((fimlTerm(s, sigma, mean, p) ?? NaN) - h1[g]);
    } else {
      let logDiag = 0;
      for (let i = 0; i < p; i++) if (!exogenous.includes(i)) logDiag += Math.log(s.cov[i * p + i]);
      if (k > 0) {
        const sxx = new Float64Array(k * k);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sxx[a * k + b] = s.cov[exogenous[a] * p + exogenous[b]];
        const l = cholesky(sxx, k);
        logDiag += l ? choleskyLogDet(l, k) : NaN;
      }
      chisq += s.n * (logDiag - s.logDetCov);
    }
  }
  return { chisq, df: samples.length * ((p * (p - 1)) / 2 - (k * (k - 1)) / 2) };
}
