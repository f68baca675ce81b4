import { instantiate, moduleBytes, op, F64, I32, V128, type WasmFunction, type WasmMemory, type WasmModule } from './wasm_assembly.js';
import { kernelModule } from './kernel_modules.js';

/**
 * The O(n³) loops of the Cholesky factorisation and of the inverse from the factor
 * (analysis/math/cholesky.ts) as WebAssembly, compiled once ahead of use so that a command-line
 * run does not wait for V8 to optimise them while they run. Each loop performs the JavaScript
 * loop's operations in its order (128-bit SIMD multiplies two pairs at once, and the sums still
 * take the products one by one), so the results are the same to the last bit.
 *
 * Memory, from address 0: A, L, L⁻¹ and the inverse, n × n doubles each (row-major);
 * {@link CholeskyKernel.workspace} gives views of them.
 */
export interface CholeskyKernel {
  workspace(n: number): { a: Float64Array; l: Float64Array; li: Float64Array; inv: Float64Array };
  /** L_jj ← A_jj − Σ_{k<j} L_jk² (the pivot before its square root). */
  pivot(n: number, j: number): void;
  /** L_ij ← (A_ij − Σ_{k<j} L_ik L_jk) / L_jj for i > j (L_jj already its square root). */
  column(n: number, j: number): void;
  /**
   * The whole factorisation as analysis/math/cholesky.ts runs it with `pivot` and `column`, in one
   * call: for each j the pivot, the test that it is above `minPivot` · max(1, |A_jj|) and finite
   * (false, at the first that is not), its square root, the column. L must be zero on entry.
   */
  factor(n: number, minPivot: number): boolean;
  /**
   * C = A B for a thin B (n × k, row-major, in L's place) into L⁻¹'s place (zero it first): for each
   * row i, c_im += a_ij b_jm for j = 0 … n − 1 in order, as the JavaScript loop of
   * analysis/efa/factor_fit.ts adds them (the same results to the last bit).
   */
  thinProduct(n: number, k: number): void;
  /** The lower triangle of L⁻¹: (L⁻¹)_ii = 1 / L_ii, (L⁻¹)_ij = −(Σ_{k=j}^{i−1} L_ik (L⁻¹)_kj) / L_ii. */
  lowerInverse(n: number): void;
  /** The lower triangle of L⁻ᵀL⁻¹ = Σ_k (row k of L⁻¹)ᵀ (row k of L⁻¹) added into `inv` (zero it first). */
  gram(n: number): void;
}

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function choleskyModuleBytes(): Uint8Array {
  return moduleBytes([pivotFunction(), columnFunction(), lowerInverseFunction(), gramFunction(), factorFunction(), thinProductFunction()]);
}

let compiled: WasmModule | null | undefined;
let instance: { memory: WasmMemory; kernel: CholeskyKernel } | undefined;

/** The kernel, or null where WebAssembly (with SIMD) is missing: the JavaScript loops do the work. */
export function choleskyKernel(): CholeskyKernel | null {
  if (compiled === undefined) compiled = kernelModule('cholesky');
  if (compiled === null) return null;
  if (instance === undefined) {
    const { memory, exports } = instantiate(compiled, 32 * 270 * 270);
    instance = {
      memory,
      kernel: {
        workspace(n) {
          const bytes = 32 * n * n + 8;
          if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
          const view = (k: number) => new Float64Array(memory.buffer, 8 * k * n * n, n * n);
          return { a: view(0), l: view(1), li: view(2), inv: view(3) };
        },
        pivot: exports.p as (n: number, j: number) => void,
        column: exports.c as (n: number, j: number) => void,
        factor(n, minPivot) {
          (exports.f as (n: number, minPivot: number) => void)(n, minPivot);
          // the function leaves 1 after the four matrices when a pivot failed, else 0
          return new Int32Array(memory.buffer, 32 * n * n, 1)[0] === 0;
        },
        thinProduct: exports.m as (n: number, k: number) => void,
        lowerInverse: exports.i as (n: number) => void,
        gram: exports.g as (n: number) => void,
      },
    };
  }
  return instance.kernel;
}

// parameters 0 n, 1 j (or unused); i32 locals 2 L, 3 LI, 4 INV (base addresses), 5 i, 6 k, 7 p, 8 q, 9 end, 10 stride;
// f64 locals 11 s, 12 x, 13 a; v128 locals 14 pair, 15 a splat
const [N, J, L, LI, INV, I, K, P, Q, END, STRIDE, S, X, A, PAIR, AA] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const LOCALS = [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, V128, V128];

const get = op.get;
/** 8·(r·n + c): the byte offset of cell (r, c), which is its address in A */
const offset = (r: number, c: number) => [...get(r), ...get(N), ...op.mul, ...get(c), ...op.add, ...op.i32(3), ...op.shl];
/** The address of cell (r, c) of the matrix at `base`. */
const cell = (base: number, r: number, c: number) => [...offset(r, c), ...get(base), ...op.add];
const step = (ptr: number, by: number[]) => [...get(ptr), ...by, ...op.add, ...op.set(ptr)];
const bases = [
  ...get(N), ...get(N), ...op.mul, ...op.i32(3), ...op.shl, ...op.tee(L), ...op.tee(STRIDE),
  ...get(L), ...op.add, ...op.tee(LI), ...get(STRIDE), ...op.add, ...op.set(INV),
  ...get(N), ...op.i32(3), ...op.shl, ...op.set(STRIDE),
];
/** for (counter = from; counter < to; counter++) body, `from` and `to` as code leaving an i32. */
const forRange = (counter: number, from: number[], to: number[], body: number[]) => [
  ...from, ...op.set(counter),
  ...op.block, ...op.loop,
  ...get(counter), ...to, ...op.geU, ...op.brIf(1),
  ...body,
  ...get(counter), ...op.i32(1), ...op.add, ...op.set(counter),
  ...op.br(0),
  ...op.end, ...op.end,
];
/** while (P < END) body, with P and Q advanced by 8 each time. */
const whileBelow = (body: number[]) => [
  ...op.block, ...op.loop,
  ...get(P), ...get(END), ...op.geU, ...op.brIf(1),
  ...body,
  ...step(P, op.i32(8)), ...step(Q, op.i32(8)),
  ...op.br(0),
  ...op.end, ...op.end,
];
/** while (P + 16 ≤ END) body, with P and Q advanced by 16 each time. */
const whilePairs = (body: number[]) => [
  ...op.block, ...op.loop,
  ...get(P), ...op.i32(16), ...op.add, ...get(END), ...op.i32(1), ...op.add, ...op.geU, ...op.brIf(1),
  ...body,
  ...step(P, op.i32(16)), ...step(Q, op.i32(16)),
  ...op.br(0),
  ...op.end, ...op.end,
];

function pivotFunction(): WasmFunction {
  // s = A_jj; s −= L_jk² for k < j (P runs over row j of L); L_jj = s
  const body = [
    ...bases,
    ...offset(J, J), ...op.f64Load, ...op.set(S),
    ...cell(L, J, J), ...op.set(END),
    ...get(J), ...get(N), ...op.mul, ...op.i32(3), ...op.shl, ...get(L), ...op.add, ...op.set(P),
    ...whileBelow([...get(S), ...get(P), ...op.f64Load, ...op.tee(X), ...get(X), ...op.f64Mul, ...op.f64Sub, ...op.set(S)]),
    ...cell(L, J, J), ...get(S), ...op.f64Store,
  ];
  return { name: 'p', params: [I32, I32], locals: LOCALS, body };
}

function columnFunction(): WasmFunction {
  const body = [
    ...bases,
    ...cell(L, J, J), ...op.f64Load, ...op.set(A),
    ...forRange(I, [...get(J), ...op.i32(1), ...op.add], get(N), [
      // s = A_ij − Σ_{k<j} L_ik L_jk, the products taken in order
      ...offset(I, J), ...op.f64Load, ...op.set(S),
      ...get(I), ...get(N), ...op.mul, ...op.i32(3), ...op.shl, ...get(L), ...op.add, ...op.tee(P),
      ...get(J), ...op.i32(3), ...op.shl, ...op.add, ...op.set(END),
      ...get(J), ...get(N), ...op.mul, ...op.i32(3), ...op.shl, ...get(L), ...op.add, ...op.set(Q),
      ...whilePairs([
        ...get(P), ...op.v128Load, ...get(Q), ...op.v128Load, ...op.f64x2Mul, ...op.set(PAIR),
        ...get(S), ...get(PAIR), ...op.f64x2Lane(0), ...op.f64Sub, ...get(PAIR), ...op.f64x2Lane(1), ...op.f64Sub, ...op.set(S),
      ]),
      ...whileBelow([...get(S), ...get(P), ...op.f64Load, ...get(Q), ...op.f64Load, ...op.f64Mul, ...op.f64Sub, ...op.set(S)]),
      ...cell(L, I, J), ...get(S), ...get(A), ...op.f64Div, ...op.f64Store,
    ]),
  ];
  return { name: 'c', params: [I32, I32], locals: LOCALS, body };
}

function lowerInverseFunction(): WasmFunction {
  const body = [
    ...bases,
    ...forRange(I, op.i32(0), get(N), [
      ...cell(L, I, I), ...op.f64Load, ...op.set(A),
      ...cell(LI, I, I), ...op.f64Const(1), ...get(A), ...op.f64Div, ...op.f64Store,
      ...forRange(J, op.i32(0), get(I), [
        // s = Σ_{k=j}^{i−1} L_ik (L⁻¹)_kj: P along row i of L, Q down column j of L⁻¹
        ...op.f64Zero, ...op.set(S),
        ...cell(L, I, J), ...op.set(P),
        ...cell(L, I, I), ...op.set(END),
        ...cell(LI, J, J), ...op.set(Q),
        ...op.block, ...op.loop,
        ...get(P), ...get(END), ...op.geU, ...op.brIf(1),
        ...get(S), ...get(P), ...op.f64Load, ...get(Q), ...op.f64Load, ...op.f64Mul, ...op.f64Add, ...op.set(S),
        ...step(P, op.i32(8)), ...step(Q, get(STRIDE)),
        ...op.br(0),
        ...op.end, ...op.end,
        ...cell(LI, I, J), ...get(S), ...op.f64Neg, ...get(A), ...op.f64Div, ...op.f64Store,
      ]),
    ]),
  ];
  return { name: 'i', params: [I32], locals: [I32, ...LOCALS], body };
}

function gramFunction(): WasmFunction {
  const body = [
    ...bases,
    ...forRange(K, op.i32(0), get(N), [
      ...forRange(I, op.i32(0), [...get(K), ...op.i32(1), ...op.add], [
        ...cell(LI, K, I), ...op.f64Load, ...op.tee(A),
        ...op.f64Zero, ...op.f64Eq, ...op.eqz,
        ...[0x04, 0x40], // if (a !== 0)
        ...get(A), ...op.f64x2Splat, ...op.set(AA),
        // inv_ij += a (L⁻¹)_kj for j ≤ i: P along row i of inv, Q along row k of L⁻¹
        ...cell(INV, I, I), ...op.i32(8), ...op.add, ...op.set(END),
        ...op.i32(0), ...op.set(J),
        ...cell(INV, I, J), ...op.set(P),
        ...cell(LI, K, J), ...op.set(Q),
        ...whilePairs([
          ...get(P), ...get(P), ...op.v128Load, ...get(Q), ...op.v128Load, ...get(AA), ...op.f64x2Mul, ...op.f64x2Add, ...op.v128Store,
        ]),
        ...whileBelow([...get(P), ...get(P), ...op.f64Load, ...get(Q), ...op.f64Load, ...get(A), ...op.f64Mul, ...op.f64Add, ...op.f64Store]),
        ...op.end,
      ]),
    ]),
  ];
  return { name: 'g', params: [I32], locals: [I32, ...LOCALS], body };
}

/** f(n, minPivot): `pivot` (function 0), the test, the square root and `column` (function 1) for j = 0 … n − 1. */
function factorFunction(): WasmFunction {
  // parameters 0 n, 1 minPivot; i32 locals 2 j, 3 L (base of L), 4 status address; f64 local 5 d
  const [n, minPivot, j, lBase, status, d] = [0, 1, 2, 3, 4, 5];
  const diagonal = (base: number[]) => [...get(j), ...get(n), ...op.mul, ...get(j), ...op.add, ...op.i32(3), ...op.shl, ...base, ...op.add];
  const body = [
    ...get(n), ...get(n), ...op.mul, ...op.i32(3), ...op.shl, ...op.set(lBase),
    ...get(lBase), ...op.i32(2), ...op.shl, ...op.tee(status), ...op.i32(0), ...op.store,
    ...op.i32(0), ...op.set(j),
    ...op.block, ...op.loop,
    ...get(j), ...get(n), ...op.geU, ...op.brIf(1),
    ...get(n), ...get(j), ...op.call(0),
    ...diagonal(get(lBase)), ...op.f64Load, ...op.set(d),
    // !(d > minPivot · max(1, |A_jj|)) or d not finite: fail
    ...get(d), ...get(minPivot), ...op.f64Const(1), ...diagonal(op.i32(0)), ...op.f64Load, ...op.f64Abs, ...op.f64Max, ...op.f64Mul, ...op.f64Gt, ...op.eqz,
    ...get(d), ...get(d), ...op.f64Sub, ...op.f64Zero, ...op.f64Ne, ...op.or,
    ...op.ifThen, ...get(status), ...op.i32(1), ...op.store, ...op.br(2), ...op.end,
    ...diagonal(get(lBase)), ...get(d), ...op.f64Sqrt, ...op.f64Store,
    ...get(n), ...get(j), ...op.call(1),
    ...get(j), ...op.i32(1), ...op.add, ...op.set(j),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  return { name: 'f', params: [I32, F64], locals: [I32, I32, I32, F64], body };
}

/** m(n, k): C (at L⁻¹) += A B (B n × k at L), row by row, the terms of each sum in the order j = 0 … n − 1. */
function thinProductFunction(): WasmFunction {
  // parameters 0 n, 1 k; i32 locals 2 i, 3 j, 4 m, 5 B, 6 C, 7 row of C; f64 local 8 a_ij
  const [n, k, i, j, m, bBase, cBase, cRow, aij] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const upTo = (counter: number, limit: number, body: number[]) => [
    ...op.i32(0), ...op.set(counter),
    ...op.block, ...op.loop,
    ...get(counter), ...get(limit), ...op.geU, ...op.brIf(1),
    ...body,
    ...get(counter), ...op.i32(1), ...op.add, ...op.set(counter),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  // address of element (row, column) of a matrix with `width` columns at `base`
  const at = (base: number, row: number, width: number, column: number) => [...get(row), ...get(width), ...op.mul, ...get(column), ...op.add, ...op.i32(3), ...op.shl, ...get(base), ...op.add];
  const body = [
    ...get(n), ...get(n), ...op.mul, ...op.i32(3), ...op.shl, ...op.tee(bBase), ...get(bBase), ...op.add, ...op.set(cBase),
    ...upTo(i, n, [
      ...get(i), ...get(k), ...op.mul, ...op.set(cRow),
      ...upTo(j, n, [
        ...get(i), ...get(n), ...op.mul, ...get(j), ...op.add, ...op.i32(3), ...op.shl, ...op.f64Load, ...op.set(aij),
        ...upTo(m, k, [
          ...get(cRow), ...get(m), ...op.add, ...op.i32(3), ...op.shl, ...get(cBase), ...op.add,
          ...get(cRow), ...get(m), ...op.add, ...op.i32(3), ...op.shl, ...get(cBase), ...op.add, ...op.f64Load,
          ...get(aij), ...at(bBase, j, k, m), ...op.f64Load, ...op.f64Mul, ...op.f64Add,
          ...op.f64Store,
        ]),
      ]),
    ]),
  ];
  return { name: 'm', params: [I32, I32], locals: [I32, I32, I32, I32, I32, I32, F64], body };
}
