/**
 * Cache-blocked, register-tiled products of large dense row-major matrices, for the places where a
 * product of thousands of rows dominates a fit (the Γ traces of WLSMV, the sandwich's meat). Each
 * output element is accumulated in the same order for any blocking of the rows, so results do not
 * depend on the machine; the inner loops keep several partial sums in registers so that every load
 * feeds two to eight multiply-adds instead of one, and no loop allocates.
 */

/** Columns of A per pass of `weightedGram` (its packed blocks stay in the L2 cache). */
const GRAM_COLUMNS = 256;
/** Rows of the j side per tile of `weightedGram`. */
const GRAM_ROWS = 96;

/**
 * Σ_{r∈[from,to)} w_r·a_ir·a_jr for all rows i, j of A (n × k row-major): the n × n Gram matrix of a
 * column range with weights (symmetric, returned in full). Columns are taken in blocks that are
 * packed contiguously, rows j in tiles that stay in cache, and each inner step computes a 4 × 2
 * tile of the lower triangle from six loads.
 */
export function weightedGram(A: Float64Array, w: ArrayLike<number>, n: number, k: number, from: number, to: number): Float64Array {
  const out = new Float64Array(n * n);
  if (to <= from || n === 0) return out;
  const cwMax = Math.min(GRAM_COLUMNS, to - from);
  const P = new Float64Array(n * cwMax);
  const Pw = new Float64Array(n * cwMax);
  for (let c0 = from; c0 < to; c0 += GRAM_COLUMNS) {
    const c1 = Math.min(to, c0 + GRAM_COLUMNS);
    const cw = c1 - c0;
    for (let i = 0; i < n; i++) {
      const src = i * k + c0;
      const dst = i * cw;
      for (let c = 0; c < cw; c++) {
        const v = A[src + c];
        P[dst + c] = v;
        Pw[dst + c] = v * w[c0 + c];
      }
    }
    for (let j0 = 0; j0 < n; j0 += GRAM_ROWS) {
      const j1 = Math.min(n, j0 + GRAM_ROWS);
      let i = j0;
      for (; i + 3 < n; i += 4) {
        // rows i..i+3 against j in [j0, min(j1, i + 4)): entries above the diagonal are overwritten below
        const jEnd = Math.min(j1, i + 4);
        const a0 = i * cw;
        const a1 = a0 + cw;
        const a2 = a1 + cw;
        const a3 = a2 + cw;
        const o0 = i * n;
        const o1 = o0 + n;
        const o2 = o1 + n;
        const o3 = o2 + n;
        let j = j0;
        for (; j + 1 < jEnd; j += 2) {
          const b0 = j * cw;
          const b1 = b0 + cw;
          let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
          for (let c = 0; c < cw; c++) {
            const x0 = P[b0 + c];
            const x1 = P[b1 + c];
            const y0 = Pw[a0 + c];
            const y1 = Pw[a1 + c];
            const y2 = Pw[a2 + c];
            const y3 = Pw[a3 + c];
            s00 += y0 * x0;
            s01 += y0 * x1;
            s10 += y1 * x0;
            s11 += y1 * x1;
            s20 += y2 * x0;
            s21 += y2 * x1;
            s30 += y3 * x0;
            s31 += y3 * x1;
          }
          out[o0 + j] += s00;
          out[o0 + j + 1] += s01;
          out[o1 + j] += s10;
          out[o1 + j + 1] += s11;
          out[o2 + j] += s20;
          out[o2 + j + 1] += s21;
          out[o3 + j] += s30;
          out[o3 + j + 1] += s31;
        }
        if (j < jEnd) {
          const b0 = j * cw;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let c = 0; c < cw; c++) {
            const x0 = P[b0 + c];
            s0 += Pw[a0 + c] * x0;
            s1 += Pw[a1 + c] * x0;
            s2 += Pw[a2 + c] * x0;
            s3 += Pw[a3 + c] * x0;
          }
          out[o0 + j] += s0;
          out[o1 + j] += s1;
          out[o2 + j] += s2;
          out[o3 + j] += s3;
        }
      }
      for (; i < n; i++) {
        const a0 = i * cw;
        const jEnd = Math.min(j1, i + 1);
        for (let j = j0; j < jEnd; j++) {
          const b0 = j * cw;
          let s = 0;
          for (let c = 0; c < cw; c++) s += Pw[a0 + c] * P[b0 + c];
          out[i * n + j] += s;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j];
  return out;
}

/** Rows of B per tile of `multiplyAdd` (a tile of B stays in the L2 cache across all rows of A). */
const PRODUCT_ROWS = 64;

/**
 * out += A·B for A (r × n) and B (n × c), row-major: tiles of B's rows are kept in cache while every
 * row of A passes, and each inner step adds four rows of B into two output rows.
 */
export function multiplyAdd(out: Float64Array, A: Float64Array, B: Float64Array, r: number, n: number, c: number): Float64Array {
  for (let j0 = 0; j0 < n; j0 += PRODUCT_ROWS) {
    const j1 = Math.min(n, j0 + PRODUCT_ROWS);
    let i = 0;
    for (; i + 1 < r; i += 2) {
      const ai0 = i * n;
      const ai1 = ai0 + n;
      const o0 = i * c;
      const o1 = o0 + c;
      let j = j0;
      for (; j + 3 < j1; j += 4) {
        const d00 = A[ai0 + j], d01 = A[ai0 + j + 1], d02 = A[ai0 + j + 2], d03 = A[ai0 + j + 3];
        const d10 = A[ai1 + j], d11 = A[ai1 + j + 1], d12 = A[ai1 + j + 2], d13 = A[ai1 + j + 3];
        const b0 = j * c;
        const b1 = b0 + c;
        const b2 = b1 + c;
        const b3 = b2 + c;
        for (let a = 0; a < c; a++) {
          const h0 = B[b0 + a];
          const h1 = B[b1 + a];
          const h2 = B[b2 + a];
          const h3 = B[b3 + a];
          out[o0 + a] += d00 * h0 + d01 * h1 + d02 * h2 + d03 * h3;
          out[o1 + a] += d10 * h0 + d11 * h1 + d12 * h2 + d13 * h3;
        }
      }
      for (; j < j1; j++) {
        const d0 = A[ai0 + j];
        const d1 = A[ai1 + j];
        const b0 = j * c;
        for (let a = 0; a < c; a++) {
          const h = B[b0 + a];
          out[o0 + a] += d0 * h;
          out[o1 + a] += d1 * h;
        }
      }
    }
    for (; i < r; i++) {
      const ai = i * n;
      const o = i * c;
      for (let j = j0; j < j1; j++) {
        const d = A[ai + j];
        if (d === 0) continue;
        const b0 = j * c;
        for (let a = 0; a < c; a++) out[o + a] += d * B[b0 + a];
      }
    }
  }
  return out;
}

/** Output rows per block of `addTransposeProduct` (a block of the output stays in cache across all n rows). */
const TRANSPOSE_ROWS = 32;

/**
 * out += w·AᵀB for A, B (n × k) row-major (out k × k): a block of output rows at a time, four rows
 * of A and B per inner step. With `symmetric` (B = A, or AᵀB known to be symmetric) only the lower
 * triangle is computed and then mirrored, half the work.
 */
export function addTransposeProduct(out: Float64Array, A: Float64Array, B: Float64Array, n: number, k: number, w: number, symmetric = false): Float64Array {
  for (let a0 = 0; a0 < k; a0 += TRANSPOSE_ROWS) {
    const a1 = Math.min(k, a0 + TRANSPOSE_ROWS);
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const r0 = i * k;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      for (let a = a0; a < a1; a++) {
        const v0 = w * A[r0 + a];
        const v1 = w * A[r1 + a];
        const v2 = w * A[r2 + a];
        const v3 = w * A[r3 + a];
        if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
        const ra = a * k;
        const bEnd = symmetric ? a + 1 : k;
        for (let b = 0; b < bEnd; b++) out[ra + b] += v0 * B[r0 + b] + v1 * B[r1 + b] + v2 * B[r2 + b] + v3 * B[r3 + b];
      }
    }
    for (; i < n; i++) {
      const r0 = i * k;
      for (let a = a0; a < a1; a++) {
        const v = w * A[r0 + a];
        if (v === 0) continue;
        const ra = a * k;
        const bEnd = symmetric ? a + 1 : k;
        for (let b = 0; b < bEnd; b++) out[ra + b] += v * B[r0 + b];
      }
    }
  }
  if (symmetric) for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[b * k + a] = out[a * k + b];
  return out;
}
