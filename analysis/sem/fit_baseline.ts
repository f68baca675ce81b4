import { cholesky, choleskyLogDet } from './dense.js';
import { fimlTerm, usesPatterns } from './ml_discrepancy.js';
import type { GroupSample, MissingPattern } from './sample_statistics.js';
import { saturatedEm } from './saturated_em.js';

/**
 * χ² of the baseline (independence) model used by CFI and TLI: every observed variable with
 * its own mean and variance, all covariances zero, in each group; df_b = G·p(p−1)/2. With
 * complete data χ²_b = Σ_g n_g (Σ_i ln s_ii − ln|S_g|); under full-information ML the
 * independence model's estimates are each variable's available-case mean and variance and
 * χ²_b is the pattern-wise likelihood ratio against the saturated EM model
 * (lavaan's lav_object_independence / baseline.model). Exogenous observed covariates
 * (`exogenous`, indices of observed variables: predictors only, with fixed.x or without)
 * keep their covariances in the baseline, as in lavaan 0.6.14: ln|S_xx| replaces their
 * Σ ln s_ii and df_b loses k(k−1)/2 per group; under full-information ML their block is the
 * EM estimate over the covariates alone (their sample moments when they are complete).
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
      if (k > 0) {
        // the covariates' block is estimated jointly (EM over their own missing-data patterns)
        const block = covariateBlock(s.patterns!, exogenous);
        for (let a = 0; a < k; a++) {
          mean[exogenous[a]] = block.mean[a];
          for (let b = 0; b < k; b++) sigma[exogenous[a] * p + exogenous[b]] = block.cov[a * k + b];
        }
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

/** Means and covariances of the variables `idx` alone, by EM over the patterns restricted to them. */
function covariateBlock(patterns: readonly MissingPattern[], idx: readonly number[]): { mean: Float64Array; cov: Float64Array } {
  const k = idx.length;
  // restrict each pattern to the covariates it observes, pooling patterns that observe the same ones
  const pooled = new Map<string, { observed: number[]; n: number; s1: Float64Array; s2: Float64Array }>();
  for (const pt of patterns) {
    const no = pt.observed.length;
    const pos: number[] = [];
    const at: number[] = [];
    idx.forEach((j, a) => {
      const q = pt.observed.indexOf(j);
      if (q >= 0) {
        pos.push(a);
        at.push(q);
      }
    });
    if (pos.length === 0) continue;
    const key = pos.join(',');
    let acc = pooled.get(key);
    if (!acc) pooled.set(key, (acc = { observed: pos, n: 0, s1: new Float64Array(pos.length), s2: new Float64Array(pos.length * pos.length) }));
    const m = pos.length;
    acc.n += pt.n;
    for (let a = 0; a < m; a++) {
      acc.s1[a] += pt.n * pt.mean[at[a]];
      for (let b = 0; b < m; b++) acc.s2[a * m + b] += pt.n * (pt.cov[at[a] * no + at[b]] + pt.mean[at[a]] * pt.mean[at[b]]);
    }
  }
  const sub: MissingPattern[] = [];
  let n = 0;
  for (const acc of pooled.values()) {
    const m = acc.observed.length;
    const mean = acc.s1.map((v) => v / acc.n);
    const cov = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) cov[a * m + b] = acc.s2[a * m + b] / acc.n - mean[a] * mean[b];
    sub.push({ observed: Int32Array.from(acc.observed), n: acc.n, mean, cov });
    n += acc.n;
  }
  const em = saturatedEm(sub, k, n);
  return { mean: em.mean, cov: em.cov };
}
