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
  tridiagonalize(v, d, e, size, wantVectors);
  diagonalize(v, d, e, size, wantVectors);
  // sort descending, permuting the vectors with the values
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(size);
  const vectors = new Float64Array(wantVectors ? size * size : 0);
  for (let k = 0; k < size; k++) {
    values[k] = d[order[k]];
    if (wantVectors) for (let i = 0; i < size; i++) vectors[i * size + k] = v[i * size + order[k]];
  }
  return { values, vectors, n: size };
}

/** Eigenvalues only, largest first. */
export function symmetricEigenvalues(a: readonly (readonly number[])[]): number[] {
  return Array.from(symmetricEigen(a, undefined, false).values);
}

/** Householder reduction of the symmetric matrix in `v` (row-major) to tridiagonal form (d, e). */
function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
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
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
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
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0 && wantVectors) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j];
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
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
        let r = Math.hypot(p, 1);
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
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wantVectors) {
            for (let k = 0; k < n; k++) {
              const row = k * n;
              h = v[row + i + 1];
              v[row + i + 1] = s * v[row + i] + c * h;
              v[row + i] = c * v[row + i] - s * h;
            }
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
