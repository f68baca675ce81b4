/**
 * The one Cholesky factorisation of seici and what follows from it (log-determinant, SPD inverse,
 * solve), on row-major Float64Array matrices of order n, plus adapters for row-array matrices.
 * Nothing here validates input beyond positive definiteness.
 */
import { choleskyKernel } from './cholesky_kernel.js';

/**
 * Which code runs the O(n³) loops: `auto`, the WebAssembly kernel of cholesky_kernel.ts where the
 * engine has one (the same operations in the same order: the same results to the last bit), else
 * JavaScript; `javascript` always the JavaScript loops (for tests that compare the two).
 */
export type CholeskyCode = 'auto' | 'javascript';

/**
 * From this order the kernel pays for its own assembly and compilation (≈ 5 ms in a fresh process);
 * below it the JavaScript loops are as quick.
 */
export const CHOLESKY_KERNEL_ORDER = 48;
const KERNEL_ORDER = CHOLESKY_KERNEL_ORDER;

/**
 * The order from which the kernel pays where JavaScript runs without V8's optimising compiler all
 * along (`seici efa` sets --no-opt): its baseline code boxes each double it computes (36 items:
 * ≈ 1.6 MB of garbage from the Cholesky loops, 2 of 7 scavenges, ≈ 1.5 ms of CPU).
 */
export const CHOLESKY_KERNEL_ORDER_COLD = 16;

/**
 * Lower Cholesky factor L of a symmetric positive-definite matrix (A = L Lᵀ), computed column by
 * column (Golub & Van Loan, Matrix Computations, 4th ed., alg. 4.2.1) into a new array; null when
 * the matrix is not positive definite, i.e. when a pivot is not above
 * `minPivot` · max(1, |a_jj|) (0 by default: any positive pivot).
 */
export function cholesky(a: Float64Array, n: number, minPivot = 0, code: CholeskyCode = 'auto', kernelFrom = KERNEL_ORDER): Float64Array | null {
  const kernel = code === 'auto' && n >= kernelFrom ? choleskyKernel() : null;
  if (kernel) {
    const w = kernel.workspace(n);
    w.a.set(a.subarray(0, n * n));
    w.l.fill(0);
    return kernel.factor(n, minPivot) ? w.l.slice() : null;
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= l[lj + k] * l[lj + k];
    if (!(d > minPivot * Math.max(1, Math.abs(a[j * n + j]))) || !Number.isFinite(d)) return null;
    const djj = Math.sqrt(d);
    l[lj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = a[li + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      l[li + j] = s / djj;
    }
  }
  return l;
}

/** log det A from its Cholesky factor. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** A⁻¹ from the Cholesky factor of A. */
export function choleskyInverse(l: Float64Array, n: number, code: CholeskyCode = 'auto', kernelFrom = KERNEL_ORDER): Float64Array {
  const kernel = code === 'auto' && n >= kernelFrom ? choleskyKernel() : null;
  if (kernel) {
    const w = kernel.workspace(n);
    w.l.set(l.subarray(0, n * n));
    kernel.lowerInverse(n);
    w.inv.fill(0);
    kernel.gram(n);
    const inv = w.inv.slice();
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
    return inv;
  }
  // invert L (lower), then A⁻¹ = L⁻ᵀ L⁻¹
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1 / l[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * n + k] * li[k * n + j];
      li[i * n + j] = -s / l[i * n + i];
    }
  }
  // A⁻¹ = Σ_k (row k of L⁻¹)ᵀ(row k of L⁻¹), accumulated row by row
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lk = k * n;
    for (let i = 0; i <= k; i++) {
      const a = li[lk + i];
      if (a === 0) continue;
      const ii = i * n;
      for (let j = 0; j <= i; j++) inv[ii + j] += a * li[lk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
  return inv;
}

/** Solves A x = b given the Cholesky factor of A. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Row-major Float64Array copy of a square row-array matrix. */
function packRows(rows: readonly (readonly number[])[]): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = rows[i][j];
  return out;
}

/** Row arrays from a row-major Float64Array matrix of order n. */
function unpackRows(a: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
}

/** {@link cholesky} of a row-array matrix, returning row arrays (null when not positive definite). */
export function choleskyRows(rows: readonly (readonly number[])[], minPivot = 0, kernelFrom = KERNEL_ORDER): number[][] | null {
  const n = rows.length;
  const l = cholesky(packRows(rows), n, minPivot, 'auto', kernelFrom);
  return l ? unpackRows(l, n) : null;
}

/** {@link choleskyInverse} for a row-array Cholesky factor: (L Lᵀ)⁻¹ as row arrays. */
export function choleskyInverseRows(l: readonly (readonly number[])[], kernelFrom = KERNEL_ORDER): number[][] {
  const n = l.length;
  return unpackRows(choleskyInverse(packRows(l), n, 'auto', kernelFrom), n);
}

/** {@link choleskyLogDet} for a row-array Cholesky factor: 2 Σ ln L_ii. */
export function choleskyLogDetRows(l: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < l.length; i++) s += Math.log(l[i][i]);
  return 2 * s;
}
