import { cholesky, choleskyInverse, choleskyLogDet } from './dense.js';
import type { MissingPattern } from './sample_statistics.js';

/**
 * Every missing-data pattern's Σ_oo⁻¹ in low-rank form, from one factorisation of the full Σ:
 * with V = Σ⁻¹ and W_p = (V_mm)⁻¹ for the pattern's missing variables m, the partitioned
 * inverse gives Σ_oo⁻¹ = V_oo − V_om W_p V_mo, and embedded in p × p with zeros on m,
 * Σ_oo⁻¹ ⊕ 0 = V − V E_m W_p E_mᵀ V (its rows and columns m vanish because V_mm W_p = I);
 * log|Σ_oo| = log|Σ| + log|V_mm| (Little & Rubin, 2002, §11.2; the identity lavaan's
 * lav_mvnorm_missing_* functions use pattern by pattern). Applying Σ_oo⁻¹ to a vector costs
 * O(p·n_o + p·n_m) instead of an O(n_o³) factorisation, so one set of factors serves the
 * likelihood, its gradient and the observed information at the same Σ.
 */
export interface PatternFactors {
  readonly p: number;
  /** V = Σ⁻¹ (p × p). */
  readonly v: Float64Array;
  readonly logDet: number;
  /** Per pattern: the missing variables, W = (V_mm)⁻¹ (n_m × n_m) and log|Σ_oo|. */
  readonly missing: readonly Int32Array[];
  readonly w: readonly Float64Array[];
  readonly logDetObserved: Float64Array;
}

/** The factors at Σ; null when Σ (or some V_mm) is not positive definite. */
export function patternFactors(sigma: Float64Array, p: number, patterns: readonly MissingPattern[]): PatternFactors | null {
  const l = cholesky(sigma, p);
  if (!l) return null;
  const v = choleskyInverse(l, p);
  const logDet = choleskyLogDet(l, p);
  const missing: Int32Array[] = [];
  const w: Float64Array[] = [];
  const logDetObserved = new Float64Array(patterns.length);
  const isObs = new Uint8Array(p);
  for (let t = 0; t < patterns.length; t++) {
    const o = patterns[t].observed;
    isObs.fill(0);
    for (let a = 0; a < o.length; a++) isObs[o[a]] = 1;
    const mis = new Int32Array(p - o.length);
    let k = 0;
    for (let j = 0; j < p; j++) if (!isObs[j]) mis[k++] = j;
    const nm = mis.length;
    missing.push(mis);
    if (nm === 0) {
      w.push(new Float64Array(0));
      logDetObserved[t] = logDet;
      continue;
    }
    const vmm = new Float64Array(nm * nm);
    for (let a = 0; a < nm; a++) for (let b = 0; b < nm; b++) vmm[a * nm + b] = v[mis[a] * p + mis[b]];
    const lm = cholesky(vmm, nm);
    if (!lm) return null;
    w.push(choleskyInverse(lm, nm));
    logDetObserved[t] = logDet + choleskyLogDet(lm, nm);
  }
  return { p, v, logDet, missing, w, logDetObserved };
}

/**
 * r = (Σ_oo⁻¹ ⊕ 0)·d for a p-vector d that is zero on the pattern's missing variables
 * (written into `r`, p entries, zero on m); `z` is p entries of scratch space. Returns dᵀr.
 */
export function applyObservedInverse(f: PatternFactors, t: number, observed: Int32Array, d: Float64Array, r: Float64Array, z: Float64Array): number {
  const { p, v } = f;
  const no = observed.length;
  // z = V d over the observed columns
  for (let i = 0; i < p; i++) {
    const row = i * p;
    let s = 0;
    for (let a = 0; a < no; a++) {
      const j = observed[a];
      s += v[row + j] * d[j];
    }
    z[i] = s;
  }
  const mis = f.missing[t];
  const nm = mis.length;
  r.set(z);
  if (nm > 0) {
    // r = z − V_·m W z_m
    const w = f.w[t];
    for (let a = 0; a < nm; a++) {
      let s = 0;
      for (let b = 0; b < nm; b++) s += w[a * nm + b] * z[mis[b]];
      for (let i = 0; i < p; i++) r[i] -= v[i * p + mis[a]] * s;
    }
    for (let a = 0; a < nm; a++) r[mis[a]] = 0;
  }
  let q = 0;
  for (let a = 0; a < no; a++) q += d[observed[a]] * r[observed[a]];
  return q;
}

/** Σ_oo⁻¹ of pattern t as an n_o × n_o matrix (V_oo − V_om W V_mo). */
export function observedInverse(f: PatternFactors, t: number, observed: Int32Array): Float64Array {
  const { p, v } = f;
  const no = observed.length;
  const mis = f.missing[t];
  const nm = mis.length;
  const out = new Float64Array(no * no);
  for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) out[a * no + b] = v[observed[a] * p + observed[b]];
  if (nm === 0) return out;
  const w = f.w[t];
  // B = V_om W (n_o × n_m)
  const bm = new Float64Array(no * nm);
  for (let a = 0; a < no; a++)
    for (let k = 0; k < nm; k++) {
      let s = 0;
      for (let l = 0; l < nm; l++) s += v[observed[a] * p + mis[l]] * w[l * nm + k];
      bm[a * nm + k] = s;
    }
  for (let a = 0; a < no; a++)
    for (let b = 0; b <= a; b++) {
      let s = out[a * no + b];
      for (let k = 0; k < nm; k++) s -= bm[a * nm + k] * v[mis[k] * p + observed[b]];
      out[a * no + b] = s;
      out[b * no + a] = s;
    }
  return out;
}

/**
 * Whether pattern t is cheaper taken row by row (Σ_oo⁻¹ applied to each row) than through its
 * moments (Σ_oo⁻¹ formed, O(n_o³) products): a few rows against many observed variables.
 */
export function byRows(pt: MissingPattern): boolean {
  return pt.rows !== undefined && pt.n <= pt.observed.length;
}
