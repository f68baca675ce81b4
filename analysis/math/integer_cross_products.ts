import { cat, countedLoop, instantiate, moduleBytes, op, F64, I32, V128, type WasmFunction, type WasmMemory, type WasmModule } from './wasm_assembly.js';
import { kernelModule } from './kernel_modules.js';

/**
 * Exact cross-products S_ab = Σ_i x_a[i] x_b[i] (a ≤ b) of small non-negative whole numbers (shifted
 * ratings, 0 … range), computed with WebAssembly's 128-bit integer instructions: the columns are
 * stored as 16-bit integers and `i32x4.dot_i16x8_s` multiplies eight pairs and adds them pairwise
 * into four 32-bit lanes per instruction, two columns by two columns (four accumulators), in
 * blocks of {@link BLOCK_ROWS} rows so that the block's columns stay in cache while every pair is
 * formed. Integer arithmetic throughout, so the sums are exact, the same integers as any other
 * order of summation (the correlations built from them do not depend on which kernel ran).
 *
 * Applies when every value is a whole number in [0, 32767] and n·range² < 2^31 (no 32-bit sum can
 * overflow); {@link integerCrossProducts} returns null otherwise, or where WebAssembly (with SIMD)
 * is not available, and the caller uses its own double-precision path.
 *
 * The module is assembled here from its instructions (analysis/math/wasm_assembly.ts); its
 * function `g(p, npad, out, i0, i1)` adds the products of rows [i0, i1) of the p (even) columns of
 * npad 16-bit values each, stored one after another from address 0, into the p × p Int32 matrix at
 * byte address `out` (upper triangle, pairs of columns).
 */

/** Rows per block: 270 columns × 2,048 rows × 2 bytes ≈ 1 MB. */
const BLOCK_ROWS = 2048;

/** Bytes per stored value: 2 for the 16-bit copy of double columns, 1 for one-byte ratings columns. */
export type Width = 1 | 2;

/** The module's bytes for values of `width` bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function crossProductModuleBytes(width: Width): Uint8Array {
  return moduleBytes(functions(width));
}

const compiled = new Map<Width, WasmModule | null>();

/** The compiled kernel for values of `width` bytes, or null where WebAssembly or its SIMD instructions are missing. */
function kernel(width: Width): WasmModule | null {
  let mod = compiled.get(width);
  if (mod === undefined) {
    mod = kernelModule(width === 1 ? 'byteCrossProducts' : 'wordCrossProducts');
    compiled.set(width, mod);
  }
  return mod;
}

/** Exact sums of whole-number columns: cross-products and column totals. */
export interface IntegerCrossProducts {
  /** p × p, row-major, upper triangle: S_ab = Σ_i x_a[i] x_b[i] at a·p + b for b ≥ a (0 below the diagonal). */
  readonly products: Float64Array;
  /** Σ_i x_a[i] for each column. */
  readonly sums: Float64Array;
}

/**
 * Exact cross-products and sums of x_a[i] = columns[a][i] − origin[a] over the first n values of
 * each column (origin 0 when omitted), or null when the kernel does not apply: a value of x that
 * is not a whole number in [0, 32767] (NaN included), n·max(x)² ≥ 2^31, or no WebAssembly SIMD.
 */
export function integerCrossProducts(columns: readonly Float64Array[], n: number, origin?: Float64Array): IntegerCrossProducts | null {
  const p = columns.length;
  if (p === 0 || n === 0) return null;
  const mod = kernel(2);
  if (mod === null) return null;
  const pe = p + (p & 1);
  const npad = (n + 7) & ~7;
  const dataBytes = pe * npad * 2;
  const outBytes = pe * pe * 4;
  const { memory, exports } = instantiate(mod, dataBytes + outBytes);
  // the 16-bit copy, checked as it is written (one pass over the data)
  const values = new Int16Array(memory.buffer, 0, pe * npad);
  let max = 0;
  const sums = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!copyWhole(columns[j], n, origin ? origin[j] : 0, values, j * npad)) return null;
    const m = columnMax(values, j * npad, n);
    if (m > max) max = m;
    sums[j] = columnSum(values, j * npad, n);
  }
  if (n * max * max >= 2 ** 31) return null;
  const g = exports.g as (p: number, npad: number, out: number, i0: number, i1: number) => void;
  for (let i0 = 0; i0 < npad; i0 += BLOCK_ROWS) g(pe, npad, dataBytes, i0, Math.min(npad, i0 + BLOCK_ROWS));
  return { products: upperTriangle(memory, dataBytes, p, pe), sums };
}

/**
 * Exact cross-products and sums of one-byte columns of ratings (the reader's compact columns,
 * whole numbers 0 … 254) over their first n values, without widening them: the bytes are copied
 * as they are into the kernel's memory, its SIMD instructions find each column's sum and largest
 * value (`v128.load8x8_u` widens eight bytes to 16-bit lanes as it loads) and then form the
 * products as {@link integerCrossProducts} does. Null when the kernel does not apply: a value of
 * `missing` in the data, n·max(x)² ≥ 2^31, or no WebAssembly SIMD; the caller widens the columns
 * and takes its double-precision path.
 */
export function byteCrossProducts(columns: readonly Uint8Array[], n: number, missing: number): IntegerCrossProducts | null {
  const s = byteSums(columns, n, missing);
  return s && { products: upperTriangle(s.memory, s.cells, s.p, s.pe), sums: s.sums };
}

/** Pearson correlations of one-byte columns from their exact sums ({@link byteCorrelations}). */
export interface ByteCorrelations {
  /** p × p, row-major, both triangles and a unit diagonal. */
  readonly r: Float64Array;
  /** S_aa = Σ_i x_a[i]², exact. */
  readonly squares: Float64Array;
  /** n S_aa − S_a²: 0 for a column without variance (whose correlations are then not numbers). */
  readonly spread: Float64Array;
}

/**
 * The Pearson correlations of one-byte columns as {@link byteCrossProducts}' sums give them,
 * r_ab = (n S_ab − S_a S_b) / √((n S_aa − S_a²)(n S_bb − S_b²)), formed by the kernel's function `c`
 * from its 32-bit sums in place (the operations of analysis/efa/column_correlation.ts's
 * `correlationFromSums`, in its order, so the same doubles), without the p² cold JavaScript steps of
 * copying the sums out and dividing them there. Null where {@link byteCrossProducts} is.
 */
export function byteCorrelations(columns: readonly Uint8Array[], n: number, missing: number): ByteCorrelations | null {
  // after the sums: the totals (p doubles), r (p × p) and the spreads (p)
  const s = byteSums(columns, n, missing, 8 * columns.length * (columns.length + 2));
  if (s === null) return null;
  const { memory, exports, p, pe, cells } = s;
  const sumsAt = cells + 4 * pe * pe;
  const rAt = sumsAt + 8 * p;
  new Float64Array(memory.buffer, sumsAt, p).set(s.sums);
  (exports.c as (p: number, pe: number, n: number, cells: number, sums: number, out: number) => void)(p, pe, n, cells, sumsAt, rAt);
  const diagonal = new Int32Array(memory.buffer, cells, pe * pe);
  const squares = new Float64Array(p);
  for (let a = 0; a < p; a++) squares[a] = diagonal[a * pe + a];
  return { r: new Float64Array(memory.buffer, rAt, p * p), squares, spread: new Float64Array(memory.buffer, rAt + 8 * p * p, p) };
}

/**
 * The kernel's sums of one-byte columns: an instance whose memory holds, after the columns and the
 * statistics, the pe × pe Int32 cross-products at byte address `cells` (and `extra` bytes after them),
 * and the column totals; null where {@link byteCrossProducts} is.
 */
function byteSums(columns: readonly Uint8Array[], n: number, missing: number, extra = 0): { memory: WasmMemory; exports: Record<string, unknown>; p: number; pe: number; cells: number; sums: Float64Array } | null {
  const p = columns.length;
  if (p === 0 || n === 0) return null;
  const mod = kernel(1);
  if (mod === null) return null;
  const pe = p + (p & 1);
  const npad = (n + 15) & ~15;
  const dataBytes = pe * npad;
  const statsBytes = pe * 32;
  const outBytes = pe * pe * 4;
  const { memory, exports } = instantiate(mod, dataBytes + statsBytes + outBytes + extra);
  const values = new Uint8Array(memory.buffer, 0, dataBytes);
  for (let j = 0; j < p; j++) values.set(columns[j].subarray(0, n), j * npad);
  const stats = exports.s as (p: number, npad: number, out: number) => void;
  stats(pe, npad, dataBytes);
  // per column: four 32-bit partial sums, then eight 16-bit partial maxima
  const lanes = new Int32Array(memory.buffer, dataBytes, pe * 8);
  const maxima = new Uint16Array(memory.buffer, dataBytes, pe * 16);
  const sums = new Float64Array(p);
  let max = 0;
  for (let j = 0; j < p; j++) {
    sums[j] = lanes[8 * j] + lanes[8 * j + 1] + lanes[8 * j + 2] + lanes[8 * j + 3];
    for (let k = 8; k < 16; k++) if (maxima[16 * j + k] > max) max = maxima[16 * j + k];
  }
  if (max >= missing || n * max * max >= 2 ** 31) return null;
  const g = exports.g as (p: number, npad: number, out: number, i0: number, i1: number) => void;
  const cells = dataBytes + statsBytes;
  for (let i0 = 0; i0 < npad; i0 += BLOCK_ROWS) g(pe, npad, cells, i0, Math.min(npad, i0 + BLOCK_ROWS));
  return { memory, exports, p, pe, cells, sums };
}

/** The upper triangle of the kernel's pe × pe Int32 sums at byte address `at`, as a p × p Float64Array. */
function upperTriangle(memory: WasmMemory, at: number, p: number, pe: number): Float64Array {
  const cells = new Int32Array(memory.buffer, at, pe * pe);
  const products = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) products[a * p + b] = cells[a * pe + b];
  return products;
}

/** Writes col[0..n) − origin into to[at..] as 16-bit integers; false if a value is not a whole number in [0, 32767]. */
function copyWhole(col: Float64Array, n: number, origin: number, to: Int16Array, at: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = col[i] - origin;
    const w = v | 0;
    // NaN and fractions fail w === v; w >>> 15 is non-zero below 0 and above 32767
    if (w !== v || w >>> 15 !== 0) return false;
    to[at + i] = w;
  }
  return true;
}

function columnSum(values: Int16Array, at: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[at + i];
  return s;
}

function columnMax(values: Int16Array, at: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) if (values[at + i] > m) m = values[at + i];
  return m;
}

// --- the module, instruction by instruction -------------------------------------------------

/**
 * The module for values of `width` bytes: `g` as described at the top (addresses scaled by the
 * width; one-byte values are widened to 16 bits as they are loaded) and, for one-byte values,
 * `s(p, npad, out)`, which writes for each column j at out + 32 j its four 32-bit partial sums
 * and eight 16-bit partial maxima.
 */
function functions(width: Width): WasmFunction[] {
  // parameters 0 p, 1 npad, 2 out, 3 i0, 4 i1; i32 locals 5 a, 6 b, 7 i (bytes), 8 column bytes,
  // 9 pa0, 10 pa1, 11 pb0, 12 pb1, 13 end (bytes), 14 cell address; v128 locals 15–18 sums, 19 xa0, 20 xa1, 21 xb
  const [P, NPAD, OUT, I0, I1, A, B, I, COL, PA0, PA1, PB0, PB1, END, CELL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const [S00, S01, S10, S11, XA0, XA1, XB] = [15, 16, 17, 18, 19, 20, 21];
  const shift = width === 2 ? 1 : 0;
  const step = 8 * width;
  const load = width === 2 ? op.v128Load : op.v128Load8x8U;
  const scaled = (l: number) => (shift === 0 ? op.get(l) : [...op.get(l), ...op.i32(shift), ...op.shl]);
  const accumulate = (sum: number, x: number) => [...op.get(sum), ...op.get(x), ...op.get(XB), ...op.dot, ...op.i32x4Add, ...op.set(sum)];
  const horizontal = (sum: number) => [
    ...op.get(sum), ...op.lane(0), ...op.get(sum), ...op.lane(1), ...op.add, ...op.get(sum), ...op.lane(2), ...op.add, ...op.get(sum), ...op.lane(3), ...op.add,
  ];
  // out[(row)·p + column] += horizontal(sum), the cell address computed from a + da, b + db
  const addToCell = (da: number, db: number, sum: number) => [
    ...op.get(OUT), ...op.get(A), ...op.i32(da), ...op.add, ...op.get(P), ...op.mul, ...op.get(B), ...op.add, ...op.i32(db), ...op.add, ...op.i32(2), ...op.shl, ...op.add,
    ...op.tee(CELL), ...op.get(CELL), ...op.load, ...horizontal(sum), ...op.add, ...op.store,
  ];
  const body = [
    ...scaled(NPAD), ...op.set(COL),
    ...op.i32(0), ...op.set(A),
    ...op.loop,
    ...op.get(A), ...op.get(COL), ...op.mul, ...op.tee(PA0), ...op.get(COL), ...op.add, ...op.set(PA1),
    ...op.get(A), ...op.set(B),
    ...op.loop,
    ...op.get(B), ...op.get(COL), ...op.mul, ...op.tee(PB0), ...op.get(COL), ...op.add, ...op.set(PB1),
    ...op.v128Zero, ...op.set(S00), ...op.v128Zero, ...op.set(S01), ...op.v128Zero, ...op.set(S10), ...op.v128Zero, ...op.set(S11),
    ...scaled(I0), ...op.set(I),
    ...scaled(I1), ...op.set(END),
    ...op.loop,
    ...op.get(PA0), ...op.get(I), ...op.add, ...load, ...op.set(XA0),
    ...op.get(PA1), ...op.get(I), ...op.add, ...load, ...op.set(XA1),
    ...op.get(PB0), ...op.get(I), ...op.add, ...load, ...op.set(XB),
    ...accumulate(S00, XA0), ...accumulate(S10, XA1),
    ...op.get(PB1), ...op.get(I), ...op.add, ...load, ...op.set(XB),
    ...accumulate(S01, XA0), ...accumulate(S11, XA1),
    ...op.get(I), ...op.i32(step), ...op.add, ...op.tee(I), ...op.get(END), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...addToCell(0, 0, S00), ...addToCell(0, 1, S01), ...addToCell(1, 0, S10), ...addToCell(1, 1, S11),
    ...op.get(B), ...op.i32(2), ...op.add, ...op.tee(B), ...op.get(P), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.get(A), ...op.i32(2), ...op.add, ...op.tee(A), ...op.get(P), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  const gKernel = { name: 'g', params: [I32, I32, I32, I32, I32], locals: [...new Array<number>(10).fill(I32), ...new Array<number>(7).fill(V128)], body: body.slice(0, -1) };
  return width === 1 ? [gKernel, statsFunction(), correlationsFunction()] : [gKernel];
}

/**
 * `c(p, pe, n, cells, sums, out)`: from the pe × pe Int32 sums at `cells` (upper triangle) and the p
 * column totals (f64) at `sums`, spread_a = n S_aa − S_a² into out + 8p² and the correlation matrix
 * r_ab = (n S_ab − S_a S_b) / √(spread_a spread_b) (both triangles, unit diagonal) at `out`.
 */
function correlationsFunction(): WasmFunction {
  // parameters 0 p, 1 pe, 2 n (f64), 3 cells, 4 sums, 5 out; i32 locals 6 a, 7 b, 8 spread's address;
  // f64 locals 9 S_a, 10 r_ab
  const [P, PE, N, CELLS, SUMS, OUT, A, B, SPREAD, SA, R] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const get = op.get;
  const f64At = (base: number, index: readonly number[]) => cat(index, op.i32(3), op.shl, get(base), op.add);
  const sum = (a: number, b: number) => cat(get(N), get(CELLS), get(a), get(PE), op.mul, get(b), op.add, op.i32(2), op.shl, op.add, op.load, op.f64FromI32, op.f64Mul);
  const body = cat(
    get(OUT), get(P), get(P), op.mul, op.i32(3), op.shl, op.add, op.set(SPREAD),
    countedLoop(A, op.i32(0), get(P), cat(
      f64At(SPREAD, get(A)),
      sum(A, A), f64At(SUMS, get(A)), op.f64Load, op.tee(SA), get(SA), op.f64Mul, op.f64Sub,
      op.f64Store,
    )),
    countedLoop(A, op.i32(0), get(P), cat(
      f64At(OUT, cat(get(A), get(P), op.mul, get(A), op.add)), op.f64Const(1), op.f64Store,
      f64At(SUMS, get(A)), op.f64Load, op.set(SA),
      countedLoop(B, cat(get(A), op.i32(1), op.add), get(P), cat(
        sum(A, B), get(SA), f64At(SUMS, get(B)), op.f64Load, op.f64Mul, op.f64Sub,
        f64At(SPREAD, get(A)), op.f64Load, f64At(SPREAD, get(B)), op.f64Load, op.f64Mul, op.f64Sqrt,
        op.f64Div, op.set(R),
        f64At(OUT, cat(get(A), get(P), op.mul, get(B), op.add)), get(R), op.f64Store,
        f64At(OUT, cat(get(B), get(P), op.mul, get(A), op.add)), get(R), op.f64Store,
      )),
    )),
  );
  return { name: 'c', params: [I32, I32, F64, I32, I32, I32], locals: [I32, I32, I32, F64, F64], body };
}

/** `s(p, npad, out)`: per one-byte column j, its partial sums (i32x4) at out + 32 j and partial maxima (i16x8) at out + 32 j + 16. */
function statsFunction(): WasmFunction {
  // parameters 0 p, 1 npad, 2 out; i32 locals 3 j, 4 address, 5 end, 6 cell; v128 locals 7 sum, 8 max, 9 x
  const [P, NPAD, OUT, J, AT, END, CELL, SUM, MAX, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const body = [
    ...op.i32(0), ...op.set(J),
    ...op.loop,
    ...op.get(J), ...op.get(NPAD), ...op.mul, ...op.tee(AT), ...op.get(NPAD), ...op.add, ...op.set(END),
    ...op.v128Zero, ...op.set(SUM), ...op.v128Zero, ...op.set(MAX),
    ...op.loop,
    ...op.get(AT), ...op.v128Load8x8U, ...op.set(X),
    ...op.get(SUM), ...op.get(X), ...op.extaddPairwiseU, ...op.i32x4Add, ...op.set(SUM),
    ...op.get(MAX), ...op.get(X), ...op.i16x8MaxU, ...op.set(MAX),
    ...op.get(AT), ...op.i32(8), ...op.add, ...op.tee(AT), ...op.get(END), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.get(OUT), ...op.get(J), ...op.i32(5), ...op.shl, ...op.add, ...op.tee(CELL), ...op.get(SUM), ...op.v128Store,
    ...op.get(CELL), ...op.i32(16), ...op.add, ...op.get(MAX), ...op.v128Store,
    ...op.get(J), ...op.i32(1), ...op.add, ...op.tee(J), ...op.get(P), ...op.ltU, ...op.brIf(0),
    ...op.end,
  ];
  return { name: 's', params: [I32, I32, I32], locals: [I32, I32, I32, I32, V128, V128, V128], body };
}
