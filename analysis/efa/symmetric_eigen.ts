/**
 * Eigen decomposition of a real symmetric matrix, A = V diag(λ) V′, with the eigenvalues in
 * decreasing order (as R's `eigen(A, symmetric = TRUE)` returns them) and unit-length eigenvectors
 * in the columns of V.
 *
 * Householder reduction to tridiagonal form followed by the implicit QL algorithm with Wilkinson
 * shifts (Wilkinson & Reinsch, 1971, Handbook for Automatic Computation II, routines tred2/tql2;
 * doi:10.1007/978-3-642-86940-2). Works in place on a Float64Array so that the factor-analysis
 * optimisers can call it hundreds of times on 100+ item matrices. Eigenvector signs are arbitrary,
 * as in R (LAPACK's dsyevr); callers that need a sign fix it themselves.
 */
import { householderKernel, type HouseholderKernel, type HouseholderWorkspace } from '../math/householder_kernel.js';

/**
 * Which code runs the Householder reduction's O(n³) loops: `auto`, the WebAssembly kernel where
 * the engine has one and n ≥ 32 (the same arithmetic in the same order, so the same results to the last
 * bit), else JavaScript; `javascript` always the JavaScript loops (for tests that compare them).
 */
export type EigenKernel = 'auto' | 'javascript';

/**
 * From this order the WebAssembly kernel pays for its own assembly and compilation (≈ 5–10 ms in a
 * fresh process): a factor extraction decomposes its matrix a dozen times, and the JavaScript
 * loops run those mostly before V8 optimises them (at 36 items × 9 factors, extraction and
 * eigenvalues ≈ 60 ms of CPU in JavaScript, ≈ 40 with the kernel).
 */
const KERNEL_ORDER = 32;

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Eigenvectors, column-major per value: vector j is `vectors[i * n + j]` for i = 0..n-1. */
  readonly vectors: Float64Array;
  readonly n: number;
}

/** Eigenvalues and eigenvectors of the symmetric matrix `a` (only its lower triangle is read). */
export function symmetricEigen(a: readonly (readonly number[])[] | Float64Array, n?: number, wantVectors = true, use: EigenKernel = 'auto'): SymmetricEigen {
  const size = a instanceof Float64Array ? (n ?? Math.round(Math.sqrt(a.length))) : a.length;
  const kernel = use === 'auto' && size >= KERNEL_ORDER ? householderKernel() : null;
  const { v, d, e } = kernel ? kernel.workspace(size) : { v: new Float64Array(size * size), d: new Float64Array(size), e: new Float64Array(size) };
  if (a instanceof Float64Array) v.set(a.subarray(0, size * size));
  else for (let i = 0; i < size; i++) v.set(a[i], i * size);
  // the kernels keep V transposed (eigenvectors in rows) so that their inner loops run over contiguous memory;
  // the input is symmetric, so it is its own transpose
  tridiagonalize(v, d, e, size, wantVectors, undefined, kernel);
  if (kernel && !wantVectors) kernel.tridiagonalValues(size);
  else diagonalize(v, d, e, size, wantVectors);
  // sort descending, permuting the vectors with the values
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(size);
  const vectors = new Float64Array(wantVectors ? size * size : 0);
  for (let k = 0; k < size; k++) {
    values[k] = d[order[k]];
    if (wantVectors) for (let i = 0; i < size; i++) vectors[i * size + k] = v[order[k] * size + i];
  }
  return { values, vectors, n: size };
}

/** Eigenvalues only, largest first. */
export function symmetricEigenvalues(a: readonly (readonly number[])[]): number[] {
  return Array.from(symmetricEigen(a, undefined, false).values);
}

/**
 * All eigenvalues (largest first) and only the eigenvectors of the `k` largest, for the factor-analysis
 * objectives that need the leading axes at every step: Householder tridiagonalisation without forming
 * Q, QL for the eigenvalues, inverse iteration on the tridiagonal matrix for the k leading vectors
 * (re-orthogonalised within clusters, as LAPACK's dstein), and back-transformation by the stored
 * reflectors. O(4/3 n³ + n²k) instead of the O(9n³) of the full decomposition.
 * `vectors[i * k + j]` is component i of the j-th leading eigenvector.
 */
export function symmetricEigenTop(a: Float64Array, n: number, k: number, use: EigenKernel = 'auto'): { values: Float64Array; vectors: Float64Array } {
  const kernel = use === 'auto' && n >= KERNEL_ORDER && k <= n ? householderKernel() : null;
  if (kernel) return topByKernel(kernel, a, n, k);
  const v = new Float64Array(n * n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const back = new Float64Array(n);
  const hs = new Float64Array(n);
  v.set(a.subarray(0, n * n));
  tridiagonalize(v, d, e, n, false, hs, null);
  // T: diagonal d, off-diagonal t_{i-1,i} = e[i]
  const diag = Float64Array.from(d);
  const off = Float64Array.from(e);
  diagonalize(v, d, e, n, false);
  const values = Float64Array.from(d).sort().reverse();
  const norm = tridiagonalNorm(diag, off, n);
  const vectors = new Float64Array(n * k);
  const found: Float64Array[] = [];
  const sub = new Float64Array(n);
  const dia = new Float64Array(n);
  const sup = new Float64Array(n);
  const sup2 = new Float64Array(n);
  const swapped = new Uint8Array(n);
  const tiny = 2 ** -52 * Math.max(norm, 1e-300);
  let clusterStart = 0;
  for (let j = 0; j < Math.min(k, n); j++) {
    const mu = values[j];
    if (j > 0 && Math.abs(values[j - 1] - mu) > 1e-3 * norm) clusterStart = j;
    // LU with partial pivoting of T − μI
    for (let i = 0; i < n; i++) {
      dia[i] = diag[i] - mu;
      sub[i] = i + 1 < n ? off[i + 1] : 0;
      sup[i] = i + 1 < n ? off[i + 1] : 0;
      sup2[i] = 0;
    }
    for (let i = 0; i < n - 1; i++) {
      if (Math.abs(dia[i]) >= Math.abs(sub[i])) {
        swapped[i] = 0;
        if (dia[i] === 0) dia[i] = tiny;
        const f = sub[i] / dia[i];
        sub[i] = f;
        dia[i + 1] -= f * sup[i];
      } else {
        swapped[i] = 1;
        const f = dia[i] / sub[i];
        dia[i] = sub[i];
        sub[i] = f;
        const t = sup[i];
        sup[i] = dia[i + 1];
        dia[i + 1] = t - f * dia[i + 1];
        if (i < n - 2) {
          sup2[i] = sup[i + 1];
          sup[i + 1] = -f * sup[i + 1];
        }
      }
    }
    if (dia[n - 1] === 0) dia[n - 1] = tiny;
    let x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = startValue(i, j);
    for (let it = 0; it < 4; it++) {
      for (let i = 0; i < n - 1; i++) {
        if (swapped[i]) {
          const t = x[i];
          x[i] = x[i + 1];
          x[i + 1] = t - sub[i] * x[i];
        } else x[i + 1] -= sub[i] * x[i];
      }
      x[n - 1] /= dia[n - 1];
      if (n > 1) x[n - 2] = (x[n - 2] - sup[n - 2] * x[n - 1]) / dia[n - 2];
      for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - sup[i] * x[i + 1] - sup2[i] * x[i + 2]) / dia[i];
      for (let c = clusterStart; c < j; c++) {
        const y = found[c];
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i] * y[i];
        for (let i = 0; i < n; i++) x[i] -= dot * y[i];
      }
      let ss = 0;
      for (let i = 0; i < n; i++) ss += x[i] * x[i];
      const inv = 1 / Math.sqrt(ss);
      if (!Number.isFinite(inv)) {
        x = new Float64Array(n).fill(1 / Math.sqrt(n));
        continue;
      }
      for (let i = 0; i < n; i++) x[i] *= inv;
    }
    found.push(Float64Array.from(x));
    // back-transform: apply the reflectors R_0, …, R_{n−2}, R_i = I − u_i u_i′ / h_i on the first i + 1 coordinates
    back.set(x);
    for (let i = 0; i < n - 1; i++) {
      const h = hs[i];
      if (h === 0) continue;
      const row = (i + 1) * n;
      let g = 0;
      for (let m = 0; m <= i; m++) g += v[row + m] * back[m];
      g /= h;
      for (let m = 0; m <= i; m++) back[m] -= g * v[row + m];
    }
    for (let i = 0; i < n; i++) vectors[i * k + j] = back[i];
  }
  return { values, vectors };
}

/** Component i of the inverse iteration's start vector for the j-th eigenvector. */
function startValue(i: number, j: number): number {
  return 1 + 0.37 * Math.sin(1.7 * i + j);
}

/**
 * max_i |t_ii| + |t_{i−1,i}| + |t_{i,i+1}| of the tridiagonal T (diagonal d, off-diagonal e[1..n)): the
 * value of Math.max over Math.abs sums (a NaN stays NaN), without their four calls per row, which V8's
 * baseline code makes at every decomposition.
 */
function tridiagonalNorm(d: Float64Array, e: Float64Array, n: number): number {
  let norm = 0;
  let next = e[0] < 0 ? -e[0] : e[0];
  for (let i = 0; i < n; i++) {
    const di = d[i] < 0 ? -d[i] : d[i];
    const ei = next;
    next = i + 1 < n ? (e[i + 1] < 0 ? -e[i + 1] : e[i + 1]) : 0;
    const row = di + ei + next;
    if (row > norm || row !== row) norm = row;
  }
  return norm;
}

/** The start vectors of the inverse iteration for orders n and k (j-th at j·n), made once per process and size. */
let starts: { n: number; k: number; values: Float64Array } | null = null;
function startVectors(n: number, k: number): Float64Array {
  if (starts === null || starts.n !== n || starts.k !== k) {
    const values = new Float64Array(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) values[j * n + i] = startValue(i, j);
    starts = { n, k, values };
  }
  return starts.values;
}

/**
 * `symmetricEigenTop` by the WebAssembly kernel: the reduction, the QL iterations and the inverse
 * iteration with its back-transformations are three calls, the same operations in the same order as
 * the JavaScript path (so the same results to the last bit); only the sort and the norm stay here.
 */
function topByKernel(kernel: HouseholderKernel, a: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  const ws = kernel.workspace(n, k);
  ws.v.set(a.subarray(0, n * n));
  return topOfWorkspace(kernel, ws, n, k);
}

/**
 * {@link symmetricEigenTop} of D A D, D = diag(factors), A symmetric (its lower triangle is read):
 * each entry (a_ij f_i) f_j, mirrored. With the Householder kernel the scaling runs in it too;
 * else in `scratch` (n × n), which is left holding D A D.
 */
export function symmetricEigenTopScaled(a: Float64Array, factors: Float64Array, n: number, k: number, scratch: Float64Array): { values: Float64Array; vectors: Float64Array } {
  const kernel = n >= KERNEL_ORDER && k <= n ? householderKernel() : null;
  if (kernel) {
    const ws = kernel.workspace(n, k, true);
    ws.input.set(a.subarray(0, n * n));
    ws.factors.set(factors.subarray(0, n));
    kernel.scale(n, ws.input.byteOffset, ws.factors.byteOffset);
    return topOfWorkspace(kernel, ws, n, k);
  }
  for (let i = 0; i < n; i++) {
    const fi = factors[i];
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j] * fi * factors[j];
      scratch[i * n + j] = v;
      scratch[j * n + i] = v;
    }
  }
  return symmetricEigenTop(scratch, n, k);
}

/** The k leading eigenpairs of the matrix in the kernel's workspace v. */
function topOfWorkspace(kernel: HouseholderKernel, ws: HouseholderWorkspace, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  kernel.tridiagonalize(n);
  ws.diagonal.set(ws.d);
  ws.offDiagonal.set(ws.e);
  kernel.tridiagonalValues(n);
  const values = Float64Array.from(ws.d).sort().reverse();
  ws.values.set(values);
  const norm = tridiagonalNorm(ws.diagonal, ws.offDiagonal, n);
  ws.start.set(startVectors(n, k));
  kernel.leadingVectors(n, k, norm, 2 ** -52 * Math.max(norm, 1e-300));
  return { values, vectors: Float64Array.from(ws.vectors) };
}

/** Householder reduction of the symmetric matrix in `v` (row-major) to tridiagonal form (d, e). */
function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean, reflectorScales?: Float64Array, kernel?: HouseholderKernel | null): void {
  if (kernel && !wantVectors) {
    // the same loops in one WebAssembly call (the reflector scales land in the kernel's h, v is not read afterwards)
    kernel.tridiagonalize(n);
    return;
  }
  for (let j = 0; j < n; j++) d[j] = v[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + (i - 1)];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      if (kernel) kernel.reflect(n, i);
      else {
        for (let j = 0; j < i; j++) {
          f = d[j];
          v[i * n + j] = f;
          e[j] = e[j] + v[j * n + j] * f + dotAndAxpy(v, j * n, d, e, j + 1, i, f);
        }
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      if (kernel) kernel.update(n, i);
      else {
        for (let j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          rankTwoUpdate(v, j * n, e, d, j, i, f, g);
          d[j] = v[j * n + (i - 1)];
          v[j * n + i] = 0;
        }
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    v[i * n + (n - 1)] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (reflectorScales) reflectorScales[i] = h;
    if (h !== 0 && wantVectors) {
      for (let k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k] / h;
      for (let j = 0; j <= i; j++) {
        const g = dot(v, (i + 1) * n, v, j * n, i + 1);
        axpy(v, j * n, d, -g, i + 1);
      }
    }
    if (!reflectorScales) for (let k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + (n - 1)];
    v[j * n + (n - 1)] = 0;
  }
  v[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), accumulating rotations into `v`. */
function diagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wantVectors) {
            rotateRows(v, i * n, n, c, s);
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
}

// Small kernels for the inner loops: V8 compiles short, frequently called functions early, which
// matters for a command-line run that performs only a handful of decompositions.

/** Σ_{k=from}^{to−1} v[row+k]·d[k], while adding v[row+k]·f to e[k]. */
function dotAndAxpy(v: Float64Array, row: number, d: Float64Array, e: Float64Array, from: number, to: number, f: number): number {
  let g = 0;
  for (let k = from; k < to; k++) {
    const x = v[row + k];
    g += x * d[k];
    e[k] += x * f;
  }
  return g;
}

/** v[row+k] −= f·e[k] + g·d[k] for k in [from, to). */
function rankTwoUpdate(v: Float64Array, row: number, e: Float64Array, d: Float64Array, from: number, to: number, f: number, g: number): void {
  for (let k = from; k < to; k++) v[row + k] -= f * e[k] + g * d[k];
}

/** Σ_{k<len} a[ia+k]·b[ib+k]. */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[ia + k] * b[ib + k];
  return s;
}

/** v[row+k] += alpha·x[k] for k < len. */
function axpy(v: Float64Array, row: number, x: Float64Array, alpha: number, len: number): void {
  for (let k = 0; k < len; k++) v[row + k] += alpha * x[k];
}

/** Givens rotation of rows i and i + 1 (starting at `ri`) of the transposed eigenvector store. */
function rotateRows(v: Float64Array, ri: number, n: number, c: number, s: number): void {
  const ri1 = ri + n;
  for (let k = 0; k < n; k++) {
    const h = v[ri1 + k];
    const x = v[ri + k];
    v[ri1 + k] = s * x + c * h;
    v[ri + k] = c * x - s * h;
  }
}

/** √(a² + b²) without Math.hypot's cost; falls back to it where the squares could over- or underflow. */
function hypot(a: number, b: number): number {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}
