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
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Eigenvectors, column-major per value: vector j is `vectors[i * n + j]` for i = 0..n-1. */
  readonly vectors: Float64Array;
  readonly n: number;
}

/** Eigenvalues and eigenvectors of the symmetric matrix `a` (only its lower triangle is read). */
export function symmetricEigen(a: readonly (readonly number[])[] | Float64Array, n?: number, wantVectors = true): SymmetricEigen {
  const size = a instanceof Float64Array ? (n ?? Math.round(Math.sqrt(a.length))) : a.length;
  const v = new Float64Array(size * size);
  if (a instanceof Float64Array) v.set(a.subarray(0, size * size));
  else for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) v[i * size + j] = a[i][j];
  const d = new Float64Array(size);
  const e = new Float64Array(size);
  // the kernels keep V transposed (eigenvectors in rows) so that their inner loops run over contiguous memory;
  // the input is symmetric, so it is its own transpose
  tridiagonalize(v, d, e, size, wantVectors);
  diagonalize(v, d, e, size, wantVectors);
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
export function symmetricEigenTop(a: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  const v = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const hs = new Float64Array(n);
  tridiagonalize(v, d, e, n, false, hs);
  // T: diagonal d, off-diagonal t_{i-1,i} = e[i]
  const diag = Float64Array.from(d);
  const off = Float64Array.from(e);
  diagonalize(v, d, e, n, false);
  const values = Float64Array.from(d).sort().reverse();
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diag[i]) + Math.abs(off[i]) + (i + 1 < n ? Math.abs(off[i + 1]) : 0));
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
    for (let i = 0; i < n; i++) x[i] = 1 + 0.37 * Math.sin(1.7 * i + j);
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
    for (let i = 0; i < n - 1; i++) {
      const h = hs[i];
      if (h === 0) continue;
      const row = (i + 1) * n;
      let g = 0;
      for (let m = 0; m <= i; m++) g += v[row + m] * x[m];
      g /= h;
      for (let m = 0; m <= i; m++) x[m] -= g * v[row + m];
    }
    for (let i = 0; i < n; i++) vectors[i * k + j] = x[i];
  }
  return { values, vectors };
}

/** Householder reduction of the symmetric matrix in `v` (row-major) to tridiagonal form (d, e). */
function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean, reflectorScales?: Float64Array): void {
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
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[i * n + j] = f;
        e[j] = e[j] + v[j * n + j] * f + dotAndAxpy(v, j * n, d, e, j + 1, i, f);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        rankTwoUpdate(v, j * n, e, d, j, i, f, g);
        d[j] = v[j * n + (i - 1)];
        v[j * n + i] = 0;
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

/**
 * The k algebraically largest eigenpairs of a symmetric matrix that changes a little from call to
 * call, as the minres and ML objectives see R − Ψ and Ψ^{-1/2} R Ψ^{-1/2} along an optimisation:
 * subspace iteration with Rayleigh–Ritz on a block of k + 6 vectors (Rutishauser, 1970,
 * doi:10.1007/BF02163027; Saad, Numerical Methods for Large Eigenvalue Problems, 2011, ch. 5),
 * started from the previous call's Ritz vectors, so that a call costs a few n²(k + 6)
 * multiply-adds instead of the O(n³) of a tridiagonal reduction. The caller gives a `shift` σ
 * with A + σI positive semi-definite (then the leading Ritz values converge to the largest
 * eigenvalues, not to the largest in magnitude). A call stops when every leading residual
 * ‖A x_j − θ_j x_j‖ is below 1e-12 ‖A‖; if that takes more than {@link SUBSPACE_MAX_ITERATIONS}
 * steps (nearly equal k-th and (k+1)-th eigenvalues) it falls back to {@link symmetricEigenTop}.
 * `values` holds the k leading eigenvalues, largest first; `vectors[i * k + j]` component i of the
 * j-th eigenvector.
 */
export class LeadingEigenpairs {
  private readonly m: number;
  /** Current orthonormal basis, column c at [c * n, (c + 1) * n). */
  private basis: Float64Array | null = null;
  private readonly w: Float64Array;
  private readonly x: Float64Array;
  private readonly ax: Float64Array;
  private readonly h: Float64Array;
  /** Calls answered by subspace iteration and by the fallback (for tests and profiling). */
  iterated = 0;
  fellBack = 0;

  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.m = Math.min(n, k + 6);
    this.w = new Float64Array(n * this.m);
    this.x = new Float64Array(n * this.m);
    this.ax = new Float64Array(n * this.m);
    this.h = new Float64Array(this.m * this.m);
  }

  solve(a: Float64Array, shift: number): { values: Float64Array; vectors: Float64Array } {
    const { n, k, m } = this;
    if (m >= n || k >= n) return this.fallback(a);
    let q = this.basis;
    if (q === null) {
      // cold start: the unit vectors of the largest diagonal entries, slightly mixed
      q = new Float64Array(n * m);
      const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
      for (let c = 0; c < m; c++) {
        for (let i = 0; i < n; i++) q[c * n + i] = 0.01 * Math.sin(1.3 * i + 0.7 * c);
        q[c * n + order[c]] = 1;
      }
      orthonormalise(q, n, m);
    }
    let norm = 0;
    for (let i = 0; i < n * n; i++) norm += a[i] * a[i];
    const tol = 1e-12 * Math.sqrt(norm);
    const { w, x, ax, h } = this;
    for (let it = 0; it < SUBSPACE_MAX_ITERATIONS; it++) {
      multiplyBlock(a, q, w, n, m);
      // H = Q′AQ
      for (let c = 0; c < m; c++) {
        for (let d = 0; d <= c; d++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += q[c * n + i] * w[d * n + i];
          h[c * m + d] = h[d * m + c] = s;
        }
      }
      const small = symmetricEigen(h, m);
      // Ritz vectors X = QY and AX = WY, largest Ritz value first
      x.fill(0);
      ax.fill(0);
      for (let c = 0; c < m; c++) {
        for (let d = 0; d < m; d++) {
          const y = small.vectors[d * m + c];
          const qd = d * n;
          const xc = c * n;
          for (let i = 0; i < n; i++) {
            x[xc + i] += y * q[qd + i];
            ax[xc + i] += y * w[qd + i];
          }
        }
      }
      let worst = 0;
      for (let j = 0; j < k; j++) {
        const theta = small.values[j];
        let r = 0;
        for (let i = 0; i < n; i++) {
          const e = ax[j * n + i] - theta * x[j * n + i];
          r += e * e;
        }
        if (r > worst) worst = r;
      }
      if (Math.sqrt(worst) <= tol) {
        this.basis = Float64Array.from(x);
        this.iterated++;
        const values = small.values.slice(0, k);
        const vectors = new Float64Array(n * k);
        for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) vectors[i * k + j] = x[j * n + i];
        return { values, vectors };
      }
      // one step of (A + σI) on the Ritz vectors, then orthonormalise
      q = new Float64Array(n * m);
      for (let i = 0; i < n * m; i++) q[i] = ax[i] + shift * x[i];
      orthonormalise(q, n, m);
    }
    this.basis = null;
    return this.fallback(a);
  }

  private fallback(a: Float64Array): { values: Float64Array; vectors: Float64Array } {
    this.fellBack++;
    const top = symmetricEigenTop(a, this.n, this.k);
    return { values: top.values.slice(0, this.k), vectors: top.vectors };
  }
}

/** Subspace-iteration steps before {@link LeadingEigenpairs} falls back to the full reduction. */
export const SUBSPACE_MAX_ITERATIONS = 40;

/** W = A Q for the n × n row-major A and the m columns of Q (column c at [c n, (c + 1) n)), two columns at a time. */
function multiplyBlock(a: Float64Array, q: Float64Array, w: Float64Array, n: number, m: number): void {
  for (let c = 0; c < m; c += 2) {
    const c1 = c + 1 < m ? c + 1 : c;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < n; j++) {
        const v = a[row + j];
        s0 += v * q[c * n + j];
        s1 += v * q[c1 * n + j];
      }
      w[c * n + i] = s0;
      w[c1 * n + i] = s1;
    }
  }
}

/** Modified Gram–Schmidt, twice, on the m columns of q (column c at [c n, (c + 1) n)). */
function orthonormalise(q: Float64Array, n: number, m: number): void {
  let restarts = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < m; c++) {
      const qc = c * n;
      for (let d = 0; d < c; d++) {
        const qd = d * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += q[qc + i] * q[qd + i];
        for (let i = 0; i < n; i++) q[qc + i] -= s * q[qd + i];
      }
      let ss = 0;
      for (let i = 0; i < n; i++) ss += q[qc + i] * q[qc + i];
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      if ((inv === 0 || !Number.isFinite(inv)) && restarts < 2 * m) {
        // a collapsed column: restart it from a fixed pseudo-random direction
        restarts++;
        for (let i = 0; i < n; i++) q[qc + i] = Math.sin(2.1 * i + 3.3 * c + 0.5 + restarts);
        c--;
        continue;
      }
      for (let i = 0; i < n; i++) q[qc + i] *= inv;
    }
  }
}
