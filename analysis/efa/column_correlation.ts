import type { MissingPolicy } from '../data/covariance.js';
import { byteCorrelations, integerCrossProducts } from '../math/integer_cross_products.js';
import { MISSING_BYTE } from '../data/columns.js';

/**
 * Pearson correlation matrices of data held as columns (one Float64Array of observations per
 * variable, NaN for a missing value), as R's `cor(x, use = "complete.obs")` (listwise) and
 * `cor(x, use = "pairwise.complete.obs")` (pairwise) compute them. The kernel under every EFA, the
 * parallel analysis's resampled and simulated data sets, MAP and omega.
 *
 * Listwise, the rows with a missing value are dropped once and the cross-products of all pairs are
 * summed in one cache-blocked pass (blocks of {@link BLOCK} rows, two columns by two at a time), so
 * each value is read from memory about p / 2 times instead of p times.
 *
 * Ratings are small whole numbers, and for them the sums are computed exactly: each column is
 * shifted to start at 0 and two columns are packed into one double, u = x_b + 2^s x_c, so that one
 * multiplication x_a·u adds x_a x_b to the low s bits and x_a x_c to the high ones; with n·range² <
 * 2^s and 2s ≤ 53 neither part can carry into the other, so the packed sums are exact integers and
 * half the multiplications are saved (where WebAssembly's 128-bit integer instructions are available,
 * {@link integerCrossProducts} forms the same integer sums eight products per instruction). r_ab = (n S_ab − S_a S_b) / √((n S_aa − S_a²)(n S_bb − S_b²))
 * from exact integer sums is the correctly rounded correlation (R's two-pass long-double sums agree
 * to the last bit or two). Other data are centred on their means (two passes, as R does) and the
 * centred cross-products summed in double precision.
 */

/** Rows summed per block: the block's columns (about 16 KB per variable pair) stay in cache while every pair is formed. */
const BLOCK = 1024;

/** The correlation matrix and the observations behind it. */
export interface ColumnCorrelation {
  readonly r: number[][];
  /** Listwise, the complete rows; pairwise, every row (psych's n.obs for `use = "pairwise"`). */
  readonly n: number;
}

/**
 * Pearson correlations of the first `length` observations of `columns`, listwise (rows with any
 * missing value dropped) or pairwise (each pair over the rows where both are observed, with those
 * rows' means and SDs). A pair without two shared observations, or a variable without variance in
 * them, gives NaN.
 */
export function correlationOfColumns(columns: readonly Float64Array[], length: number, missing: MissingPolicy = 'listwise'): ColumnCorrelation {
  const p = columns.length;
  if (missing === 'pairwise' && columns.some((col) => hasMissing(col, length))) return { r: pairwiseCorrelation(columns, length), n: length };
  const complete = new Uint8Array(length).fill(1);
  let n = length;
  for (const col of columns) {
    for (let i = 0; i < length; i++) {
      if (complete[i] && Number.isNaN(col[i])) {
        complete[i] = 0;
        n--;
      }
    }
  }
  const used = n === length ? columns.map((col) => col.subarray(0, length)) : columns.map((col) => compact(col, complete, n));
  const r = n < 2 ? nanMatrix(p) : completeCorrelation(used, n);
  return { r, n: missing === 'pairwise' ? length : n };
}

/** Correlations of complete one-byte rating columns, and which columns have no variance. */
export interface AnswerCorrelation {
  readonly r: number[][];
  /** constant[j]: every answer of column j is the same (its correlations are NaN). */
  readonly constant: readonly boolean[];
}

/**
 * Pearson correlations of the first `n` answers of one-byte rating columns (the reader's compact
 * columns: whole numbers 0 … 254, {@link MISSING_BYTE} missing) read as they are stored, with
 * no eight-byte copy: exact integer sums by the cross-products kernel, which also forms the
 * correlations from them ({@link byteCorrelations}: the operations of {@link correlationFromSums}),
 * so the same correlations as {@link correlationOfColumns} of the widened columns. Null when a
 * column has a missing answer (or WebAssembly SIMD is absent, or n·max² ≥ 2^31): the caller widens
 * the columns and takes the general path, which handles missing values as it is asked to.
 */
export function answerCorrelation(columns: readonly Uint8Array[], n: number): AnswerCorrelation | null {
  const sums = byteCorrelations(columns, n, MISSING_BYTE);
  const p = columns.length;
  if (sums === null || !exactProducts(sums.squares, p, n, 1)) return null;
  const constant = Array.from(sums.spread, (s) => s === 0);
  // rows of the kernel's matrix; an element loop (≈ 0.4 ms at p = 135 as baseline code), where Array.from of a typed array takes ≈ 2
  const r = new Array<number[]>(p);
  for (let a = 0; a < p; a++) {
    const row = new Array<number>(p);
    for (let b = 0, at = a * p; b < p; b++) row[b] = sums.r[at + b];
    r[a] = row;
  }
  return { r, constant };
}

/**
 * Pearson correlations of `n` complete observations held in `columns` (no missing values): the
 * parallel analysis's resampled and simulated data sets. The columns are left unchanged.
 */
export function columnCorrelation(columns: readonly Float64Array[], n: number): number[][] {
  return completeCorrelation(columns.map((col) => col.subarray(0, n)), n);
}

/**
 * Pearson correlations of the complete rows of `rows` (rows × variables): the listwise correlation
 * matrix (R's `cor(x, use = "complete.obs")`) and the number of rows used.
 */
export function listwiseCorrelation(rows: readonly (readonly number[])[]): ColumnCorrelation {
  const p = rows.length > 0 ? rows[0].length : 0;
  const columns = Array.from({ length: p }, () => new Float64Array(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let j = 0; j < p; j++) columns[j][i] = row[j];
  }
  return correlationOfColumns(columns, rows.length, 'listwise');
}

function hasMissing(col: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (Number.isNaN(col[i])) return true;
  return false;
}

function compact(col: Float64Array, keep: Uint8Array, n: number): Float64Array {
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[k++] = col[i];
  return out;
}

function nanMatrix(p: number): number[][] {
  // fill, not Array.from with a callback per cell: cold, that took ≈ 4 ms at p = 135
  const r = new Array<number[]>(p);
  for (let i = 0; i < p; i++) {
    const row = new Array<number>(p).fill(NaN);
    row[i] = 1;
    r[i] = row;
  }
  return r;
}

/** Correlations of complete columns of length n: exact integer sums for whole numbers, centred sums otherwise. */
function completeCorrelation(columns: readonly Float64Array[], n: number): number[][] {
  const p = columns.length;
  // ratings as they are (whole numbers from 0): exact sums at once, without the pass that finds each column's range
  const direct = integerCrossProducts(columns, n);
  if (direct && exactProducts(direct.products, p, n)) return correlationFromSums(direct.products, direct.sums, n, p);
  let whole = true;
  let range = 0;
  const low = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (whole && v !== Math.floor(v)) whole = false;
    }
    low[j] = lo;
    if (hi - lo > range) range = hi - lo;
  }
  // packed sums exact: every packed part below 2^s, two parts within the 53 bits, and n·S_ab exact
  const bits = Math.max(1, Math.ceil(Math.log2(n * range * range + 1)));
  if (whole && Number.isFinite(range) && 2 * bits <= 53 && n * n * range * range < 2 ** 53) {
    const exact = integerCrossProducts(columns, n, low);
    if (exact) return correlationFromSums(exact.products, exact.sums, n, p);
    return integerCorrelation(columns, n, low, bits);
  }
  return centredCorrelation(columns, n);
}

function integerCorrelation(columns: readonly Float64Array[], n: number, low: Float64Array, bits: number): number[][] {
  const p = columns.length;
  const q = (p + 1) >> 1;
  const scale = 2 ** bits;
  const shifted = new Array<Float64Array>(p);
  const sums = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    const out = new Float64Array(n);
    const lo = low[j];
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i] - lo;
      out[i] = v;
      s += v;
    }
    shifted[j] = out;
    sums[j] = s;
  }
  const packed = new Array<Float64Array>(q);
  for (let c = 0; c < q; c++) {
    const a = shifted[2 * c];
    const out = new Float64Array(n);
    if (2 * c + 1 < p) {
      const b = shifted[2 * c + 1];
      for (let i = 0; i < n; i++) out[i] = a[i] + scale * b[i];
    } else out.set(a);
    packed[c] = out;
  }
  const t = crossProducts(shifted, packed, n, true);
  // unpack the upper triangle: S_ab for b ≥ a
  const s = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let c = a >> 1; c < q; c++) {
      const v = t[a * q + c];
      const high = Math.floor(v / scale);
      const b = 2 * c;
      if (b >= a) s[a * p + b] = v - high * scale;
      if (b + 1 < p && b + 1 >= a) s[a * p + b + 1] = high;
    }
  }
  return correlationFromSums(s, sums, n, p);
}

/** n·S_ab and S_a·S_b are exact in double precision: n·S_aa < 2^53 bounds both (S_ab² ≤ S_aa S_bb, S_a² ≤ n S_aa). */
/** True when every n S_aa (S_aa at `stride` · a of `s`) is below 2^53, so that n S_ab − S_a S_b is exact. */
function exactProducts(s: Float64Array, p: number, n: number, stride = p + 1): boolean {
  for (let a = 0; a < p; a++) if (!(n * s[a * stride] < 2 ** 53)) return false;
  return true;
}

/** r_ab = (n S_ab − S_a S_b) / √((n S_aa − S_a²)(n S_bb − S_b²)) from exact sums (S_ab in the upper triangle of `s`). */
function correlationFromSums(s: Float64Array, sums: Float64Array, n: number, p: number): number[][] {
  const r = nanMatrix(p);
  const spread = new Float64Array(p);
  for (let a = 0; a < p; a++) spread[a] = n * s[a * p + a] - sums[a] * sums[a];
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const v = (n * s[a * p + b] - sums[a] * sums[b]) / Math.sqrt(spread[a] * spread[b]);
      r[a][b] = r[b][a] = v;
    }
  }
  return r;
}

function centredCorrelation(columns: readonly Float64Array[], n: number): number[][] {
  const p = columns.length;
  const centred = columns.map((col) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    // R's second pass: correct the mean by the mean of the deviations
    let corr = 0;
    for (let i = 0; i < n; i++) corr += col[i] - mean;
    mean += corr / n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[i] - mean;
    return out;
  });
  const t = crossProducts(centred, centred, n, false);
  const r = nanMatrix(p);
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const v = t[a * p + b] / Math.sqrt(t[a * p + a] * t[b * p + b]);
      r[a][b] = r[b][a] = v;
    }
  }
  return r;
}

/**
 * Σ_i x_a[i] y_c[i] into `out[a * q + c]` (q = y.length) for c ≥ a/2 (`packed`: y_c holds columns
 * 2c and 2c + 1) or c ≥ a, summed over blocks of rows with two x and two y columns at a time.
 */
function crossProducts(x: readonly Float64Array[], y: readonly Float64Array[], n: number, packed: boolean): Float64Array {
  const p = x.length;
  const q = y.length;
  const out = new Float64Array(p * q);
  const sums = new Float64Array(4);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let a = 0; a < p; a += 2) {
      const a1 = a + 1 < p ? a + 1 : a;
      const start = packed ? a >> 1 : a;
      for (let c = start; c < q; c += 2) {
        const c1 = c + 1 < q ? c + 1 : c;
        dot2x2(x[a], x[a1], y[c], y[c1], i0, i1, sums);
        out[a * q + c] += sums[0];
        if (c1 !== c) out[a * q + c1] += sums[1];
        if (a1 !== a) {
          out[a1 * q + c] += sums[2];
          if (c1 !== c) out[a1 * q + c1] += sums[3];
        }
      }
    }
  }
  return out;
}

/** The four sums Σ xa·u, Σ xa·v, Σ xb·u, Σ xb·v over rows [from, to), into `out`. */
function dot2x2(xa: Float64Array, xb: Float64Array, u: Float64Array, v: Float64Array, from: number, to: number, out: Float64Array): void {
  let s00 = 0;
  let s01 = 0;
  let s10 = 0;
  let s11 = 0;
  for (let i = from; i < to; i++) {
    const x0 = xa[i];
    const x1 = xb[i];
    const u0 = u[i];
    const v0 = v[i];
    s00 += x0 * u0;
    s01 += x0 * v0;
    s10 += x1 * u0;
    s11 += x1 * v0;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s10;
  out[3] = s11;
}

/**
 * Pairwise-complete correlations: each pair over the rows where both are observed, centred on
 * those rows' means (R's `cor(x, use = "pairwise.complete.obs")`). Fewer than two shared rows, or
 * no variance in them, gives NaN.
 */
function pairwiseCorrelation(columns: readonly Float64Array[], n: number): number[][] {
  const p = columns.length;
  const r = nanMatrix(p);
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const v = pairCorrelation(columns[a], columns[b], n);
      r[a][b] = r[b][a] = v;
    }
  }
  return r;
}

function pairCorrelation(x: Float64Array, y: Float64Array, n: number): number {
  let k = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    if (xi !== xi || yi !== yi) continue;
    k++;
    sx += xi;
    sy += yi;
  }
  if (k < 2) return NaN;
  const mx = sx / k;
  const my = sy / k;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    if (xi !== xi || yi !== yi) continue;
    const dx = xi - mx;
    const dy = yi - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
