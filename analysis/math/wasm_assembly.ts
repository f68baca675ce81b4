/**
 * A small assembler for the WebAssembly kernels of analysis/math: instruction encodings, LEB128
 * numbers, sections, and a module of functions that share one imported memory (`e.m`). The
 * kernels are written instruction by instruction in TypeScript (no build step, no binary file),
 * compiled on first use, and each has a JavaScript fallback for an engine without WebAssembly
 * (or without its 128-bit SIMD instructions, which a module using them needs).
 *
 * Reference: WebAssembly Core Specification 2.0, chapter 5 (binary format),
 * https://www.w3.org/TR/wasm-core-2/.
 */

/**
 * The part of the WebAssembly JavaScript API used here (the project's TypeScript libraries are
 * ES2023 without the DOM's declarations; Node and every browser provide the object).
 */
export interface WasmModule {
  readonly kind?: 'module';
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}
declare const WebAssembly: WasmApi | undefined;

/** The WebAssembly object, or null where the engine has none. */
export function wasmApi(): WasmApi | null {
  return typeof WebAssembly === 'object' && WebAssembly !== null ? WebAssembly : null;
}

/** Compiles `bytes`, or null where WebAssembly is missing or rejects the module (e.g. no SIMD). */
export function compileModule(bytes: () => Uint8Array): WasmModule | null {
  const api = wasmApi();
  if (api === null) return null;
  try {
    return new api.Module(bytes());
  } catch {
    // an engine without 128-bit SIMD rejects the module: the caller's JavaScript path does the work
    return null;
  }
}

/** A new memory of at least `bytes` bytes and an instance of `module` on it (with the JavaScript functions it imports). */
export function instantiate(module: WasmModule, bytes: number, functions: Record<string, unknown> = {}): { memory: WasmMemory; exports: Record<string, unknown> } {
  const api = wasmApi()!;
  const memory = new api.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  return { memory, exports: new api.Instance(module, { e: { m: memory, ...functions } }).exports };
}

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Instruction encodings (each an array of bytes to spread into a function body). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (l: number) => [0x20, l],
  set: (l: number) => [0x21, l],
  tee: (l: number) => [0x22, l],
  i32: (v: number) => [0x41, ...signedLeb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  ltU: [0x49],
  ltS: [0x48],
  geS: [0x4e],
  gtS: [0x4a],
  and: [0x71],
  or: [0x72],
  eq: [0x46],
  ne: [0x47],
  select: [0x1b],
  ifThen: [0x04, 0x40],
  ifF64: [0x04, 0x7c],
  else: [0x05],
  call: (f: number) => [0x10, ...unsignedLeb(f)],
  eqz: [0x45],
  geU: [0x4f],
  load: [0x28, 2, 0],
  store: [0x36, 2, 0],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  f64Neg: [0x9a],
  f64Eq: [0x61],
  f64Lt: [0x63],
  f64Gt: [0x64],
  f64Le: [0x65],
  f64Ge: [0x66],
  f64Ne: [0x62],
  f64FromI32: [0xb7],
  f64Abs: [0x99],
  f64Sqrt: [0x9f],
  f64Max: [0xa5],
  f64Const: (v: number) => {
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setFloat64(0, v, true);
    return [0x44, ...new Uint8Array(bytes.buffer)];
  },
  v128Load: [0xfd, 0x00, 4, 0],
  v128Load8x8U: [0xfd, 0x02, 3, 0],
  v128Store: [0xfd, 0x0b, 4, 0],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  extaddPairwiseU: [0xfd, 0x7f],
  i16x8ExtaddPairwiseU: [0xfd, 0x7d],
  i8x16Splat: [0xfd, 0x0f],
  i8x16Eq: [0xfd, 0x23],
  v128And: [0xfd, 0x4e],
  load8U: [0x2d, 0, 0],
  store8: [0x3a, 0, 0],
  i16x8MaxU: [0xfd, 0x99, 0x01],
  i32x4Add: [0xfd, 0xae, 0x01],
  dot: [0xfd, 0xba, 0x01],
  lane: (k: number) => [0xfd, 0x1b, k],
  f64x2Splat: [0xfd, 0x14],
  f64x2Lane: (k: number) => [0xfd, 0x21, k],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Sub: [0xfd, 0xf1, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
};

export function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

// concat rather than spreads: the module is built once, in cold code, where a spread of a long array costs ≈ 0.1 µs per element
const section = (id: number, body: number[]) => [id, ...unsignedLeb(body.length)].concat(body);
const vector = (items: number[][]) => unsignedLeb(items.length).concat(...items);
const name = (s: string) => [...unsignedLeb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** The concatenation of code pieces (concat: spreads of long arrays are slow in the cold code that builds a module once). */
export const cat = (...parts: (readonly number[])[]): number[] => ([] as number[]).concat(...(parts as number[][]));

/**
 * for (counter = from; counter < to; counter++) body, with `from` and `to` code leaving an i32 and
 * `stop` the comparison that ends the loop (`op.geU` for unsigned counters, `op.geS` for signed ones).
 */
export const countedLoop = (counter: number, from: readonly number[], to: readonly number[], body: readonly number[], stop: readonly number[] = op.geU): number[] => cat(
  from, op.set(counter),
  op.block, op.loop,
  op.get(counter), to, stop, op.brIf(1),
  body,
  op.get(counter), op.i32(1), op.add, op.set(counter),
  op.br(0),
  op.end, op.end);

/** One exported function: its name, parameter types, local types (after the parameters) and body (without the final `end`). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/** A JavaScript function the module imports as `e.<name>` (its index is its place among the imports; the module's own functions follow). */
export interface WasmImport {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
}

/** The bytes of a module importing one memory as `e.m` (and `imports`) and exporting `functions` (none returns a value). */
export function moduleBytes(functions: readonly WasmFunction[], imports: readonly WasmImport[] = []): Uint8Array {
  const code = functions.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = vector(groups.map(([count, t]) => [...unsignedLeb(count), t])).concat(f.body as number[], op.end);
    return unsignedLeb(body.length).concat(body);
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([
      ...imports.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]),
      ...functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0x00]),
    ])),
    ...section(2, vector([[...name('e'), ...name('m'), 0x02, 0x00, 0x01], ...imports.map((f, i) => [...name('e'), ...name(f.name), 0x00, ...unsignedLeb(i)])])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(imports.length + i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(imports.length + i)]))),
  ];
  return Uint8Array.from(bytes.concat(section(10, vector(code))));
}
