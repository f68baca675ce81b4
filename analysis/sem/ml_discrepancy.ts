import { cholesky, choleskyInverse, choleskyLogDet } from './dense.js';
import type { ImpliedMoments } from './implied_moments.js';
import { fimlGroupTerm } from './fiml_likelihood.js';
import { patternInverse, type FullInverse } from './pattern_inverse.js';
import type { GroupSample } from './sample_statistics.js';

/** One group's discrepancy value and its derivatives with respect to Σ and μ. */
export interface GroupDiscrepancy {
  readonly f: number;
  readonly sigmaInverse: Float64Array | null;
  readonly dSigma: Float64Array | null;
  readonly dMu: Float64Array | null;
}

/**
 * One group's maximum-likelihood discrepancy and its derivative with respect to the
 * implied moments: F = log|Σ| + tr(SΣ⁻¹) + (x̄−μ)ᵀΣ⁻¹(x̄−μ) − h1, where h1 is the value of
 * the same expression at the saturated model (log|S| + p for complete data), so that
 * F ≥ 0 and χ² = Σ_g n_g F_g (Jöreskog, 1969, doi:10.1007/BF02289343; lavaan's
 * estimator.ML with likelihood "normal"). Under full-information ML (Arbuckle, 1996;
 * lavaan's missing = "ml") F is the n-weighted sum over missing-data patterns of the same
 * expression on each pattern's observed variables. `dSigma` = ∂F/∂Σ (Σ⁻¹ − Σ⁻¹(S + ddᵀ)Σ⁻¹
 * for complete data) and `dMu` = ∂F/∂μ (−2Σ⁻¹d). Null when Σ is not positive definite.
 */
export function groupDiscrepancy(
  sample: GroupSample,
  implied: ImpliedMoments,
  p: number,
  meanstructure: boolean,
  h1: number,
  wantGradient: boolean,
): GroupDiscrepancy | null {
  if (usesPatterns(sample, p)) return fimlDiscrepancy(sample, implied, p, h1, wantGradient);
  const l = cholesky(implied.sigma, p);
  if (!l) return null;
  const v = choleskyInverse(l, p);
  const s = sample.cov;
  let tr = 0;
  for (let i = 0; i < p * p; i++) tr += s[i] * v[i];
  const d = new Float64Array(p);
  let quad = 0;
  if (meanstructure) {
    for (let i = 0; i < p; i++) d[i] = sample.mean[i] - implied.mu[i];
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) t += v[i * p + j] * d[j];
      quad += d[i] * t;
    }
  }
  const f = choleskyLogDet(l, p) + tr + quad - h1;
  if (!wantGradient) return { f, sigmaInverse: v, dSigma: null, dMu: null };
  // ∂F/∂Σ = V − V (S + ddᵀ) V, with row-contiguous loops
  const w = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) w[i * p + j] = s[i * p + j] + d[i] * d[j];
  const vw = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const a = v[i * p + k];
      if (a === 0) continue;
      const wk = k * p;
      const vi = i * p;
      for (let j = 0; j < p; j++) vw[vi + j] += a * w[wk + j];
    }
  const dSigma = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const di = i * p;
    for (let k = 0; k < p; k++) {
      const a = vw[di + k];
      if (a === 0) continue;
      const vk = k * p;
      for (let j = 0; j < p; j++) dSigma[di + j] -= a * v[vk + j];
    }
    for (let j = 0; j < p; j++) dSigma[di + j] += v[di + j];
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (dSigma[i * p + j] + dSigma[j * p + i]);
      dSigma[i * p + j] = m;
      dSigma[j * p + i] = m;
    }
  const dMu = new Float64Array(p);
  if (meanstructure) {
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) t += v[i * p + j] * d[j];
      dMu[i] = -2 * t;
    }
  }
  return { f, sigmaInverse: v, dSigma, dMu };
}

/**
 * The pattern-wise likelihood term Σ_p n_p [log|Σ_p| + tr(Σ_p⁻¹S_p) + d_pᵀΣ_p⁻¹d_p] / n of
 * a group under full-information ML, for given implied moments (used for the model and,
 * at the EM estimates, for the saturated h1 model). Null when some Σ_p is not positive definite.
 */
export function fimlTerm(sample: GroupSample, sigma: Float64Array, mu: Float64Array, p: number): number | null {
  const fast = fimlGroupTerm(sample, sigma, mu, p, false);
  if (fast) return fast.f;
  // Σ itself is not positive definite: each pattern's Σ_oo may still be
  let total = 0;
  for (const pt of sample.patterns!) {
    const r = patternTerm(null, pt.observed, pt.mean, pt.cov, sigma, mu, p, false);
    if (!r) return null;
    total += pt.n * r.f;
  }
  return total / sample.n;
}

function fimlDiscrepancy(sample: GroupSample, implied: ImpliedMoments, p: number, h1: number, wantGradient: boolean): GroupDiscrepancy | null {
  const fast = fimlGroupTerm(sample, implied.sigma, implied.mu, p, wantGradient);
  if (fast) return { f: fast.f - h1, sigmaInverse: null, dSigma: fast.dSigma, dMu: fast.dMu };
  // Σ itself is not positive definite: each pattern's Σ_oo may still be
  let f = 0;
  const dSigma = wantGradient ? new Float64Array(p * p) : null;
  const dMu = wantGradient ? new Float64Array(p) : null;
  for (const pt of sample.patterns!) {
    const r = patternTerm(null, pt.observed, pt.mean, pt.cov, implied.sigma, implied.mu, p, wantGradient);
    if (!r) return null;
    const w = pt.n / sample.n;
    f += w * r.f;
    if (wantGradient) {
      const o = pt.observed;
      const no = o.length;
      for (let a = 0; a < no; a++) {
        dMu![o[a]] += w * r.dMu![a];
        for (let b = 0; b < no; b++) dSigma![o[a] * p + o[b]] += w * r.dSigma![a * no + b];
      }
    }
  }
  return { f: f - h1, sigmaInverse: null, dSigma, dMu };
}

function patternTerm(
  full: FullInverse | null,
  o: Int32Array,
  mean: Float64Array,
  cov: Float64Array,
  sigma: Float64Array,
  mu: Float64Array,
  p: number,
  wantGradient: boolean,
): { f: number; dSigma?: Float64Array; dMu?: Float64Array } | null {
  const no = o.length;
  const inv = patternInverse(full, sigma, p, o);
  if (!inv) return null;
  const v = inv.v;
  const d = new Float64Array(no);
  for (let a = 0; a < no; a++) d[a] = mean[a] - mu[o[a]];
  let tr = 0;
  for (let i = 0; i < no * no; i++) tr += cov[i] * v[i];
  const vd = new Float64Array(no);
  let quad = 0;
  for (let a = 0; a < no; a++) {
    let t = 0;
    for (let b = 0; b < no; b++) t += v[a * no + b] * d[b];
    vd[a] = t;
    quad += d[a] * t;
  }
  const f = inv.logDet + tr + quad;
  if (!wantGradient) return { f };
  // V − V S V − (Vd)(Vd)ᵀ; a pattern of one row has S = 0
  const dS = new Float64Array(no * no);
  let hasCov = false;
  for (let i = 0; i < no * no && !hasCov; i++) if (cov[i] !== 0) hasCov = true;
  if (hasCov) {
    const vs = new Float64Array(no * no);
    for (let i = 0; i < no; i++)
      for (let k = 0; k < no; k++) {
        const x = v[i * no + k];
        if (x === 0) continue;
        for (let j = 0; j < no; j++) vs[i * no + j] += x * cov[k * no + j];
      }
    for (let i = 0; i < no; i++)
      for (let k = 0; k < no; k++) {
        const x = vs[i * no + k];
        if (x === 0) continue;
        for (let j = 0; j < no; j++) dS[i * no + j] -= x * v[k * no + j];
      }
  }
  for (let i = 0; i < no; i++)
    for (let j = 0; j <= i; j++) {
      const val = 0.5 * (dS[i * no + j] + dS[j * no + i]) + v[i * no + j] - vd[i] * vd[j];
      dS[i * no + j] = val;
      dS[j * no + i] = val;
    }
  const dM = new Float64Array(no);
  for (let a = 0; a < no; a++) dM[a] = -2 * vd[a];
  return { f, dSigma: dS, dMu: dM };
}

/** The saturated (h1) value of a group's likelihood term: log|S| + p, or the FIML term at the EM estimates. */
export function saturatedTerm(sample: GroupSample, p: number): number {
  if (usesPatterns(sample, p)) return fimlTerm(sample, sample.cov, sample.mean, p) ?? NaN;
  return sample.logDetCov + p;
}

/** True when a group has incomplete rows, so its likelihood is taken pattern by pattern. */
export function usesPatterns(sample: GroupSample, p: number): boolean {
  return !!sample.patterns && (sample.patterns.length > 1 || sample.patterns[0].observed.length < p);
}
