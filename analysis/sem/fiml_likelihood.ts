import { byRows, centredRowMoments, observedInverse, patternFactors, rowMoments, type PatternFactors } from './pattern_factors.js';
import type { GroupSample } from './sample_statistics.js';

/** One group's full-information term and its derivatives with respect to Σ and μ. */
export interface FimlGroupTerm {
  /** Σ_p (n_p/n)[log|Σ_oo| + tr(Σ_oo⁻¹S_p) + d̄_pᵀΣ_oo⁻¹d̄_p], d̄_p = ȳ_p − μ_o. */
  readonly f: number;
  /** ∂f/∂Σ (p × p, symmetric) and ∂f/∂μ, when asked. */
  readonly dSigma: Float64Array | null;
  readonly dMu: Float64Array | null;
  readonly factors: PatternFactors;
}

/**
 * The casewise normal likelihood of one group with missing values (Arbuckle, 1996; Enders,
 * 2010, ch. 4; lavaan's lav_mvnorm_missing_loglik_samplestats and its gradient), as −2/n times
 * the log-likelihood less n·p_o·ln 2π: f = Σ_p (n_p/n)[log|Σ_oo| + tr(Σ_oo⁻¹M_p)] with
 * M_p = S_p + d̄_p d̄_pᵀ = (1/n_p)Σ_{i∈p} d_i d_iᵀ. Its derivatives are
 * ∂f/∂Σ = (1/n)Σ_p n_p(Σ_oo⁻¹ − Σ_oo⁻¹M_pΣ_oo⁻¹) and ∂f/∂μ = −(2/n)Σ_p n_p Σ_oo⁻¹d̄_p, embedded
 * with zeros on each pattern's missing variables. All patterns share one factorisation of Σ
 * (`patternFactors`): Σ_p n_p(Σ_oo⁻¹ ⊕ 0) = nV − V K V with K = Σ_p n_p E_m W_p E_mᵀ, and the
 * rows of patterns with few rows enter through their fixed moments (`rowMoments`) plus a
 * correction of O(n_m·n_o) per row, so a data set whose rows all differ in their missing
 * variables costs O(n·n_m·n_o + p³) per evaluation. Null when Σ is not positive definite.
 */
export function fimlGroupTerm(sample: GroupSample, sigma: Float64Array, mu: Float64Array, p: number, wantGradient: boolean): FimlGroupTerm | null {
  const patterns = sample.patterns!;
  const factors = patternFactors(sigma, p, patterns);
  if (!factors) return null;
  const { v } = factors;
  const n = sample.n;
  // rows taken one by one: with e = d̃ − E_m W_p V_mo d_o, Σ_oo⁻¹d = V e, so Σ dᵀΣ_oo⁻¹d =
  // tr(V D) − Σ z_mᵀW_p z_m (z_m = V_mo d_o, D = Σ d̃d̃ᵀ from the fixed row moments) and
  // Σ Σ_oo⁻¹ddᵀΣ_oo⁻¹ = V (Σ eeᵀ) V: O(n_m·n_o) per row
  const rm = rowMoments(patterns, p);
  const dd = centredRowMoments(rm, mu, p);
  let f = 0;
  for (let e = 0; e < p * p; e++) f += v[e] * dd[e];
  const ee = wantGradient ? dd : null;
  const eSum = wantGradient ? new Float64Array(p) : null;
  if (eSum) for (let j = 0; j < p; j++) eSum[j] = rm.x[j] - mu[j] * rm.count[j];
  // patterns taken through their moments: Σ n_p Σ_oo⁻¹M_pΣ_oo⁻¹ (lower triangle) and Σ n_p Σ_oo⁻¹d̄_p
  const vmv = wantGradient ? new Float64Array(p * p) : null;
  const vd = wantGradient ? new Float64Array(p) : null;
  const k = wantGradient ? new Float64Array(p * p) : null;
  const d = new Float64Array(p);
  const zm = new Float64Array(p);
  const tm = new Float64Array(p);
  for (let t = 0; t < patterns.length; t++) {
    const pt = patterns[t];
    const o = pt.observed;
    const no = o.length;
    const mis = factors.missing[t];
    const nm = mis.length;
    const wt = factors.w[t];
    if (byRows(pt)) {
      if (nm > 0) {
        const rows = pt.rows!;
        for (let i = 0; i < pt.n; i++) {
          for (let b = 0; b < no; b++) d[b] = rows[i * no + b] - mu[o[b]];
          for (let a = 0; a < nm; a++) {
            const row = mis[a] * p;
            let s = 0;
            for (let b = 0; b < no; b++) s += v[row + o[b]] * d[b];
            zm[a] = s;
          }
          for (let a = 0; a < nm; a++) {
            let s = 0;
            for (let b = 0; b < nm; b++) s += wt[a * nm + b] * zm[b];
            tm[a] = s;
            f -= zm[a] * s;
          }
          if (ee) {
            for (let a = 0; a < nm; a++) {
              const ta = tm[a];
              const ma = mis[a];
              eSum![ma] -= ta;
              for (let b = 0; b < no; b++) {
                const x = d[b] * ta;
                ee[o[b] * p + ma] -= x;
                ee[ma * p + o[b]] -= x;
              }
              for (let b = 0; b < nm; b++) ee[ma * p + mis[b]] += ta * tm[b];
            }
          }
        }
      }
    } else {
      // through the pattern's moments: n_p[tr(Σ_oo⁻¹S_p) + d̄ᵀΣ_oo⁻¹d̄], Σ_oo⁻¹ formed once
      const vo = observedInverse(factors, t, o);
      const dm = new Float64Array(no);
      for (let a = 0; a < no; a++) dm[a] = pt.mean[a] - mu[o[a]];
      const w = new Float64Array(no * no); // M_p = S_p + d̄d̄ᵀ
      for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) w[a * no + b] = pt.cov[a * no + b] + dm[a] * dm[b];
      let tr = 0;
      for (let e = 0; e < no * no; e++) tr += vo[e] * w[e];
      f += pt.n * tr;
      if (vmv) {
        const vw = new Float64Array(no * no);
        for (let a = 0; a < no; a++)
          for (let c = 0; c < no; c++) {
            const x = vo[a * no + c];
            if (x === 0) continue;
            for (let b = 0; b < no; b++) vw[a * no + b] += x * w[c * no + b];
          }
        for (let a = 0; a < no; a++) {
          let s = 0;
          for (let c = 0; c < no; c++) s += vo[a * no + c] * dm[c];
          vd![o[a]] += pt.n * s;
          for (let b = 0; b <= a; b++) {
            let m = 0;
            for (let c = 0; c < no; c++) m += vw[a * no + c] * vo[c * no + b];
            vmv[o[a] * p + o[b]] += pt.n * m;
          }
        }
      }
    }
    f += pt.n * factors.logDetObserved[t];
    if (k) for (let a = 0; a < nm; a++) for (let b = 0; b < nm; b++) k[mis[a] * p + mis[b]] += pt.n * wt[a * nm + b];
  }
  if (!wantGradient) return { f: f / n, dSigma: null, dMu: null, factors };
  // ∂f/∂Σ = (1/n)[nV − V K V − V(Σ eeᵀ)V − Σ_p n_p Σ_oo⁻¹M_pΣ_oo⁻¹]: V(K + Σ eeᵀ)V in one product
  const kv = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let c = 0; c < p; c++) {
      const x = k![i * p + c] + ee![i * p + c];
      if (x === 0) continue;
      for (let j = 0; j < p; j++) kv[i * p + j] += x * v[c * p + j];
    }
  const dSigma = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += v[i * p + c] * kv[c * p + j];
      const val = (n * v[i * p + j] - s - vmv![i * p + j]) / n;
      dSigma[i * p + j] = val;
      dSigma[j * p + i] = val;
    }
  const dMu = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = vd![i];
    for (let c = 0; c < p; c++) s += v[i * p + c] * eSum![c];
    dMu[i] = (-2 * s) / n;
  }
  return { f: f / n, dSigma, dMu, factors };
}
