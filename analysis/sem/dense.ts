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

/**
 * Lower Cholesky factor L of a symmetric positive-definite matrix (A = L Lᵀ), in place of a
 * copy; null when the matrix is not positive definite.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= l[lj + k] * l[lj + k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
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
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
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
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
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
