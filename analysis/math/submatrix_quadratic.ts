import { cholesky, choleskyInverse } from './cholesky.js';

/**
 * Quadratic forms in the inverses of the principal submatrices of one symmetric positive-definite
 * matrix A (n × n), from one factorisation of A: for a vector d on a subset o of the variables
 * (the others, m, missing),
 *
 *   d_oᵀ (A_oo)⁻¹ d_o = dᵀ P d − y_mᵀ (P_mm)⁻¹ y_m,  P = A⁻¹, y = P d, d = 0 on m,
 *
 * because the inverse of a principal submatrix is the Schur complement of the complementary block
 * of the inverse, (A_oo)⁻¹ = P_oo − P_om (P_mm)⁻¹ P_mo (Harville, Matrix Algebra From a
 * Statistician's Perspective, 1997, thm 8.5.11; Golub & Van Loan, Matrix Computations, 4th ed.,
 * §3.2.10). A vector costs n² for y plus k³/6 for the Cholesky factor of the k × k block P_mm,
 * instead of (n − k)³/6 for a factor of A_oo: with many variables and few missing, where nearly
 * every vector has its own pattern (Mahalanobis distances of survey answers), that is the
 * difference between one factorisation and one per row.
 */
export class SubmatrixQuadraticForms {
  private readonly y: Float64Array;
  private readonly pmm: Float64Array;

  private constructor(
    readonly n: number,
    /** P = A⁻¹, row-major. */
    private readonly p: Float64Array,
  ) {
    this.y = new Float64Array(n);
    this.pmm = new Float64Array(n * n);
  }

  /**
   * Factors A (row-major, both triangles); null when A is not positive definite at `minPivot`
   * (the {@link cholesky} criterion). When A passes, so does every principal submatrix: a pivot of
   * A_oo is a variance conditional on fewer variables than the same pivot of A, so never smaller.
   */
  static of(a: Float64Array, n: number, minPivot = 0): SubmatrixQuadraticForms | null {
    const l = cholesky(a, n, minPivot);
    return l === null ? null : new SubmatrixQuadraticForms(n, choleskyInverse(l, n));
  }

  /**
   * d_oᵀ (A_oo)⁻¹ d_o for `d` of length n whose entries at the first `k` indices of `missing` are
   * ignored (taken as 0). NaN if P_mm is numerically not positive definite.
   */
  evaluate(d: Float64Array, missing: Int32Array, k: number): number {
    const { n, p, y } = this;
    for (let t = 0; t < k; t++) d[missing[t]] = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += p[row + j] * d[j];
      y[i] = s;
      q += d[i] * s;
    }
    if (k === 0) return q;
    const pmm = this.pmm;
    for (let a = 0; a < k; a++) {
      const row = missing[a] * n;
      for (let b = 0; b < k; b++) pmm[a * k + b] = p[row + missing[b]];
    }
    const l = cholesky(pmm.subarray(0, k * k), k);
    if (l === null) return NaN;
    // v = L⁻¹ y_m, correction = vᵀv
    let correction = 0;
    const v = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = y[missing[a]];
      for (let b = 0; b < a; b++) s -= l[a * k + b] * v[b];
      v[a] = s / l[a * k + a];
      correction += v[a] * v[a];
    }
    return q - correction;
  }
}
