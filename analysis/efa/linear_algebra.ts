/**
 * Small dense linear-algebra kernels on `number[][]` (rows × columns) used by the factor-analysis
 * modules: products (X′Y of flat matrices by a kernel), transposes, Cholesky-based solves and inverses, log-determinants, and the
 * Moore-Penrose pseudo-inverse of a symmetric matrix. They assume validated, conformable input.
 */
import { symmetricEigen } from './symmetric_eigen.js';
import { CHOLESKY_KERNEL_ORDER_COLD, choleskyInverseRows, choleskyLogDetRows, choleskyRows } from '../math/cholesky.js';
import { MATRIX_SUMS_KERNEL_ORDER, matrixSumsKernel, type MatrixSumsCode } from '../math/matrix_sums_kernel.js';

export type Matrix = number[][];

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i][i] = 1;
  return m;
}

export function transpose(a: readonly (readonly number[])[]): Matrix {
  const r = a.length;
  const c = r > 0 ? a[0].length : 0;
  const t = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j][i] = a[i][j];
  return t;
}

/** The product A B. */
export function multiply(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix {
  const n = a.length;
  const m = b.length;
  const p = m > 0 ? b[0].length : 0;
  const out = zeros(n, p);
  for (let i = 0; i < n; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let k = 0; k < m; k++) {
      const aik = ai[k];
      if (aik === 0) continue;
      const bk = b[k];
      for (let j = 0; j < p; j++) oi[j] += aik * bk[j];
    }
  }
  return out;
}

/** A′B (crossprod). */
export function crossprod(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix {
  return multiply(transpose(a), b);
}

/** L L′ for a p × k matrix L (the common part of a factor model). */
export function outerProduct(l: readonly (readonly number[])[]): Matrix {
  const p = l.length;
  const out = zeros(p, p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const li = l[i];
      const lj = l[j];
      for (let k = 0; k < li.length; k++) s += li[k] * lj[k];
      out[i][j] = out[j][i] = s;
    }
  }
  return out;
}

/**
 * Cholesky factor (lower triangular) of a symmetric positive-definite matrix, or null if it is not PD
 * (analysis/math/cholesky.ts; by its kernel from the order where it pays in a run without V8's optimiser).
 */
export function cholesky(a: readonly (readonly number[])[]): Matrix | null {
  return choleskyRows(a, 0, CHOLESKY_KERNEL_ORDER_COLD);
}

/** The inverse of a symmetric positive-definite matrix from its Cholesky factor L: (L L′)⁻¹ = L⁻′ L⁻¹. */
export function choleskyInverse(l: readonly (readonly number[])[]): Matrix {
  return choleskyInverseRows(l, CHOLESKY_KERNEL_ORDER_COLD);
}

/** log det of a symmetric positive-definite matrix from its Cholesky factor: 2 Σ ln L_ii. */
export function choleskyLogDeterminant(l: readonly (readonly number[])[]): number {
  return choleskyLogDetRows(l);
}

/** True when the Cholesky factor shows the matrix comfortably positive definite (every pivot² above `floor`). */
export function clearlyPositiveDefinite(l: readonly (readonly number[])[] | null, floor = 1e-8): l is Matrix {
  if (!l) return false;
  for (let i = 0; i < l.length; i++) if (!(l[i][i] * l[i][i] > floor)) return false;
  return true;
}

/** LU decomposition with partial pivoting; returns null for a singular matrix. */
function luDecompose(a: readonly (readonly number[])[]): { lu: Matrix; piv: number[]; sign: number } | null {
  const n = a.length;
  const lu = a.map((r) => r.slice());
  const piv = Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i][k]) > Math.abs(lu[p][k])) p = i;
    if (lu[p][k] === 0) return null;
    if (p !== k) {
      [lu[p], lu[k]] = [lu[k], lu[p]];
      [piv[p], piv[k]] = [piv[k], piv[p]];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i][k] /= lu[k][k]);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i][j] -= f * lu[k][j];
    }
  }
  return { lu, piv, sign };
}

/** Solves A X = B for a square A (LU with partial pivoting); null when A is singular. */
export function solve(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix | null {
  const dec = luDecompose(a);
  if (!dec) return null;
  const { lu, piv } = dec;
  const n = a.length;
  const m = b[0].length;
  const x = piv.map((i) => b[i].slice());
  for (let k = 0; k < n; k++) for (let i = k + 1; i < n; i++) {
    const f = lu[i][k];
    if (f !== 0) for (let j = 0; j < m; j++) x[i][j] -= f * x[k][j];
  }
  for (let k = n - 1; k >= 0; k--) {
    for (let j = 0; j < m; j++) x[k][j] /= lu[k][k];
    for (let i = 0; i < k; i++) {
      const f = lu[i][k];
      if (f !== 0) for (let j = 0; j < m; j++) x[i][j] -= f * x[k][j];
    }
  }
  return x;
}

/** The inverse of a square matrix, or null when it is singular. */
export function inverse(a: readonly (readonly number[])[]): Matrix | null {
  return solve(a, identity(a.length));
}

/** log |det A| and the sign of det A (sign 0 for a singular matrix). */
export function logDeterminant(a: readonly (readonly number[])[]): { log: number; sign: number } {
  const dec = luDecompose(a);
  if (!dec) return { log: -Infinity, sign: 0 };
  let log = 0;
  let sign = dec.sign;
  for (let i = 0; i < a.length; i++) {
    const d = dec.lu[i][i];
    if (d < 0) sign = -sign;
    log += Math.log(Math.abs(d));
  }
  return { log, sign };
}

/** The determinant of a square matrix. */
export function determinant(a: readonly (readonly number[])[]): number {
  const { log, sign } = logDeterminant(a);
  return sign * Math.exp(log);
}

/**
 * Moore-Penrose pseudo-inverse of a symmetric matrix, dropping eigenvalues at or below
 * √ε times the largest in absolute value (the tolerance of psych::Pinv / MASS::ginv).
 */
export function pseudoInverseSymmetric(a: readonly (readonly number[])[]): Matrix {
  const n = a.length;
  const { values, vectors } = symmetricEigen(a);
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const tol = Math.sqrt(2 ** -52) * max;
  const out = zeros(n, n);
  for (let k = 0; k < n; k++) {
    if (!(Math.abs(values[k]) > tol)) continue;
    const inv = 1 / values[k];
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k] * inv;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i][j] += vik * vectors[j * n + k];
    }
  }
  return out;
}

/** Rescales a covariance matrix to correlations (R's cov2cor). */
export function toCorrelation(a: readonly (readonly number[])[]): Matrix {
  const sd = a.map((r, i) => Math.sqrt(r[i]));
  return a.map((r, i) => r.map((v, j) => (i === j ? 1 : v / (sd[i] * sd[j]))));
}

/**
 * X′Y (k × k, row-major) of two p × k row-major matrices, each entry summed over the rows i in order:
 * by the matrix-sums kernel from its order (a p k² loop a command runs a few times, cold), else in
 * JavaScript, the same sums.
 */
export function transposedProduct(x: Float64Array, y: Float64Array, p: number, k: number, code: MatrixSumsCode = 'auto'): Float64Array {
  const kernel = code === 'auto' && p >= MATRIX_SUMS_KERNEL_ORDER ? matrixSumsKernel() : null;
  if (kernel) return kernel.transposedProduct(x, y, p, k);
  const out = new Float64Array(k * k);
  for (let i = 0; i < p; i++) {
    for (let m = 0; m < k; m++) {
      const xim = x[i * k + m];
      for (let q = 0; q < k; q++) out[m * k + q] += xim * y[i * k + q];
    }
  }
  return out;
}
