import { envelopeCholesky, envelopeInverseDiagonal, envelopeSolve } from './dense.js';
import type { ModelStructure } from './model_matrices.js';

/** A factored (scaled) information matrix: solves and the diagonal of its inverse. */
export interface InformationFactor {
  solve(b: ArrayLike<number>): Float64Array;
  inverseDiagonal(): Float64Array;
  /** cᵀA⁻¹c = ‖L⁻¹c‖², by forward substitution from c's first non-zero (in the factor's order). */
  quadratic(c: ArrayLike<number>): number;
}

/**
 * An order of the free parameters that makes a multi-group information matrix block-arrow:
 * parameters of one group only, group by group, then those shared across groups (equality
 * constraints). Parameters of different groups never meet in the information, so the
 * envelope Cholesky factor has no fill between the group blocks.
 */
export function blockOrder(model: ModelStructure): Int32Array {
  const q = model.nFree;
  const owner = new Int32Array(q).fill(-1);
  model.entries.forEach((entries, g) => {
    for (const e of entries) {
      if (e.free <= 0) continue;
      const k = e.free - 1;
      owner[k] = owner[k] === -1 || owner[k] === g ? g : model.entries.length;
    }
  });
  const idx = Array.from({ length: q }, (_, k) => k);
  idx.sort((a, b) => owner[a] - owner[b] || a - b);
  return Int32Array.from(idx);
}

/** Factors `scale`·M (q×q, symmetric positive definite) in `order`; null when not positive definite (see envelopeCholesky for `relTol`). */
export function factorInformation(m: Float64Array, q: number, order: Int32Array, scale = 1, relTol = 0): InformationFactor | null {
  const a = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    const oi = order[i] * q;
    for (let j = 0; j < q; j++) a[i * q + j] = scale * m[oi + order[j]];
  }
  const f = envelopeCholesky(a, q, relTol);
  if (!f) return null;
  return {
    solve(b) {
      const bp = new Float64Array(q);
      for (let i = 0; i < q; i++) bp[i] = b[order[i]];
      const xp = envelopeSolve(f, bp);
      const x = new Float64Array(q);
      for (let i = 0; i < q; i++) x[order[i]] = xp[i];
      return x;
    },
    quadratic(c) {
      const { l, first } = f;
      const y = new Float64Array(q);
      let start = q;
      for (let i = 0; i < q; i++) {
        y[i] = c[order[i]];
        if (y[i] !== 0 && start === q) start = i;
      }
      let sum = 0;
      for (let i = start; i < q; i++) {
        let t = y[i];
        for (let k = Math.max(first[i], start); k < i; k++) t -= l[i * q + k] * y[k];
        const v = t / l[i * q + i];
        y[i] = v;
        sum += v * v;
      }
      return sum;
    },
    inverseDiagonal() {
      const dp = envelopeInverseDiagonal(f);
      const d = new Float64Array(q);
      for (let i = 0; i < q; i++) d[order[i]] = dp[i];
      return d;
    },
  };
}
