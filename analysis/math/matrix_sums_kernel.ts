import { cat, countedLoop, instantiate, moduleBytes, op, F64, I32, type WasmFunction, type WasmMemory, type WasmModule } from './wasm_assembly.js';
import { kernelModule } from './kernel_modules.js';

/**
 * Sums that an exploratory factor analysis forms once each over a p × p or p × k matrix: the squared
 * off-diagonal residuals of R − ΛΛ′ (the fit's root mean square residual, analysis/efa/factor_fit.ts),
 * the sums of squared correlations and anti-image correlations of KMO
 * (analysis/efa/sampling_adequacy.ts), and the k × k products X′Y of two p × k matrices (the fit's
 * Woodbury terms, the rotated loadings' Λ′Λ). As JavaScript run once, cold, each boxed every double it
 * touched: ≈ 5 and 3 ms at 135 items, against a few hundred µs here. Scalar f64 instructions in the
 * JavaScript loops' order, so the sums are the same to the last bit (WebAssembly's f64 arithmetic
 * is IEEE 754 without fused multiply-adds).
 *
 * Memory, from address 0: R (p × p, row-major), then the second operand (Λ, p × k, or R⁻¹, p × p),
 * then what each function needs after it; {@link MatrixSumsKernel.workspace} gives the views.
 */
export interface MatrixSumsWorkspace {
  /** R, p × p row-major. */
  readonly r: Float64Array;
  /** Λ (p × k) for {@link MatrixSumsKernel.residualSquares}, R⁻¹ (p × p) for {@link MatrixSumsKernel.antiImageSums}. */
  readonly b: Float64Array;
  /** √(R⁻¹)_ii for {@link MatrixSumsKernel.antiImageSums} (empty for k > 0). */
  readonly d: Float64Array;
  /** The results: [Σ e²] or [Σ r², Σ q², Σ_i r_ij² for each j, Σ_i q_ij² for each j]. */
  readonly out: Float64Array;
}

export interface MatrixSumsKernel {
  /** Views of the memory for order p with Λ of k columns (k > 0), or with R⁻¹ and d (k = 0). */
  workspace(p: number, k: number): MatrixSumsWorkspace;
  /**
   * out[0] = Σ_{i ≥ 1} Σ_{j < i} (r_ij − c_ij)², c_ij = Σ_m λ_im λ_jm summed over m in order, the terms
   * added in that order of i and j.
   */
  residualSquares(p: number, k: number): void;
  /**
   * KMO's sums over i and j ≠ i (i, then j, in order): r_ij², and q_ij² for q_ij = (R⁻¹)_ij / (d_i d_j),
   * overall into out[0] and out[1] and by column j into out[2 + j] and out[2 + p + j] (which must be
   * zero on entry).
   */
  antiImageSums(p: number): void;
  /**
   * X′Y for X and Y p × k (row-major, X at address 0, Y after it): out[m·k + q] = Σ_i x_im y_iq, each sum
   * taken over i in order from zero, into the k × k matrix after Y (returned as a copy).
   */
  transposedProduct(x: Float64Array, y: Float64Array, p: number, k: number): Float64Array;
}

/** From this order the sums run in the kernel (below it the JavaScript loops take a few µs). */
export const MATRIX_SUMS_KERNEL_ORDER = 16;

/**
 * Which code forms a sum of this kernel's callers: `auto`, the kernel from {@link MATRIX_SUMS_KERNEL_ORDER}
 * where the engine has WebAssembly, else the caller's JavaScript loop; `javascript` always the loop (for tests
 * that compare the two).
 */
export type MatrixSumsCode = 'auto' | 'javascript';

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function matrixSumsModuleBytes(): Uint8Array {
  return moduleBytes([residualSquaresFunction(), antiImageSumsFunction(), transposedProductFunction()]);
}

let compiled: WasmModule | null | undefined;
let instance: { memory: WasmMemory; kernel: MatrixSumsKernel } | undefined;

/** The kernel, or null where WebAssembly is missing: the JavaScript loops do the work. */
export function matrixSumsKernel(): MatrixSumsKernel | null {
  if (compiled === undefined) compiled = kernelModule('matrixSums');
  if (compiled === null) return null;
  if (instance === undefined) {
    const { memory, exports } = instantiate(compiled, 8 * (2 * 135 * 135 + 4 * 135));
    instance = {
      memory,
      kernel: {
        workspace(p, k) {
          const second = k > 0 ? p * k : p * p;
          const outLength = k > 0 ? 1 : 2 + 2 * p;
          const bytes = 8 * (p * p + second + (k > 0 ? 0 : p) + outLength);
          if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
          const buffer = memory.buffer;
          const dAt = 8 * (p * p + second);
          const outAt = dAt + (k > 0 ? 0 : 8 * p);
          return {
            r: new Float64Array(buffer, 0, p * p),
            b: new Float64Array(buffer, 8 * p * p, second),
            d: new Float64Array(buffer, dAt, k > 0 ? 0 : p),
            out: new Float64Array(buffer, outAt, outLength),
          };
        },
        residualSquares: exports.r as (p: number, k: number) => void,
        antiImageSums: exports.k as (p: number) => void,
        transposedProduct(x, y, p, k) {
          const bytes = 8 * (2 * p * k + k * k);
          if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
          new Float64Array(memory.buffer, 0, p * k).set(x.subarray(0, p * k));
          new Float64Array(memory.buffer, 8 * p * k, p * k).set(y.subarray(0, p * k));
          (exports.t as (p: number, k: number) => void)(p, k);
          return new Float64Array(memory.buffer, 16 * p * k, k * k).slice();
        },
      },
    };
  }
  return instance.kernel;
}

const get = op.get;
/** The address base + 8 · index, `index` code leaving an i32. */
const at = (base: readonly number[], index: readonly number[]) => cat(index, op.i32(3), op.shl, base, op.add);
/** a · b + c as i32 code, each operand code leaving an i32. */
const madd = (a: readonly number[], b: readonly number[], c: readonly number[]) => cat(a, b, op.mul, c, op.add);

/** r(p, k): out = Σ_{i ≥ 1, j < i} (r_ij − Σ_m λ_im λ_jm)², Λ at 8p², out after Λ. */
function residualSquaresFunction(): WasmFunction {
  // parameters 0 p, 1 k; i32 locals 2 i, 3 j, 4 m, 5 Λ's address; f64 locals 6 c, 7 e, 8 sum
  const [p, k, i, j, m, lam, c, e, sum] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const lambda = (row: number) => cat(at(get(lam), madd(get(row), get(k), get(m))), op.f64Load);
  const body = cat(
    get(p), get(p), op.mul, op.i32(3), op.shl, op.set(lam),
    op.f64Zero, op.set(sum),
    countedLoop(i, op.i32(1), get(p), countedLoop(j, op.i32(0), get(i), cat(
      op.f64Zero, op.set(c),
      countedLoop(m, op.i32(0), get(k), cat(get(c), lambda(i), lambda(j), op.f64Mul, op.f64Add, op.set(c))),
      at(op.i32(0), madd(get(i), get(p), get(j))), op.f64Load, get(c), op.f64Sub, op.set(e),
      get(sum), get(e), get(e), op.f64Mul, op.f64Add, op.set(sum),
    ))),
    at(get(lam), cat(get(p), get(k), op.mul)), get(sum), op.f64Store,
  );
  return { name: 'r', params: [I32, I32], locals: [I32, I32, I32, I32, F64, F64, F64], body };
}

/** k(p): KMO's sums, R⁻¹ at 8p², d after it, then [Σ r², Σ q², colR (p), colQ (p)]. */
function antiImageSumsFunction(): WasmFunction {
  // parameter 0 p; i32 locals 1 i, 2 j, 3 Q's address, 4 d's, 5 out's, 6 i·p + j;
  // f64 locals 7 r_ij², 8 q_ij (then its square), 9 Σ r², 10 Σ q²
  const [p, i, j, q, d, out, cellIndex, rr, qq, sumR, sumQ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const addInto = (address: readonly number[], value: number) => cat(address, address, op.f64Load, get(value), op.f64Add, op.f64Store);
  const body = cat(
    get(p), get(p), op.mul, op.i32(3), op.shl, op.tee(q), get(q), op.add, op.tee(d),
    get(p), op.i32(3), op.shl, op.add, op.set(out),
    op.f64Zero, op.set(sumR), op.f64Zero, op.set(sumQ),
    countedLoop(i, op.i32(0), get(p), countedLoop(j, op.i32(0), get(p), cat(
      get(i), get(j), op.ne, op.ifThen,
      madd(get(i), get(p), get(j)), op.set(cellIndex),
      at(op.i32(0), get(cellIndex)), op.f64Load, op.tee(rr), get(rr), op.f64Mul, op.set(rr),
      at(get(q), get(cellIndex)), op.f64Load,
      at(get(d), get(i)), op.f64Load, at(get(d), get(j)), op.f64Load, op.f64Mul, op.f64Div, op.tee(qq), get(qq), op.f64Mul, op.set(qq),
      get(sumR), get(rr), op.f64Add, op.set(sumR),
      get(sumQ), get(qq), op.f64Add, op.set(sumQ),
      addInto(at(get(out), cat(get(j), op.i32(2), op.add)), rr),
      addInto(at(get(out), cat(get(j), get(p), op.add, op.i32(2), op.add)), qq),
      op.end,
    ))),
    get(out), get(sumR), op.f64Store,
    get(out), op.i32(8), op.add, get(sumQ), op.f64Store,
  );
  return { name: 'k', params: [I32], locals: [I32, I32, I32, I32, I32, I32, F64, F64, F64, F64], body };
}

/** t(p, k): out = X′Y (k × k, zeroed first) for X at 0 and Y at 8pk (p × k each), out at 16pk; i outermost, then m, then q. */
function transposedProductFunction(): WasmFunction {
  // parameters 0 p, 1 k; i32 locals 2 i, 3 m, 4 q, 5 Y's address, 6 out's, 7 i·k; f64 local 8 x_im
  const [p, k, i, m, q, y, out, row, xim] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const cell = cat(at(get(out), madd(get(m), get(k), get(q))));
  const body = cat(
    get(p), get(k), op.mul, op.i32(3), op.shl, op.tee(y), get(y), op.add, op.set(out),
    countedLoop(m, op.i32(0), cat(get(k), get(k), op.mul), cat(at(get(out), get(m)), op.f64Zero, op.f64Store)),
    countedLoop(i, op.i32(0), get(p), cat(
      get(i), get(k), op.mul, op.set(row),
      countedLoop(m, op.i32(0), get(k), cat(
        at(op.i32(0), cat(get(row), get(m), op.add)), op.f64Load, op.set(xim),
        countedLoop(q, op.i32(0), get(k), cat(
          cell, cell, op.f64Load, get(xim), at(get(y), cat(get(row), get(q), op.add)), op.f64Load, op.f64Mul, op.f64Add, op.f64Store,
        )),
      )),
    )),
  );
  return { name: 't', params: [I32, I32], locals: [I32, I32, I32, I32, I32, I32, F64], body };
}
