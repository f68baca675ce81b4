import { cholesky, choleskyInverse, choleskyLogDet } from './dense.js';

/** The full implied covariance factored once per evaluation, for all missing-data patterns. */
export interface FullInverse {
  readonly v: Float64Array;
  readonly logDet: number;
}

export function fullInverse(sigma: Float64Array, p: number): FullInverse | null {
  const l = cholesky(sigma, p);
  if (!l) return null;
  return { v: choleskyInverse(l, p), logDet: choleskyLogDet(l, p) };
}

/**
 * Σ_oo⁻¹ and log|Σ_oo| of a missing-data pattern (observed o, missing m). With few missing
 * variables they come from the full inverse V = Σ⁻¹ by the partitioned-inverse identities
 * Σ_oo⁻¹ = V_oo − V_om V_mm⁻¹ V_mo and log|Σ_oo| = log|Σ| + log|V_mm| (O(n_o²·n_m) instead of
 * O(n_o³)); otherwise by factoring Σ_oo directly. `vmmInverse` (n_m × n_m) is returned on the
 * first path for the information's update formula. Null when Σ_oo is not positive definite.
 */
export function patternInverse(
  full: FullInverse | null,
  sigma: Float64Array,
  p: number,
  o: Int32Array,
): { v: Float64Array; logDet: number; missing: Int32Array; vmmInverse: Float64Array | null } | null {
  const no = o.length;
  const isObs = new Uint8Array(p);
  for (const j of o) isObs[j] = 1;
  const missing = Int32Array.from({ length: p - no }, () => 0);
  let t = 0;
  for (let j = 0; j < p; j++) if (!isObs[j]) missing[t++] = j;
  const nm = missing.length;
  if (full && nm === 0) return { v: full.v, logDet: full.logDet, missing, vmmInverse: null };
  if (full && nm <= no) {
    const V = full.v;
    const vmm = new Float64Array(nm * nm);
    for (let a = 0; a < nm; a++) for (let b = 0; b < nm; b++) vmm[a * nm + b] = V[missing[a] * p + missing[b]];
    const lm = cholesky(vmm, nm);
    if (!lm) return null;
    const vmmInverse = choleskyInverse(lm, nm);
    // B = V_om V_mm⁻¹ (no × nm)
    const bmat = new Float64Array(no * nm);
    for (let a = 0; a < no; a++)
      for (let k = 0; k < nm; k++) {
        let s = 0;
        for (let l = 0; l < nm; l++) s += V[o[a] * p + missing[l]] * vmmInverse[l * nm + k];
        bmat[a * nm + k] = s;
      }
    const v = new Float64Array(no * no);
    for (let a = 0; a < no; a++)
      for (let b = 0; b <= a; b++) {
        let s = V[o[a] * p + o[b]];
        for (let k = 0; k < nm; k++) s -= bmat[a * nm + k] * V[missing[k] * p + o[b]];
        v[a * no + b] = s;
        v[b * no + a] = s;
      }
    return { v, logDet: full.logDet + choleskyLogDet(lm, nm), missing, vmmInverse };
  }
  const so = new Float64Array(no * no);
  for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) so[a * no + b] = sigma[o[a] * p + o[b]];
  const l = cholesky(so, no);
  if (!l) return null;
  return { v: choleskyInverse(l, no), logDet: choleskyLogDet(l, no), missing, vmmInverse: null };
}
