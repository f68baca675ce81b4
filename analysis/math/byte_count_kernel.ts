import { kernelModule } from './kernel_modules.js';
import { instantiate, moduleBytes, op, I32, V128, type WasmFunction, type WasmMemory, type WasmModule } from './wasm_assembly.js';

/**
 * Counts the occurrences of one byte value in a buffer (a file's line feeds, before a reader
 * allocates its columns), 16 bytes per step with WebAssembly's 128-bit SIMD: `i8x16.eq` marks the
 * matching lanes, and two pairwise widening additions fold the marks into four 32-bit counts. A
 * command-line reader calls it on each 1 MB piece of a file it has just read into the kernel's own
 * memory, so nothing is copied; the JavaScript alternatives cost a call into the runtime per line
 * (`Buffer#indexOf`) or wait for V8 to optimise a byte loop (≈ 10–15 ms for 20,000 lines, cold).
 */
export interface ByteCounter {
  /** The kernel's buffer of `capacity` bytes (read a piece into it, then call `count`). */
  readonly buffer: Uint8Array;
  /** Bytes equal to `value` among the buffer's first `length`. */
  count(length: number, value: number): number;
}

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function byteCountModuleBytes(): Uint8Array {
  return moduleBytes([countFunction()]);
}

let compiled: WasmModule | null | undefined;
let instance: { memory: WasmMemory; capacity: number; counter: ByteCounter } | undefined;

/** A counter whose buffer holds at least `capacity` bytes, or null where WebAssembly (with SIMD) is missing. */
export function byteCounter(capacity: number): ByteCounter | null {
  if (compiled === undefined) compiled = kernelModule('byteCount');
  if (compiled === null) return null;
  if (instance === undefined || instance.capacity < capacity) {
    const { memory, exports } = instantiate(compiled, capacity + 16);
    const count = exports.c as (length: number, value: number, out: number) => void;
    const buffer = new Uint8Array(memory.buffer, 0, capacity);
    const result = new Int32Array(memory.buffer, (capacity + 3) & ~3, 1);
    instance = {
      memory,
      capacity,
      counter: {
        buffer,
        count(length, value) {
          count(length, value, result.byteOffset);
          return result[0];
        },
      },
    };
  }
  return instance.counter;
}

/** c(length, value, out): the number of bytes equal to `value` in [0, length), stored as an i32 at `out`. */
function countFunction(): WasmFunction {
  // parameters 0 length, 1 value, 2 out; i32 locals 3 i, 4 end of the whole vectors, 5 tail count; v128 locals 6 needle, 7 counts, 8 one
  const [LENGTH, VALUE, OUT, I, END, TAIL, NEEDLE, COUNTS, ONE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const body = [
    ...op.get(VALUE), ...op.i8x16Splat, ...op.set(NEEDLE),
    ...op.i32(1), ...op.i8x16Splat, ...op.set(ONE),
    ...op.v128Zero, ...op.set(COUNTS),
    ...op.get(LENGTH), ...op.i32(-16), ...op.and, ...op.set(END),
    ...op.i32(0), ...op.set(I),
    // 16 bytes at a time: counts += pairwise(pairwise(eq(bytes, needle) & 1))
    ...op.block, ...op.loop,
    ...op.get(I), ...op.get(END), ...op.geU, ...op.brIf(1),
    ...op.get(COUNTS),
    ...op.get(I), ...op.v128Load, ...op.get(NEEDLE), ...op.i8x16Eq, ...op.get(ONE), ...op.v128And,
    ...op.i16x8ExtaddPairwiseU, ...op.extaddPairwiseU, ...op.i32x4Add, ...op.set(COUNTS),
    ...op.get(I), ...op.i32(16), ...op.add, ...op.set(I),
    ...op.br(0),
    ...op.end, ...op.end,
    // the last length mod 16 bytes one by one
    ...op.i32(0), ...op.set(TAIL),
    ...op.block, ...op.loop,
    ...op.get(I), ...op.get(LENGTH), ...op.geU, ...op.brIf(1),
    ...op.get(TAIL), ...op.get(I), ...op.load8U, ...op.get(VALUE), ...op.eq, ...op.add, ...op.set(TAIL),
    ...op.get(I), ...op.i32(1), ...op.add, ...op.set(I),
    ...op.br(0),
    ...op.end, ...op.end,
    ...op.get(OUT),
    ...op.get(COUNTS), ...op.lane(0), ...op.get(COUNTS), ...op.lane(1), ...op.add, ...op.get(COUNTS), ...op.lane(2), ...op.add, ...op.get(COUNTS), ...op.lane(3), ...op.add,
    ...op.get(TAIL), ...op.add,
    ...op.store,
  ];
  return { name: 'c', params: [I32, I32, I32], locals: [I32, I32, I32, V128, V128, V128], body };
}
