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
  const missing = missingVariables(patterns, p);
  const w: Float64Array[] = [];
  const logDetObserved = new Float64Array(patterns.length);
  for (let t = 0; t < patterns.length; t++) {
    const mis = missing[t];
    const nm = mis.length;
    if (nm === 0) {
      w.push(EMPTY);
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

const EMPTY = new Float64Array(0);
const MISSING = new WeakMap<readonly MissingPattern[], Int32Array[]>();

/** Each pattern's missing variables (the complement of its observed ones), computed once per pattern set. */
function missingVariables(patterns: readonly MissingPattern[], p: number): Int32Array[] {
  const cached = MISSING.get(patterns);
  if (cached) return cached;
  const isObs = new Uint8Array(p);
  const out = patterns.map((pt) => {
    isObs.fill(0);
    for (const j of pt.observed) isObs[j] = 1;
    const mis = new Int32Array(p - pt.observed.length);
    let k = 0;
    for (let j = 0; j < p; j++) if (!isObs[j]) mis[k++] = j;
    return mis;
  });
  MISSING.set(patterns, out);
  return out;
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

/**
 * Moments of the rows taken row by row (`byRows` patterns), with each row x̃ zero-filled on its
 * missing variables and m its 0/1 observed mask: A = Σ x̃x̃ᵀ, B = Σ x̃mᵀ, C = Σ mmᵀ, x = Σ x̃ and
 * c = Σ m. They do not depend on the parameters, so Σ (x̃ − μ∘m)(x̃ − μ∘m)ᵀ =
 * A − B diag(μ) − diag(μ) Bᵀ + (μμᵀ)∘C costs O(p²) at any μ instead of O(n·p²).
 */
export interface RowMoments {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly x: Float64Array;
  readonly count: Float64Array;
}

const ROW_MOMENTS = new WeakMap<readonly MissingPattern[], RowMoments>();

export function rowMoments(patterns: readonly MissingPattern[], p: number): RowMoments {
  const cached = ROW_MOMENTS.get(patterns);
  if (cached) return cached;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p * p);
  const c = new Float64Array(p * p);
  const x = new Float64Array(p);
  const count = new Float64Array(p);
  for (const pt of patterns) {
    if (!byRows(pt)) continue;
    const o = pt.observed;
    const no = o.length;
    const rows = pt.rows!;
    for (let i = 0; i < pt.n; i++)
      for (let k = 0; k < no; k++) {
        const v = rows[i * no + k];
        const jk = o[k];
        x[jk] += v;
        count[jk] += 1;
        for (let l = 0; l < no; l++) {
          a[jk * p + o[l]] += v * rows[i * no + l];
          b[jk * p + o[l]] += v;
        }
      }
    for (let k = 0; k < no; k++) for (let l = 0; l < no; l++) c[o[k] * p + o[l]] += pt.n;
  }
  const out = { a, b, c, x, count };
  ROW_MOMENTS.set(patterns, out);
  return out;
}

/** Σ (x̃ − μ∘m)(x̃ − μ∘m)ᵀ over the row-by-row patterns, from their `rowMoments`. */
export function centredRowMoments(rm: RowMoments, mu: Float64Array, p: number): Float64Array {
  const d = new Float64Array(p * p);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++) {
      const jk = j * p + k;
      d[jk] = rm.a[jk] - rm.b[jk] * mu[k] - rm.b[k * p + j] * mu[j] + mu[j] * mu[k] * rm.c[jk];
    }
  return d;
}
