/**
 * Dense linear algebra on row-major Float64Array matrices, the kernels under the SEM
 * estimator: products, Cholesky factorisation, SPD inverse and log-determinant, and a
 * symmetric solve. Square matrices carry their order `n`; nothing here validates input.
 */

/** C = A (r×k) · B (k×c). */
export function multiply(a: Float64Array, b: Float64Array, r: number, k: number, c: number, out = new Float64Array(r * c)): Float64Array {
  out.fill(0);
  for (let i = 0; i < r; i++) {
    const oi = i * c;
    for (let t = 0; t < k; t++) {
      const av = a[i * k + t];
      if (av === 0) continue;
      const bt = t * c;
      for (let j = 0; j < c; j++) out[oi + j] += av * b[bt + j];
    }
  }
  return out;
}

/** C = Aᵀ (k×r stored) · B (k×c): the transpose of A times B. */
export function multiplyTransposeA(a: Float64Array, b: Float64Array, k: number, r: number, c: number, out = new Float64Array(r * c)): Float64Array {
  out.fill(0);
  for (let t = 0; t < k; t++) {
    for (let i = 0; i < r; i++) {
      const av = a[t * r + i];
      if (av === 0) continue;
      const oi = i * c;
      const bt = t * c;
      for (let j = 0; j < c; j++) out[oi + j] += av * b[bt + j];
    }
  }
  return out;
}

/** A · Bᵀ for A (r×k), B (c×k). */
export function multiplyTransposeB(a: Float64Array, b: Float64Array, r: number, k: number, c: number, out = new Float64Array(r * c)): Float64Array {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t];
      out[i * c + j] = s;
    }
  }
  return out;
}

export { cholesky, choleskyInverse, choleskyLogDet, choleskySolve } from '../math/cholesky.js';

/** Inverse of a general square matrix by Gauss–Jordan elimination with partial pivoting; null when singular. */
export function inverse(a: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    const pv = m[piv * n + c];
    if (Math.abs(pv) < 1e-300) return null;
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        [m[c * n + j], m[piv * n + j]] = [m[piv * n + j], m[c * n + j]];
        [inv[c * n + j], inv[piv * n + j]] = [inv[piv * n + j], inv[c * n + j]];
      }
    }
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= pv;
      inv[c * n + j] /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

/**
 * Rank-revealing check of a symmetric positive semi-definite matrix: the indices of the
 * columns that are (numerically) linear combinations of earlier ones, in a Cholesky
 * factorisation that skips such columns. Relative tolerance `tol` on the pivot.
 */
export function dependentColumns(a: Float64Array, n: number, tol = 1e-9): number[] {
  const l = new Float64Array(n * n);
  const skip: number[] = [];
  const scale = Math.max(1e-300, ...Array.from({ length: n }, (_, i) => Math.abs(a[i * n + i])));
  const ok = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) if (ok[k]) d -= l[j * n + k] * l[j * n + k];
    if (!(d > tol * Math.max(Math.abs(a[j * n + j]), tol * scale))) {
      skip.push(j);
      continue;
    }
    ok[j] = 1;
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) if (ok[k]) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / djj;
    }
  }
  return skip;
}

/** A Cholesky factor that stores, per row, the first column that can be non-zero. */
export interface EnvelopeFactor {
  readonly l: Float64Array;
  readonly first: Int32Array;
  readonly n: number;
}

/**
 * Cholesky factorisation restricted to the matrix's envelope (profile): row i of L is zero left
 * of the first non-zero of row i of A, so a block-arrow matrix (independent blocks plus a dense
 * border of shared parameters) costs Σ b³/3 instead of n³/3 (George & Liu, 1981, ch. 4).
 * Null when the matrix is not positive definite, or when a pivot falls below `relTol` times its
 * diagonal entry (a numerically dependent column).
 */
export function envelopeCholesky(a: Float64Array, n: number, relTol = 0): EnvelopeFactor | null {
  const first = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let f = i;
    for (let j = 0; j < i; j++)
      if (a[i * n + j] !== 0) {
        f = j;
        break;
      }
    first[i] = f;
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const fi = first[i];
    const li = i * n;
    for (let j = fi; j <= i; j++) {
      const lj = j * n;
      let s = a[li + j];
      const k0 = Math.max(fi, first[j]);
      for (let k = k0; k < j; k++) s -= l[li + k] * l[lj + k];
      if (j === i) {
        if (!(s > relTol * Math.abs(a[li + i])) || !(s > 0) || !Number.isFinite(s)) return null;
        l[li + i] = Math.sqrt(s);
      } else l[li + j] = s / l[lj + j];
    }
  }
  return { l, first, n };
}

/** Solves A x = b from an envelope Cholesky factor. */
export function envelopeSolve(f: EnvelopeFactor, b: ArrayLike<number>): Float64Array {
  const { l, first, n } = f;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = first[i]; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = y;
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= l[i * n + i];
    const xi = x[i];
    for (let k = first[i]; k < i; k++) x[k] -= l[i * n + k] * xi;
  }
  return x;
}

/**
 * The diagonal of A⁻¹ = L⁻ᵀL⁻¹ from an envelope factor, (A⁻¹)_jj = Σ_i (L⁻¹)_ij², computing
 * L⁻¹ column by column within the envelope's closure.
 */
export function envelopeInverseDiagonal(f: EnvelopeFactor): Float64Array {
  const { l, first, n } = f;
  // closure: the first column reachable from row i through earlier rows of its envelope
  const reach = Int32Array.from(first);
  for (let i = 0; i < n; i++) for (let k = first[i]; k < i; k++) if (reach[k] < reach[i]) reach[i] = reach[k];
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // column j of L⁻¹: forward substitution of e_j, rows i ≥ j with reach[i] ≤ j
    col.fill(0, j);
    col[j] = 1 / l[j * n + j];
    let s = col[j] * col[j];
    for (let i = j + 1; i < n; i++) {
      if (reach[i] > j) continue;
      let t = 0;
      for (let k = Math.max(first[i], j); k < i; k++) t -= l[i * n + k] * col[k];
      const v = t / l[i * n + i];
      col[i] = v;
      s += v * v;
    }
    diag[j] = s;
  }
  return diag;
}
