import { cat, countedLoop, instantiate, moduleBytes, op, F64, I32, type WasmFunction, type WasmMemory, type WasmModule } from './wasm_assembly.js';
import { kernelModule } from './kernel_modules.js';

/**
 * The loops of one step of the oblique gradient-projection rotation with the oblimin family of
 * criteria (analysis/efa/rotate_oblique.ts: Jennrich, 2002, doi:10.1007/BF02294704) as
 * WebAssembly: the pattern L = A (T⁻¹)′, the criterion and its gradient, the gradient with
 * respect to T, and the inverse of the k × k matrix T. A command-line run rotates once, a few
 * dozen steps: in JavaScript those loops ran almost entirely before V8 had optimised them
 * (≈ 60 ms of a cold process for 2–10 ms of arithmetic, at any number of items); compiled
 * ahead of use they take the arithmetic's time. Each loop performs the JavaScript loop's
 * operations in its order (WebAssembly's f64 arithmetic is IEEE 754 without fused
 * multiply-adds), so the results are the same to the last bit.
 *
 * Every function takes the byte addresses of its matrices (row-major doubles) in the kernel's
 * memory, so the caller keeps its arrays there ({@link ObliqueRotationKernel.workspace}) and
 * swaps them as the JavaScript does.
 */
export interface ObliqueRotationKernel {
  /** `count` arrays of `size` doubles each, one after another in the kernel's memory (valid until the next call). */
  workspace(sizes: readonly number[]): Float64Array[];
  /** out = A (T⁻¹)′ for A p × k, T⁻¹ k × k: out_ij = Σ_m A_im (T⁻¹)_jm. */
  pattern(a: Float64Array, tInv: Float64Array, out: Float64Array, p: number, k: number): void;
  /**
   * The oblimin criterion of L (p × k) with parameter γ: X = (I − γ/p 11′)(L∘L)N (N = 11′ − I),
   * Q = ¼ Σ L∘L∘X, gradient L∘X into `gradient`; returns Q (GPArotation's vgQ.oblimin).
   */
  oblimin(l: Float64Array, gradient: Float64Array, p: number, k: number, gamma: number): number;
  /** out = −(L′ Gq T⁻¹)′ (k × k; `lg` k × k scratch for L′Gq). */
  gradientT(l: Float64Array, gq: Float64Array, tInv: Float64Array, lg: Float64Array, out: Float64Array, p: number, k: number): void;
  /**
   * The inverse of the k × k matrix `t` by Gauss-Jordan elimination with partial pivoting into
   * `out` (`scratch` k × k), as analysis/sem/dense.ts's `inverse`; false (out then undefined) when
   * a pivot is below 1e-300 in absolute value.
   */
  inverse(t: Float64Array, scratch: Float64Array, out: Float64Array, k: number): boolean;
  /**
   * The gradient projected on the tangent space: Gp = G − T diag(1′(T ∘ G)) into `gp` (`cs` k
   * scratch for the column sums); returns ‖Gp‖², summed row by row.
   */
  projectedGradient(t: Float64Array, g: Float64Array, gp: Float64Array, cs: Float64Array, k: number): number;
  /** The step T − α Gp with its columns scaled to unit length into `out` (`norms` k scratch). */
  step(t: Float64Array, gp: Float64Array, alpha: number, out: Float64Array, norms: Float64Array, k: number): void;
}

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function obliqueRotationModuleBytes(): Uint8Array {
  return moduleBytes([patternFunction(), obliminFunction(), gradientFunction(), inverseFunction(), projectedGradientFunction(), stepFunction()]);
}

let compiled: WasmModule | null | undefined;
let instance: { memory: WasmMemory; kernel: ObliqueRotationKernel } | undefined;

/** The kernel, or null where WebAssembly is missing: the JavaScript loops do the work. */
export function obliqueRotationKernel(): ObliqueRotationKernel | null {
  if (compiled === undefined) compiled = kernelModule('obliqueRotation');
  if (compiled === null) return null;
  if (instance === undefined) {
    const { memory, exports } = instantiate(compiled, 8 * (5 * 270 * 9 + 8 * 81 + 8));
    const pattern = exports.p as (a: number, t: number, out: number, p: number, k: number) => void;
    const oblimin = exports.o as (l: number, x: number, p: number, k: number, f: number, gamma: number) => void;
    const gradient = exports.g as (l: number, gq: number, t: number, out: number, lg: number, p: number, k: number) => void;
    const inverse = exports.i as (t: number, m: number, out: number, k: number, ok: number) => void;
    const project = exports.d as (t: number, g: number, gp: number, cs: number, k: number, f: number) => void;
    const step = exports.s as (t: number, gp: number, out: number, norms: number, k: number, alpha: number) => void;
    let result = new Float64Array(memory.buffer, 0, 1);
    instance = {
      memory,
      kernel: {
        workspace(sizes) {
          // address 0 holds a result; each array starts on a 16-byte boundary
          const offsets: number[] = [];
          let at = 16;
          for (const n of sizes) {
            offsets.push(at);
            at += 8 * n + (n % 2 === 1 ? 8 : 0);
          }
          if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
          result = new Float64Array(memory.buffer, 0, 1);
          return sizes.map((n, i) => new Float64Array(memory.buffer, offsets[i], n));
        },
        pattern: (a, t, out, p, k) => pattern(a.byteOffset, t.byteOffset, out.byteOffset, p, k),
        oblimin(l, x, p, k, gamma) {
          oblimin(l.byteOffset, x.byteOffset, p, k, 0, gamma);
          return result[0];
        },
        gradientT: (l, gq, t, lg, out, p, k) => gradient(l.byteOffset, gq.byteOffset, t.byteOffset, out.byteOffset, lg.byteOffset, p, k),
        inverse(t, scratch, out, k) {
          inverse(t.byteOffset, scratch.byteOffset, out.byteOffset, k, 0);
          return result[0] === 1;
        },
        projectedGradient(t, g, gp, cs, k) {
          project(t.byteOffset, g.byteOffset, gp.byteOffset, cs.byteOffset, k, 0);
          return result[0];
        },
        step: (t, gp, alpha, out, norms, k) => step(t.byteOffset, gp.byteOffset, out.byteOffset, norms.byteOffset, k, alpha),
      },
    };
  }
  return instance.kernel;
}

const get = op.get;
const set = op.set;
const F64_CONVERT_I32 = [0xb7];
const F64_NE = [0x62];
const RETURN = [0x0f];

/** for (counter = from; counter < to; counter++) body, `from` and `to` as code leaving an i32. */
const forRange = (counter: number, from: number[], to: number[], body: number[]) => countedLoop(counter, from, to, body);
/** The address of cell (row, col) of the matrix at `base` with `stride` columns (locals all). */
const at = (base: number, row: number, col: number, stride: number) => cat(
  get(row), get(stride), op.mul, get(col), op.add, op.i32(3), op.shl, get(base), op.add);
/** The address of element `index` (a local) of the array at `base`. */
const element = (base: number, index: number) => cat(get(index), op.i32(3), op.shl, get(base), op.add);
const load = (address: number[]) => cat(address, op.f64Load);

function patternFunction(): WasmFunction {
  // params 0 A, 1 T⁻¹, 2 OUT, 3 p, 4 k; locals 5 i, 6 j, 7 m (i32), 8 s (f64)
  const [A, TI, OUT, P, K, I, J, M, S] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const body = forRange(I, op.i32(0), get(P), cat(
    forRange(J, op.i32(0), get(K), cat(
      op.f64Zero, set(S),
      forRange(M, op.i32(0), get(K), cat(get(S), load(at(A, I, M, K)), load(at(TI, J, M, K)), op.f64Mul, op.f64Add, set(S))),
      at(OUT, I, J, K), get(S), op.f64Store))));
  return { name: 'p', params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, F64], body };
}

function obliminFunction(): WasmFunction {
  // params 0 L, 1 X (the gradient), 2 p, 3 k, 4 F (address of the result), 5 γ; locals 6 i, 7 j, 8 q, 9 n (i32), 10 s, 11 v, 12 m, 13 f (f64)
  const [L, X, P, K, F, GAMMA, I, J, Q, N, S, V, M, FF] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const square = (address: number[]) => cat(load(address), op.tee(V), get(V), op.f64Mul);
  const body = [
    // X = (L∘L) N: each entry its row's sum of squares minus its own square
    ...forRange(I, op.i32(0), get(P), cat(
      op.f64Zero, set(S),
      forRange(J, op.i32(0), get(K), cat(get(S), square(at(L, I, J, K)), op.f64Add, set(S))),
      forRange(J, op.i32(0), get(K), cat(at(X, I, J, K), get(S), square(at(L, I, J, K)), op.f64Sub, op.f64Store)))),
    // γ ≠ 0: subtract γ/p times each column's sum
    ...get(GAMMA), ...op.f64Zero, ...F64_NE, ...op.ifThen,
    ...forRange(J, op.i32(0), get(K), cat(
      op.f64Zero, set(M),
      forRange(I, op.i32(0), get(P), cat(get(M), load(at(X, I, J, K)), op.f64Add, set(M))),
      get(M), get(GAMMA), get(P), F64_CONVERT_I32, op.f64Div, op.f64Mul, set(M),
      forRange(I, op.i32(0), get(P), cat(at(X, I, J, K), load(at(X, I, J, K)), get(M), op.f64Sub, op.f64Store)))),
    ...op.end,
    // Q = Σ v·v·x, gradient v·x
    ...op.f64Zero, ...set(FF),
    ...get(P), ...get(K), ...op.mul, ...set(N),
    ...forRange(Q, op.i32(0), get(N), cat(
      load(element(L, Q)), set(V),
      get(FF), get(V), get(V), op.f64Mul, load(element(X, Q)), op.f64Mul, op.f64Add, set(FF),
      element(X, Q), get(V), load(element(X, Q)), op.f64Mul, op.f64Store)),
    ...get(F), ...get(FF), ...op.f64Const(4), ...op.f64Div, ...op.f64Store,
  ];
  return { name: 'o', params: [I32, I32, I32, I32, I32, F64], locals: [I32, I32, I32, I32, F64, F64, F64, F64], body };
}

function gradientFunction(): WasmFunction {
  // params 0 L, 1 Gq, 2 T⁻¹, 3 OUT, 4 LG, 5 p, 6 k; locals 7 i, 8 a, 9 b, 10 n (i32), 11 la, 12 s (f64)
  const [L, GQ, TI, OUT, LG, P, K, I, A, B, N, LA, S] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const body = [
    ...get(K), ...get(K), ...op.mul, ...set(N),
    ...forRange(I, op.i32(0), get(N), cat(element(LG, I), op.f64Zero, op.f64Store)),
    // LG = L′Gq, each row of L in turn
    ...forRange(I, op.i32(0), get(P), cat(
      forRange(A, op.i32(0), get(K), cat(
        load(at(L, I, A, K)), set(LA),
        forRange(B, op.i32(0), get(K), cat(at(LG, A, B, K), load(at(LG, A, B, K)), get(LA), load(at(GQ, I, B, K)), op.f64Mul, op.f64Add, op.f64Store)))))),
    // OUT[r][c] = −Σ_m LG[c][m] T⁻¹[m][r] (A as r, B as c, I as m)
    ...forRange(A, op.i32(0), get(K), cat(
      forRange(B, op.i32(0), get(K), cat(
        op.f64Zero, set(S),
        forRange(I, op.i32(0), get(K), cat(get(S), load(at(LG, B, I, K)), load(at(TI, I, A, K)), op.f64Mul, op.f64Add, set(S))),
        at(OUT, A, B, K), get(S), op.f64Neg, op.f64Store)))),
  ];
  return { name: 'g', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, F64, F64], body };
}

function projectedGradientFunction(): WasmFunction {
  // params 0 T, 1 G, 2 GP, 3 CS, 4 k, 5 F (address of ‖Gp‖²); locals 6 i, 7 j (i32), 8 v, 9 ss (f64)
  const [T, G, GP, CS, K, F, I, J, V, SS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const body = [
    ...forRange(J, op.i32(0), get(K), cat(element(CS, J), op.f64Zero, op.f64Store)),
    // cs_j = Σ_i T_ij G_ij
    ...forRange(I, op.i32(0), get(K), cat(
      forRange(J, op.i32(0), get(K), cat(element(CS, J), load(element(CS, J)), load(at(T, I, J, K)), load(at(G, I, J, K)), op.f64Mul, op.f64Add, op.f64Store)))),
    // Gp_ij = G_ij − T_ij cs_j, ss += Gp_ij²
    ...op.f64Zero, ...set(SS),
    ...forRange(I, op.i32(0), get(K), cat(
      forRange(J, op.i32(0), get(K), cat(
        load(at(G, I, J, K)), load(at(T, I, J, K)), load(element(CS, J)), op.f64Mul, op.f64Sub, set(V),
        at(GP, I, J, K), get(V), op.f64Store,
        get(SS), get(V), get(V), op.f64Mul, op.f64Add, set(SS))))),
    ...get(F), ...get(SS), ...op.f64Store,
  ];
  return { name: 'd', params: [I32, I32, I32, I32, I32, I32], locals: [I32, I32, F64, F64], body };
}

function stepFunction(): WasmFunction {
  // params 0 T, 1 GP, 2 OUT, 3 NORMS, 4 k, 5 α; locals 6 i, 7 j (i32), 8 v (f64)
  const [T, GP, OUT, NORMS, K, ALPHA, I, J, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const body = [
    ...forRange(J, op.i32(0), get(K), cat(element(NORMS, J), op.f64Zero, op.f64Store)),
    // OUT_ij = T_ij − α Gp_ij, norms_j += OUT_ij²
    ...forRange(I, op.i32(0), get(K), cat(
      forRange(J, op.i32(0), get(K), cat(
        load(at(T, I, J, K)), get(ALPHA), load(at(GP, I, J, K)), op.f64Mul, op.f64Sub, set(V),
        at(OUT, I, J, K), get(V), op.f64Store,
        element(NORMS, J), load(element(NORMS, J)), get(V), get(V), op.f64Mul, op.f64Add, op.f64Store)))),
    // OUT_ij /= √norms_j
    ...forRange(I, op.i32(0), get(K), cat(
      forRange(J, op.i32(0), get(K), cat(
        at(OUT, I, J, K), load(at(OUT, I, J, K)), load(element(NORMS, J)), op.f64Sqrt, op.f64Div, op.f64Store)))),
  ];
  return { name: 's', params: [I32, I32, I32, I32, I32, F64], locals: [I32, I32, F64], body };
}

function inverseFunction(): WasmFunction {
  // params 0 T, 1 M (scratch), 2 OUT, 3 n, 4 OK (address of the result); locals 5 c, 6 r, 7 j, 8 piv, 9 q (i32), 10 pv, 11 f, 12 x (f64)
  const [T, M, OUT, N, OK, C, R, J, PIV, Q, PV, F, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const swap = (base: number) => cat(
    load(at(base, C, J, N)), set(X),
    at(base, C, J, N), load(at(base, PIV, J, N)), op.f64Store,
    at(base, PIV, J, N), get(X), op.f64Store);
  const body = [
    ...get(OK), ...op.f64Const(1), ...op.f64Store,
    // M = T, OUT = I
    ...get(N), ...get(N), ...op.mul, ...set(Q),
    ...forRange(J, op.i32(0), get(Q), cat(element(M, J), load(element(T, J)), op.f64Store, element(OUT, J), op.f64Zero, op.f64Store)),
    ...forRange(J, op.i32(0), get(N), cat(at(OUT, J, J, N), op.f64Const(1), op.f64Store)),
    ...forRange(C, op.i32(0), get(N), [
      // the pivot: the first row from c down with the largest |m_rc|
      ...get(C), ...set(PIV),
      ...forRange(R, cat(get(C), op.i32(1), op.add), get(N), cat(
        load(at(M, R, C, N)), op.f64Abs, load(at(M, PIV, C, N)), op.f64Abs, op.f64Gt, op.ifThen, get(R), set(PIV), op.end)),
      ...load(at(M, PIV, C, N)), ...set(PV),
      ...get(PV), ...op.f64Abs, ...op.f64Const(1e-300), ...op.f64Lt, ...op.ifThen, ...get(OK), ...op.f64Zero, ...op.f64Store, ...RETURN, ...op.end,
      ...get(PIV), ...get(C), ...op.sub, ...op.ifThen,
      ...forRange(J, op.i32(0), get(N), cat(swap(M), swap(OUT))),
      ...op.end,
      ...forRange(J, op.i32(0), get(N), cat(
        at(M, C, J, N), load(at(M, C, J, N)), get(PV), op.f64Div, op.f64Store,
        at(OUT, C, J, N), load(at(OUT, C, J, N)), get(PV), op.f64Div, op.f64Store)),
      ...forRange(R, op.i32(0), get(N), cat(
        get(R), get(C), op.sub, op.ifThen,
        load(at(M, R, C, N)), set(F),
        get(F), op.f64Zero, F64_NE, op.ifThen,
        forRange(J, op.i32(0), get(N), cat(
          at(M, R, J, N), load(at(M, R, J, N)), get(F), load(at(M, C, J, N)), op.f64Mul, op.f64Sub, op.f64Store,
          at(OUT, R, J, N), load(at(OUT, R, J, N)), get(F), load(at(OUT, C, J, N)), op.f64Mul, op.f64Sub, op.f64Store)),
        op.end,
        op.end)),
    ]),
  ];
  return { name: 'i', params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, F64, F64, F64], body };
}
