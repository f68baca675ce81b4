import { fimlTerm, usesPatterns } from './ml_discrepancy.js';
import type { GroupSample } from './sample_statistics.js';

/**
 * χ² of the baseline (independence) model used by CFI and TLI: every observed variable with
 * its own mean and variance, all covariances zero, in each group; df_b = G·p(p−1)/2. With
 * complete data χ²_b = Σ_g n_g (Σ_i ln s_ii − ln|S_g|); under full-information ML the
 * independence model's estimates are each variable's available-case mean and variance and
 * χ²_b is the pattern-wise likelihood ratio against the saturated EM model
 * (lavaan's lav_object_independence / baseline.model).
 */
export function baselineChisq(samples: readonly GroupSample[], h1: readonly number[], p: number): { chisq: number; df: number } {
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
      for (let i = 0; i < p; i++) logDiag += Math.log(s.cov[i * p + i]);
      chisq += s.n * (logDiag - s.logDetCov);
    }
  }
  return { chisq, df: (samples.length * p * (p - 1)) / 2 };
}
