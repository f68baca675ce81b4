import { cat, countedLoop, instantiate, moduleBytes, op, F64, I32, V128, type WasmFunction, type WasmImport, type WasmMemory, type WasmModule } from './wasm_assembly.js';
import { kernelModule } from './kernel_modules.js';

/**
 * The O(n³) inner loops of the Householder reduction of a symmetric matrix to tridiagonal form
 * (tred2 of Wilkinson & Reinsch, 1971, doi:10.1007/978-3-642-86940-2; the reduction in
 * analysis/efa/symmetric_eigen.ts) as WebAssembly: compiled once, ahead of use, so a command-line
 * run that performs a handful of 270-order decompositions does not wait for V8 to optimise
 * JavaScript loops while they run. The operations and their order are those of the JavaScript
 * loops, so the results are the same to the last bit (WebAssembly's f64 arithmetic is IEEE 754
 * without fused multiply-adds); 128-bit SIMD does two columns per instruction where the
 * operations are elementwise, and the dot product adds its two lanes in the scalar order.
 *
 * The matrix v (n × n, row-major), d, e, x and h (n each) live in the kernel's memory, one after
 * another from address 0; {@link HouseholderKernel.workspace} gives views of them.
 */
export interface HouseholderWorkspace {
  readonly v: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
  readonly x: Float64Array;
  readonly h: Float64Array;
  /** For {@link HouseholderKernel.leadingVectors} (empty unless `workspace` was given k): T's diagonal and off-diagonal t_{i−1,i} = offDiagonal[i]. */
  readonly diagonal: Float64Array;
  readonly offDiagonal: Float64Array;
  /** T's eigenvalues, largest first. */
  readonly values: Float64Array;
  /** The k starting vectors of the inverse iteration, vector j at j·n. */
  readonly start: Float64Array;
  /** The result: component i of the j-th leading eigenvector at i·k + j. */
  readonly vectors: Float64Array;
  /** For {@link HouseholderKernel.scale} (empty unless `workspace` was given `scaled`): a symmetric n × n matrix and the n factors of its rows and columns. */
  readonly input: Float64Array;
  readonly factors: Float64Array;
}

export interface HouseholderKernel {
  /** Views of the kernel's memory for order n (valid until the next call of `workspace`); with `scaled`, room for {@link HouseholderKernel.scale}'s input. */
  workspace(n: number, k?: number, scaled?: boolean): HouseholderWorkspace;
  /**
   * v = D A D with A the workspace's input and D = diag(factors): for each i and j ≤ i,
   * v[i][j] = v[j][i] = (a[i][j] f_i) f_j from the lower triangle, in that order (the maximum
   * likelihood objective of analysis/efa/extract_factors.ts, Ψ^{-1/2} R Ψ^{-1/2}, without a cold
   * JavaScript loop over the whole matrix at each evaluation).
   */
  scale(n: number, input: number, factors: number): void;
  /**
   * Step i (1 ≤ i < n) after the reflector u = d[0..i) is formed and e[0..i) zeroed: for each
   * j < i, v[i][j] = u_j and e[j] = (A u)_j from the lower triangle stored in rows 0..i−1
   * (e[j] += v[j][j] u_j + Σ_{k=j+1}^{i−1} v[j][k] u_k, and e[k] += v[j][k] u_j for k > j).
   */
  reflect(n: number, i: number): void;
  /** Step i's rank-two update v[j][k] −= u_j e_k + e_j u_k (j ≤ k < i), then d[j] = v[j][i−1] and v[j][i] = 0. */
  update(n: number, i: number): void;
  /**
   * Back-transformation of a vector x of the tridiagonal matrix's space to the original one by the
   * stored reflectors (u_i in row i + 1 of v, h_i = h[i]): for i = 0 … n − 2 with h_i ≠ 0,
   * g = (Σ_{m≤i} v[i+1][m] x_m) / h_i and x_m −= g v[i+1][m] for m ≤ i.
   */
  backTransform(n: number): void;
  /**
   * The eigenvalues of the tridiagonal matrix (diagonal d, off-diagonal e[1..n), as the reduction
   * leaves them) by implicit QL iterations with Wilkinson shifts, into d (unsorted); e is overwritten.
   */
  tridiagonalValues(n: number): void;
  /**
   * The whole reduction without eigenvectors in one call: the JavaScript `tridiagonalize` of
   * analysis/efa/symmetric_eigen.ts with `reflect` and `update` for its inner loops, operation for
   * operation, leaving the diagonal in d, the off-diagonal in e[1..n), the reflectors u_i in the rows of
   * v and their scales h_i in h (saves the ≈ 2n calls from JavaScript per decomposition and the cold
   * JavaScript loops around them).
   */
  tridiagonalize(n: number): void;
  /**
   * The inverse iteration of `symmetricEigenTop` (analysis/efa/symmetric_eigen.ts) for the k leading
   * eigenvectors, operation for operation, each back-transformed by the reflectors as `backTransform`
   * does: reads the workspace's diagonal, offDiagonal, values and start (filled for `workspace(n, k)`),
   * writes its vectors. `norm` is T's ∞-norm and `tiny` = 2⁻⁵² max(norm, 10⁻³⁰⁰).
   */
  leadingVectors(n: number, k: number, norm: number, tiny: number): void;
}

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function householderModuleBytes(): Uint8Array {
  return moduleBytes([reflectFunction(), updateFunction(), backFunction(), qlFunction(), reduceFunction(), inverseIterationFunction(), scaleFunction()], [HYPOT]);
}

let compiled: WasmModule | null | undefined;
let instance: { memory: WasmMemory; kernel: HouseholderKernel } | undefined;

/** The kernel, or null where WebAssembly (with SIMD) is missing: the caller's JavaScript loops do the work. */
export function householderKernel(): HouseholderKernel | null {
  if (compiled === undefined) compiled = kernelModule('householder');
  if (compiled === null) return null;
  if (instance === undefined) {
    const { memory, exports } = instantiate(compiled, 8 * (270 * 270 + 4 * 270), { h: Math.hypot });
    const reflect = exports.r as (n: number, i: number) => void;
    const update = exports.u as (n: number, i: number) => void;
    // the last views made, reused while the order, k, `scaled` and the memory's buffer are the same (an
    // optimiser asks for the same workspace at every evaluation)
    let last: { n: number; k: number; scaled: boolean; buffer: ArrayBuffer; views: HouseholderWorkspace } | null = null;
    instance = {
      memory,
      kernel: {
        workspace(n, k = 0, scaled = false) {
          const end = 8 * (n * n + 4 * n + (k > 0 ? 8 * n + 3 * n * k : 0));
          const bytes = end + (scaled ? 8 * (n * n + n) : 0);
          if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
          const buffer = memory.buffer;
          if (last !== null && last.n === n && last.k === k && last.scaled === scaled && last.buffer === buffer) return last.views;
          const top = 8 * (n * n + 4 * n);
          const views: HouseholderWorkspace = {
            v: new Float64Array(buffer, 0, n * n),
            d: new Float64Array(buffer, 8 * n * n, n),
            e: new Float64Array(buffer, 8 * (n * n + n), n),
            x: new Float64Array(buffer, 8 * (n * n + 2 * n), n),
            h: new Float64Array(buffer, 8 * (n * n + 3 * n), n),
            diagonal: new Float64Array(buffer, top, n),
            offDiagonal: new Float64Array(buffer, top + 8 * n, n),
            values: new Float64Array(buffer, top + 16 * n, n),
            start: new Float64Array(buffer, top + 64 * n, k > 0 ? n * k : 0),
            vectors: new Float64Array(buffer, top + 64 * n + 16 * n * k, k > 0 ? n * k : 0),
            input: scaled ? new Float64Array(buffer, end, n * n) : new Float64Array(0),
            factors: scaled ? new Float64Array(buffer, end + 8 * n * n, n) : new Float64Array(0),
          };
          last = { n, k, scaled, buffer, views };
          return views;
        },
        reflect,
        update,
        backTransform: exports.b as (n: number) => void,
        tridiagonalValues: exports.q as (n: number) => void,
        tridiagonalize: exports.t as (n: number) => void,
        leadingVectors: exports.v as (n: number, k: number, norm: number, tiny: number) => void,
        scale: exports.s as (n: number, input: number, factors: number) => void,
      },
    };
  }
  return instance.kernel;
}

/** base (a local holding an address) + 8·index, index as code leaving an i32 */
const element = (base: number, index: number[]) => cat(op.get(base), index, op.i32(3), op.shl, op.add);
const loadElement = (base: number, index: number[]) => cat(element(base, index), op.f64Load);
const storeElement = (base: number, index: number[], value: number[]) => cat(element(base, index), value, op.f64Store);
/** local + k, left on the stack */
const plusConst = (local: number, k: number) => cat(op.get(local), op.i32(k), op.add);
// parameters 0 n, 1 i; i32 locals 2 D (address of d), 3 E (of e), 4 j, 5 row j, 6 pv, 7 pd, 8 pe, 9 end;
// f64 locals 10 f, 11 g, 12 x; v128 locals 13 f splat, 14 g splat, 15 x pair
const [N, I, D, E, J, ROW, PV, PD, PE, END, F, G, X, FF, GG, XX] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const LOCALS = [I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, V128, V128, V128];

/** base + 8·index */
const at = (base: number, index: number) => cat(op.get(base), op.get(index), op.i32(3), op.shl, op.add);
const step = (ptr: number, bytes: number) => cat(op.get(ptr), op.i32(bytes), op.add, op.set(ptr));
const addresses = cat(
  op.get(N), op.get(N), op.mul, op.i32(3), op.shl, op.set(D),
  op.get(D), op.get(N), op.i32(3), op.shl, op.add, op.set(E));
/** The loop over j = 0 … i − 1 (i ≥ 1) around `body`, with ROW = 8 j n. */
const overRows = (body: number[]) => cat(
  op.i32(0), op.set(J),
  op.loop,
  op.get(J), op.get(N), op.mul, op.i32(3), op.shl, op.set(ROW),
  body,
  op.get(J), op.i32(1), op.add, op.tee(J), op.get(I), op.ltU, op.brIf(0),
  op.end);
/**
 * While PV + 16 ≤ END run `pair` and advance PV, PD, PE by 16; then while PV < END run `single`
 * and advance by 8.
 */
const pairsThenSingle = (pair: number[], single: number[]) => cat(
  op.block, op.loop,
  op.get(PV), op.i32(16), op.add, op.get(END), op.i32(1), op.add, op.geU, op.brIf(1),
  pair,
  step(PV, 16), step(PD, 16), step(PE, 16),
  op.br(0),
  op.end, op.end,
  op.block, op.loop,
  op.get(PV), op.get(END), op.geU, op.brIf(1),
  single,
  step(PV, 8), step(PD, 8), step(PE, 8),
  op.br(0),
  op.end, op.end);

function reflectFunction() {
  const body = cat(
    addresses,
    overRows([
      // f = d[j]; v[i][j] = f
      ...at(D, J), ...op.f64Load, ...op.set(F),
      ...op.get(I), ...op.get(N), ...op.mul, ...op.get(J), ...op.add, ...op.i32(3), ...op.shl, ...op.get(F), ...op.f64Store,
      ...op.get(F), ...op.f64x2Splat, ...op.set(FF),
      ...op.f64Zero, ...op.set(G),
      // k from j + 1 to i − 1: g += v[j][k] d[k] (in order), e[k] += v[j][k] f
      ...op.get(J), ...op.i32(1), ...op.add, ...op.i32(3), ...op.shl, ...op.tee(PE), ...op.get(ROW), ...op.add, ...op.set(PV),
      ...op.get(PE), ...op.get(D), ...op.add, ...op.set(PD),
      ...op.get(PE), ...op.get(E), ...op.add, ...op.set(PE),
      ...op.get(ROW), ...op.get(I), ...op.i32(3), ...op.shl, ...op.add, ...op.set(END),
      ...pairsThenSingle(
        cat(
          op.get(PV), op.v128Load, op.tee(XX), op.get(PD), op.v128Load, op.f64x2Mul, op.tee(GG),
          op.f64x2Lane(0), op.get(G), op.f64Add, op.get(GG), op.f64x2Lane(1), op.f64Add, op.set(G),
          op.get(PE), op.get(PE), op.v128Load, op.get(XX), op.get(FF), op.f64x2Mul, op.f64x2Add, op.v128Store),
        cat(
          op.get(PV), op.f64Load, op.tee(X), op.get(PD), op.f64Load, op.f64Mul, op.get(G), op.f64Add, op.set(G),
          op.get(PE), op.get(PE), op.f64Load, op.get(X), op.get(F), op.f64Mul, op.f64Add, op.f64Store),
      ),
      // e[j] = (e[j] + v[j][j] f) + g
      ...at(E, J), ...at(E, J), ...op.f64Load, ...at(ROW, J), ...op.f64Load, ...op.get(F), ...op.f64Mul, ...op.f64Add, ...op.get(G), ...op.f64Add, ...op.f64Store,
    ]));
  return { name: 'r', params: [I32, I32], locals: LOCALS, body };
}

function updateFunction() {
  const body = cat(
    addresses,
    overRows(cat(
      at(D, J), op.f64Load, op.tee(F), op.f64x2Splat, op.set(FF),
      at(E, J), op.f64Load, op.tee(G), op.f64x2Splat, op.set(GG),
      // k from j to i − 1: v[j][k] −= f e[k] + g d[k]
      at(ROW, J), op.set(PV),
      at(D, J), op.set(PD),
      at(E, J), op.set(PE),
      op.get(ROW), op.get(I), op.i32(3), op.shl, op.add, op.set(END),
      pairsThenSingle(
        cat(
          op.get(PV), op.get(PV), op.v128Load,
          op.get(FF), op.get(PE), op.v128Load, op.f64x2Mul, op.get(GG), op.get(PD), op.v128Load, op.f64x2Mul, op.f64x2Add,
          op.f64x2Sub, op.v128Store),
        cat(
          op.get(PV), op.get(PV), op.f64Load,
          op.get(F), op.get(PE), op.f64Load, op.f64Mul, op.get(G), op.get(PD), op.f64Load, op.f64Mul, op.f64Add,
          op.f64Sub, op.f64Store),
      ),
      // d[j] = v[j][i − 1]; v[j][i] = 0
      at(D, J), op.get(ROW), op.get(I), op.i32(1), op.sub, op.i32(3), op.shl, op.add, op.f64Load, op.f64Store,
      op.get(ROW), op.get(I), op.i32(3), op.shl, op.add, op.f64Zero, op.f64Store)));
  return { name: 'u', params: [I32, I32], locals: LOCALS, body };
}

function backFunction() {
  // D and E as in the other functions; here PD walks x (at E + 8n) and PE the row i + 1 of v; h at E + 16n
  const body = cat(
    addresses,
    op.get(N), op.i32(1), op.sub, op.set(END),
    op.i32(0), op.set(I),
    op.block,
    op.loop,
    op.get(I), op.get(END), op.geU, op.brIf(1),
    // h_i
    op.get(E), op.get(N), op.i32(4), op.shl, op.add, op.get(I), op.i32(3), op.shl, op.add, op.f64Load, op.tee(X),
    op.f64Zero, op.f64Eq, op.eqz,
    [0x04, 0x40], // if h ≠ 0
    // ROW = address of v[i + 1][0]; J = address one past v[i + 1][i]
    op.get(I), op.i32(1), op.add, op.get(N), op.mul, op.i32(3), op.shl, op.tee(ROW),
    op.get(I), op.i32(1), op.add, op.i32(3), op.shl, op.add, op.set(J),
    op.f64Zero, op.set(G),
    op.get(ROW), op.set(PV),
    op.get(E), op.get(N), op.i32(3), op.shl, op.add, op.set(PD),
    // g = Σ v[i+1][m] x_m in order
    op.block, op.loop,
    op.get(PV), op.i32(16), op.add, op.get(J), op.i32(1), op.add, op.geU, op.brIf(1),
    op.get(PV), op.v128Load, op.get(PD), op.v128Load, op.f64x2Mul, op.tee(XX),
    op.f64x2Lane(0), op.get(G), op.f64Add, op.get(XX), op.f64x2Lane(1), op.f64Add, op.set(G),
    step(PV, 16), step(PD, 16),
    op.br(0),
    op.end, op.end,
    op.block, op.loop,
    op.get(PV), op.get(J), op.geU, op.brIf(1),
    op.get(PV), op.f64Load, op.get(PD), op.f64Load, op.f64Mul, op.get(G), op.f64Add, op.set(G),
    step(PV, 8), step(PD, 8),
    op.br(0),
    op.end, op.end,
    op.get(G), op.get(X), op.f64Div, op.tee(G), op.f64x2Splat, op.set(GG),
    // x_m −= g v[i+1][m]
    op.get(ROW), op.set(PV),
    op.get(E), op.get(N), op.i32(3), op.shl, op.add, op.set(PD),
    op.block, op.loop,
    op.get(PV), op.i32(16), op.add, op.get(J), op.i32(1), op.add, op.geU, op.brIf(1),
    op.get(PD), op.get(PD), op.v128Load, op.get(GG), op.get(PV), op.v128Load, op.f64x2Mul, op.f64x2Sub, op.v128Store,
    step(PV, 16), step(PD, 16),
    op.br(0),
    op.end, op.end,
    op.block, op.loop,
    op.get(PV), op.get(J), op.geU, op.brIf(1),
    op.get(PD), op.get(PD), op.f64Load, op.get(G), op.get(PV), op.f64Load, op.f64Mul, op.f64Sub, op.f64Store,
    step(PV, 8), step(PD, 8),
    op.br(0),
    op.end, op.end,
    op.end, // if
    op.get(I), op.i32(1), op.add, op.set(I),
    op.br(0),
    op.end,
    op.end);
  return { name: 'b', params: [I32], locals: [I32, ...LOCALS], body };
}

/** Math.hypot, imported for the squares that would over- or underflow. */
const HYPOT: WasmImport = { name: 'h', params: [F64, F64], results: [F64] };

/**
 * tql1: the JavaScript `diagonalize` of analysis/efa/symmetric_eigen.ts without eigenvectors,
 * operation for operation (its `hypot`: √(a² + b²) when the sum of squares is within
 * (1e−290, 1e290), else Math.hypot).
 */
function qlFunction(): WasmFunction {
  // parameter 0 n; i32 locals 1 D, 2 E, 3 l, 4 m, 5 i; f64 locals 6 f, 7 tst1, 8 g, 9 p, 10 r, 11 h, 12 c, 13 c2, 14 c3,
  // 15 s, 16 s2, 17 el1, 18 dl1, 19 t, 20 a, 21 b
  const [n, dBase, eBase, l, m, i] = [0, 1, 2, 3, 4, 5];
  const [f, tst1, g, p, r, h, c, c2, c3, s, s2, el1, dl1, t, a, b] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const get = op.get;
  const set = op.set;
  const load = loadElement;
  const store = storeElement;
  const plus = plusConst;
  const eps = op.f64Const(2 ** -52);
  // √(x² + y²) of the codes x and y (each evaluated once), left on the stack
  const hypot = (x: number[], y: number[]) => cat(
    x, set(a), y, set(b),
    get(a), get(a), op.f64Mul, get(b), get(b), op.f64Mul, op.f64Add, op.tee(t),
    op.f64Const(1e-290), op.f64Gt, get(t), op.f64Const(1e290), op.f64Lt, op.and,
    op.ifF64, get(t), op.f64Sqrt, op.else, get(a), get(b), op.call(0), op.end);
  const body = cat(
    get(n), get(n), op.mul, op.i32(3), op.shl, op.tee(dBase), get(n), op.i32(3), op.shl, op.add, set(eBase),
    // e[i − 1] = e[i] for i = 1 … n − 1; e[n − 1] = 0
    op.i32(1), set(i),
    op.block, op.loop,
    get(i), get(n), op.geU, op.brIf(1),
    store(eBase, plus(i, -1), load(eBase, get(i))),
    get(i), op.i32(1), op.add, set(i),
    op.br(0),
    op.end, op.end,
    store(eBase, plus(n, -1), op.f64Zero),
    op.f64Zero, set(f), op.f64Zero, set(tst1),
    op.i32(0), set(l),
    op.block, op.loop, // over l
    get(l), get(n), op.geU, op.brIf(1),
    get(tst1), load(dBase, get(l)), op.f64Abs, load(eBase, get(l)), op.f64Abs, op.f64Add, op.f64Max, set(tst1),
    // m: the first index from l with |e[m]| ≤ ε tst1
    get(l), set(m),
    op.block, op.loop,
    get(m), get(n), op.geU, op.brIf(1),
    load(eBase, get(m)), op.f64Abs, eps, get(tst1), op.f64Mul, op.f64Le, op.brIf(1),
    get(m), op.i32(1), op.add, set(m),
    op.br(0),
    op.end, op.end,
    get(l), get(m), op.ltU, op.ifThen,
    op.loop, // until |e[l]| ≤ ε tst1
    load(dBase, get(l)), set(g),
    load(dBase, plus(l, 1)), get(g), op.f64Sub, op.f64Const(2), load(eBase, get(l)), op.f64Mul, op.f64Div, set(p),
    hypot(get(p), op.f64Const(1)), set(r),
    get(p), op.f64Zero, op.f64Lt, op.ifThen, get(r), op.f64Neg, set(r), op.end,
    store(dBase, get(l), cat(load(eBase, get(l)), get(p), get(r), op.f64Add, op.f64Div)),
    store(dBase, plus(l, 1), cat(load(eBase, get(l)), get(p), get(r), op.f64Add, op.f64Mul)),
    load(dBase, plus(l, 1)), set(dl1),
    get(g), load(dBase, get(l)), op.f64Sub, set(h),
    // d[i] −= h for i = l + 2 … n − 1
    plus(l, 2), set(i),
    op.block, op.loop,
    get(i), get(n), op.geU, op.brIf(1),
    store(dBase, get(i), cat(load(dBase, get(i)), get(h), op.f64Sub)),
    get(i), op.i32(1), op.add, set(i),
    op.br(0),
    op.end, op.end,
    get(f), get(h), op.f64Add, set(f),
    load(dBase, get(m)), set(p),
    op.f64Const(1), set(c), op.f64Const(1), set(c2), op.f64Const(1), set(c3),
    load(eBase, plus(l, 1)), set(el1),
    op.f64Zero, set(s), op.f64Zero, set(s2),
    // i = m − 1 down to l
    plus(m, -1), set(i),
    op.block, op.loop,
    get(i), get(l), op.ltS, op.brIf(1),
    get(c2), set(c3), get(c), set(c2), get(s), set(s2),
    get(c), load(eBase, get(i)), op.f64Mul, set(g),
    get(c), get(p), op.f64Mul, set(h),
    hypot(get(p), load(eBase, get(i))), set(r),
    store(eBase, plus(i, 1), cat(get(s), get(r), op.f64Mul)),
    load(eBase, get(i)), get(r), op.f64Div, set(s),
    get(p), get(r), op.f64Div, set(c),
    get(c), load(dBase, get(i)), op.f64Mul, get(s), get(g), op.f64Mul, op.f64Sub, set(p),
    store(dBase, plus(i, 1), cat(
      get(h), get(s), get(c), get(g), op.f64Mul, get(s), load(dBase, get(i)), op.f64Mul, op.f64Add, op.f64Mul, op.f64Add)),
    get(i), op.i32(1), op.sub, set(i),
    op.br(0),
    op.end, op.end,
    get(s), op.f64Neg, get(s2), op.f64Mul, get(c3), op.f64Mul, get(el1), op.f64Mul, load(eBase, get(l)), op.f64Mul, get(dl1), op.f64Div, set(p),
    store(eBase, get(l), cat(get(s), get(p), op.f64Mul)),
    store(dBase, get(l), cat(get(c), get(p), op.f64Mul)),
    load(eBase, get(l)), op.f64Abs, eps, get(tst1), op.f64Mul, op.f64Gt, op.brIf(0),
    op.end, // loop
    op.end, // if m > l
    store(dBase, get(l), cat(load(dBase, get(l)), get(f), op.f64Add)),
    store(eBase, get(l), op.f64Zero),
    get(l), op.i32(1), op.add, set(l),
    op.br(0),
    op.end, op.end);
  return { name: 'q', params: [I32], locals: [I32, I32, I32, I32, I32, ...new Array<number>(16).fill(F64)], body };
}

/**
 * The reduction loop of `tridiagonalize` (analysis/efa/symmetric_eigen.ts) for wantVectors = false with
 * the reflector scales kept, calling `reflect` (function 1) and `update` (function 2) as the JavaScript does.
 */
function reduceFunction(): WasmFunction {
  // parameter 0 n; i32 locals 1 D, 2 E, 3 i, 4 j, 5 H (address of h); f64 locals 6 scale, 7 h, 8 f, 9 g, 10 hh
  const [n, dBase, eBase, i, j, hBase] = [0, 1, 2, 3, 4, 5];
  const [scale, h, f, g, hh] = [6, 7, 8, 9, 10];
  const get = op.get;
  const set = op.set;
  const load = loadElement;
  const store = storeElement;
  const plus = plusConst;
  /** address of v[row * n + col] */
  const vAt = (row: number[], col: number[]) => cat(row, get(n), op.mul, col, op.add, op.i32(3), op.shl);
  /** for (local = 0; local < limit; local++) body */
  const upTo = (local: number, limit: number[], body: number[]) => cat(
    op.i32(0), set(local),
    op.block, op.loop,
    get(local), limit, op.geS, op.brIf(1),
    body,
    get(local), op.i32(1), op.add, set(local),
    op.br(0),
    op.end, op.end);
  const body = cat(
    get(n), get(n), op.mul, op.i32(3), op.shl, op.tee(dBase), get(n), op.i32(3), op.shl, op.add, op.tee(eBase),
    get(n), op.i32(4), op.shl, op.add, set(hBase),
    // d[j] = v[j][n − 1]
    upTo(j, get(n), store(dBase, get(j), cat(vAt(get(j), plus(n, -1)), op.f64Load))),
    plus(n, -1), set(i),
    op.block, op.loop, // i = n − 1 down to 1
    get(i), op.i32(1), op.ltS, op.brIf(1),
    op.f64Zero, set(scale), op.f64Zero, set(h),
    upTo(j, get(i), cat(get(scale), load(dBase, get(j)), op.f64Abs, op.f64Add, set(scale))),
    get(scale), op.f64Zero, op.f64Eq, op.ifThen,
    store(eBase, get(i), load(dBase, plus(i, -1))),
    upTo(j, get(i), cat(
      store(dBase, get(j), cat(vAt(get(j), plus(i, -1)), op.f64Load)),
      vAt(get(j), get(i)), op.f64Zero, op.f64Store,
      vAt(get(i), get(j)), op.f64Zero, op.f64Store)),
    op.else,
    upTo(j, get(i), cat(
      store(dBase, get(j), cat(load(dBase, get(j)), get(scale), op.f64Div)),
      get(h), load(dBase, get(j)), load(dBase, get(j)), op.f64Mul, op.f64Add, set(h))),
    load(dBase, plus(i, -1)), set(f),
    get(h), op.f64Sqrt, set(g),
    get(f), op.f64Zero, op.f64Gt, op.ifThen, get(g), op.f64Neg, set(g), op.end,
    store(eBase, get(i), cat(get(scale), get(g), op.f64Mul)),
    get(h), get(f), get(g), op.f64Mul, op.f64Sub, set(h),
    store(dBase, plus(i, -1), cat(get(f), get(g), op.f64Sub)),
    upTo(j, get(i), store(eBase, get(j), op.f64Zero)),
    get(n), get(i), op.call(1),
    op.f64Zero, set(f),
    upTo(j, get(i), cat(
      store(eBase, get(j), cat(load(eBase, get(j)), get(h), op.f64Div)),
      get(f), load(eBase, get(j)), load(dBase, get(j)), op.f64Mul, op.f64Add, set(f))),
    get(f), get(h), get(h), op.f64Add, op.f64Div, set(hh),
    upTo(j, get(i), store(eBase, get(j), cat(load(eBase, get(j)), get(hh), load(dBase, get(j)), op.f64Mul, op.f64Sub))),
    get(n), get(i), op.call(2),
    op.end, // if scale = 0
    store(dBase, get(i), get(h)),
    get(i), op.i32(1), op.sub, set(i),
    op.br(0),
    op.end, op.end,
    // i < n − 1: v[i][n − 1] = v[i][i]; v[i][i] = 1; h_i = d[i + 1]
    upTo(i, plus(n, -1), cat(
      vAt(get(i), plus(n, -1)), vAt(get(i), get(i)), op.f64Load, op.f64Store,
      vAt(get(i), get(i)), op.f64Const(1), op.f64Store,
      store(hBase, get(i), load(dBase, plus(i, 1))))),
    // d[j] = v[j][n − 1]; v[j][n − 1] = 0
    upTo(j, get(n), cat(
      store(dBase, get(j), cat(vAt(get(j), plus(n, -1)), op.f64Load)),
      vAt(get(j), plus(n, -1)), op.f64Zero, op.f64Store)),
    vAt(plus(n, -1), plus(n, -1)), op.f64Const(1), op.f64Store,
    store(eBase, op.i32(0), op.f64Zero));
  return { name: 't', params: [I32], locals: [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64], body };
}

/**
 * The inverse iteration of `symmetricEigenTop` (analysis/efa/symmetric_eigen.ts) in the order of its
 * JavaScript: per vector j, the LU factorisation with partial pivoting of T − λ_j I, four solves from
 * the start vector, each followed by Gram–Schmidt against the vectors found before it in its cluster
 * and normalisation, then the back-transformation (`backTransform`, function 3).
 */
function inverseIterationFunction(): WasmFunction {
  // parameters 0 n, 1 k, 2 norm, 3 tiny; i32 locals 4 j, 5 i, 6 c, 7 cs (cluster start), 8 it, 9 top, 10 X;
  // f64 locals 11 mu, 12 f, 13 t, 14 dot, 15 ss, 16 inv
  const [n, k, norm, tiny, j, i, c, cs, it, top, xBase] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [mu, f, t, dot, ss, inv] = [11, 12, 13, 14, 15, 16];
  const get = op.get;
  const set = op.set;
  /** address of element `index` of the array that starts `slot`·8n bytes after `top` */
  const slotAt = (slot: number, index: number[]) => cat(get(top), get(n), op.i32(slot * 8), op.mul, op.add, index, op.i32(3), op.shl, op.add);
  const [DIAG, OFF, VAL, SUB, DIA, SUP, SUP2, SW] = [0, 1, 2, 3, 4, 5, 6, 7];
  const ld = (slot: number, index: number[]) => cat(slotAt(slot, index), op.f64Load);
  const st = (slot: number, index: number[], value: number[]) => cat(slotAt(slot, index), value, op.f64Store);
  const x = (index: number[]) => cat(get(xBase), index, op.i32(3), op.shl, op.add);
  const lx = (index: number[]) => cat(x(index), op.f64Load);
  const sx = (index: number[], value: number[]) => cat(x(index), value, op.f64Store);
  // start, found, vectors: n·k each from top + 64n
  const startAt = (index: number[]) => slotAt(8, index);
  const foundAt = (index: number[]) => cat(slotAt(8, index), get(n), get(k), op.mul, op.i32(3), op.shl, op.add);
  const vectorAt = (index: number[]) => cat(slotAt(8, index), get(n), get(k), op.mul, op.i32(4), op.shl, op.add);
  const plus = plusConst;
  /** for (local = from; local < limit; local++) body (signed) */
  const forUp = (local: number, from: number[], limit: number[], body: number[]) => countedLoop(local, from, limit, body, op.geS);
  const jn = cat(get(j), get(n), op.mul);
  const body = cat(
    get(n), get(n), op.mul, get(n), op.i32(4), op.mul, op.add, op.i32(3), op.shl, set(top),
    get(n), get(n), op.mul, get(n), op.i32(2), op.mul, op.add, op.i32(3), op.shl, set(xBase),
    op.i32(0), set(cs),
    forUp(j, op.i32(0), get(k), cat(
      ld(VAL, get(j)), set(mu),
      get(j), op.i32(0), op.gtS, op.ifThen,
      ld(VAL, plus(j, -1)), get(mu), op.f64Sub, op.f64Abs, op.f64Const(1e-3), get(norm), op.f64Mul, op.f64Gt, op.ifThen,
      get(j), set(cs),
      op.end, op.end,
      // T − μI, its sub- and super-diagonals
      forUp(i, op.i32(0), get(n), cat(
        st(DIA, get(i), cat(ld(DIAG, get(i)), get(mu), op.f64Sub)),
        plus(i, 1), get(n), op.ltS, op.ifF64, ld(OFF, plus(i, 1)), op.else, op.f64Zero, op.end, set(t),
        st(SUB, get(i), get(t)),
        st(SUP, get(i), get(t)),
        st(SUP2, get(i), op.f64Zero))),
      forUp(i, op.i32(0), plus(n, -1), cat(
        ld(DIA, get(i)), op.f64Abs, ld(SUB, get(i)), op.f64Abs, op.f64Ge, op.ifThen,
        st(SW, get(i), op.f64Zero),
        ld(DIA, get(i)), op.f64Zero, op.f64Eq, op.ifThen, st(DIA, get(i), get(tiny)), op.end,
        ld(SUB, get(i)), ld(DIA, get(i)), op.f64Div, set(f),
        st(SUB, get(i), get(f)),
        st(DIA, plus(i, 1), cat(ld(DIA, plus(i, 1)), get(f), ld(SUP, get(i)), op.f64Mul, op.f64Sub)),
        op.else,
        st(SW, get(i), op.f64Const(1)),
        ld(DIA, get(i)), ld(SUB, get(i)), op.f64Div, set(f),
        st(DIA, get(i), ld(SUB, get(i))),
        st(SUB, get(i), get(f)),
        ld(SUP, get(i)), set(t),
        st(SUP, get(i), ld(DIA, plus(i, 1))),
        st(DIA, plus(i, 1), cat(get(t), get(f), ld(DIA, plus(i, 1)), op.f64Mul, op.f64Sub)),
        get(i), plus(n, -2), op.ltS, op.ifThen,
        st(SUP2, get(i), ld(SUP, plus(i, 1))),
        st(SUP, plus(i, 1), cat(get(f), op.f64Neg, ld(SUP, plus(i, 1)), op.f64Mul)),
        op.end,
        op.end)),
      ld(DIA, plus(n, -1)), op.f64Zero, op.f64Eq, op.ifThen, st(DIA, plus(n, -1), get(tiny)), op.end,
      forUp(i, op.i32(0), get(n), sx(get(i), cat(startAt(cat(jn, get(i), op.add)), op.f64Load))),
      forUp(it, op.i32(0), op.i32(4), cat(
        forUp(i, op.i32(0), plus(n, -1), cat(
          ld(SW, get(i)), op.f64Zero, op.f64Ne, op.ifThen,
          lx(get(i)), set(t),
          sx(get(i), lx(plus(i, 1))),
          sx(plus(i, 1), cat(get(t), ld(SUB, get(i)), lx(get(i)), op.f64Mul, op.f64Sub)),
          op.else,
          sx(plus(i, 1), cat(lx(plus(i, 1)), ld(SUB, get(i)), lx(get(i)), op.f64Mul, op.f64Sub)),
          op.end)),
        sx(plus(n, -1), cat(lx(plus(n, -1)), ld(DIA, plus(n, -1)), op.f64Div)),
        get(n), op.i32(1), op.gtS, op.ifThen,
        sx(plus(n, -2), cat(lx(plus(n, -2)), ld(SUP, plus(n, -2)), lx(plus(n, -1)), op.f64Mul, op.f64Sub, ld(DIA, plus(n, -2)), op.f64Div)),
        op.end,
        plus(n, -3), set(i),
        op.block, op.loop,
        get(i), op.i32(0), op.ltS, op.brIf(1),
        sx(get(i), cat(
          lx(get(i)), ld(SUP, get(i)), lx(plus(i, 1)), op.f64Mul, op.f64Sub,
          ld(SUP2, get(i)), lx(plus(i, 2)), op.f64Mul, op.f64Sub,
          ld(DIA, get(i)), op.f64Div)),
        get(i), op.i32(1), op.sub, set(i),
        op.br(0),
        op.end, op.end,
        forUp(c, get(cs), get(j), cat(
          op.f64Zero, set(dot),
          forUp(i, op.i32(0), get(n), cat(get(dot), lx(get(i)), foundAt(cat(get(c), get(n), op.mul, get(i), op.add)), op.f64Load, op.f64Mul, op.f64Add, set(dot))),
          forUp(i, op.i32(0), get(n), sx(get(i), cat(lx(get(i)), get(dot), foundAt(cat(get(c), get(n), op.mul, get(i), op.add)), op.f64Load, op.f64Mul, op.f64Sub))))),
        op.f64Zero, set(ss),
        forUp(i, op.i32(0), get(n), cat(get(ss), lx(get(i)), lx(get(i)), op.f64Mul, op.f64Add, set(ss))),
        op.f64Const(1), get(ss), op.f64Sqrt, op.f64Div, set(inv),
        get(inv), get(inv), op.f64Sub, op.f64Zero, op.f64Eq, op.ifThen,
        forUp(i, op.i32(0), get(n), sx(get(i), cat(lx(get(i)), get(inv), op.f64Mul))),
        op.else,
        op.f64Const(1), get(n), op.f64FromI32, op.f64Sqrt, op.f64Div, set(t),
        forUp(i, op.i32(0), get(n), sx(get(i), get(t))),
        op.end)),
      forUp(i, op.i32(0), get(n), cat(foundAt(cat(jn, get(i), op.add)), lx(get(i)), op.f64Store)),
      get(n), op.call(3),
      forUp(i, op.i32(0), get(n), cat(vectorAt(cat(get(i), get(k), op.mul, get(j), op.add)), lx(get(i)), op.f64Store)))));
  return { name: 'v', params: [I32, I32, F64, F64], locals: [I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64], body };
}

/** {@link HouseholderKernel.scale}: v (at address 0) = D A D from A's lower triangle. */
function scaleFunction(): WasmFunction {
  // parameters 0 n, 1 input (address of A), 2 factors (of f); i32 locals 3 i, 4 j, 5 row i (8 i n),
  // 6 address of v[j][i]; f64 locals 7 f_i, 8 the entry
  const [n, input, factors, i, j, row, column, fi, entry] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const times8 = (local: number) => cat(op.get(local), op.i32(3), op.shl);
  const body = countedLoop(i, op.i32(0), op.get(n), cat(
    op.get(i), op.get(n), op.mul, op.i32(3), op.shl, op.set(row),
    op.get(factors), times8(i), op.add, op.f64Load, op.set(fi),
    times8(i), op.set(column),
    countedLoop(j, op.i32(0), cat(op.get(i), op.i32(1), op.add), cat(
      // (a[i][j] f_i) f_j
      op.get(input), op.get(row), op.add, times8(j), op.add, op.f64Load, op.get(fi), op.f64Mul,
      op.get(factors), times8(j), op.add, op.f64Load, op.f64Mul, op.set(entry),
      op.get(row), times8(j), op.add, op.get(entry), op.f64Store,
      op.get(column), op.get(entry), op.f64Store,
      op.get(column), times8(n), op.add, op.set(column),
    )),
  ));
  return { name: 's', params: [I32, I32, I32], locals: [I32, I32, I32, I32, F64, F64], body };
}
