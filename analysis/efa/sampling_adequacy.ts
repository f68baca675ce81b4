import { InputError } from '../errors.js';
import { inverse } from './linear_algebra.js';
import { factorOf, type CorrelationFactor } from './correlation_factor.js';
import { MATRIX_SUMS_KERNEL_ORDER, matrixSumsKernel, type MatrixSumsCode } from '../math/matrix_sums_kernel.js';

/** Kaiser-Meyer-Olkin measure of sampling adequacy, overall and per item. */
export interface SamplingAdequacy {
  readonly overall: number;
  readonly items: number[];
}

/**
 * Kaiser-Meyer-Olkin measure of sampling adequacy (Kaiser, 1970, doi:10.1007/BF02291817; Kaiser & Rice,
 * 1974, doi:10.1177/001316447403400115): MSA = Σ r²_ij / (Σ r²_ij + Σ q²_ij) over i ≠ j, q the partial
 * (anti-image) correlations from R⁻¹; per item the same sums over its own column.
 * Matches psych::KMO 2.2.9 (`MSA`, `MSAi`). `factor`: R's Cholesky factor and inverse, when the caller has them.
 */
export function kaiserMeyerOlkin(r: readonly (readonly number[])[], factor?: CorrelationFactor): SamplingAdequacy {
  const p = r.length;
  const f = factorOf(r, factor);
  // R⁻¹ row-major: from R's Cholesky factor, else by LU (null when singular)
  let q = f.l ? f.inverse() : null;
  if (!f.l) {
    const rows = inverse(r);
    if (rows) {
      q = new Float64Array(p * p);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) q[i * p + j] = rows[i][j];
    }
  }
  // (R⁻¹)_ii = 1 / (1 − SMC_i): beyond 1e12 an item is a linear combination of the others up to rounding
  const d = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const v = q ? q[i * p + i] : NaN;
    if (!(Number.isFinite(v) && Math.abs(v) < 1e12)) {
      throw new InputError('r', 'the correlation matrix is singular, so the KMO anti-image correlations do not exist.');
    }
    d[i] = Math.sqrt(v);
  }
  const { sumR, sumQ, colR, colQ } = antiImageSums(r, q!, d, p);
  return { overall: sumR / (sumR + sumQ), items: Array.from(colR, (v, j) => v / (v + colQ[j])) };
}

/**
 * Σ r_ij² and Σ q_ij², q_ij = (R⁻¹)_ij / (d_i d_j), over i ≠ j (i, then j, in order), overall and by column j:
 * by the matrix-sums kernel from its order (a p² loop that a command runs once, cold), else in JavaScript, the same sums.
 */
export function antiImageSums(
  r: readonly (readonly number[])[],
  inv: Float64Array,
  d: Float64Array,
  p: number,
  code: MatrixSumsCode = 'auto',
): { sumR: number; sumQ: number; colR: Float64Array; colQ: Float64Array } {
  const kernel = code === 'auto' && p >= MATRIX_SUMS_KERNEL_ORDER ? matrixSumsKernel() : null;
  if (kernel) {
    const w = kernel.workspace(p, 0);
    for (let i = 0; i < p; i++) w.r.set(r[i], i * p);
    w.b.set(inv.subarray(0, p * p));
    w.d.set(d);
    w.out.fill(0);
    kernel.antiImageSums(p);
    return { sumR: w.out[0], sumQ: w.out[1], colR: w.out.slice(2, 2 + p), colQ: w.out.slice(2 + p, 2 + 2 * p) };
  }
  let sumR = 0;
  let sumQ = 0;
  const colR = new Float64Array(p);
  const colQ = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const ri = r[i];
    for (let j = 0; j < p; j++) {
      if (i === j) continue;
      const rij = ri[j] * ri[j];
      const qv = inv[i * p + j] / (d[i] * d[j]);
      const qij = qv * qv;
      sumR += rij;
      sumQ += qij;
      colR[j] += rij;
      colQ[j] += qij;
    }
  }
  return { sumR, sumQ, colR, colQ };
}
