import { kernelBytes, type KernelName } from './kernel_bytes.js';
import { compileModule, wasmApi, type WasmModule } from './wasm_assembly.js';

/**
 * The WebAssembly kernels' compiled modules, one per kernel and process: compiled on first use
 * ({@link kernelModule}), or beforehand on V8's background threads ({@link compileKernelsAhead})
 * while the caller's own thread does other work, such as reading the data the kernels will take.
 */
const modules = new Map<KernelName, WasmModule | null>();

/** Kernel `name`'s module, compiled now unless it was already; null where WebAssembly (with SIMD) is missing. */
export function kernelModule(name: KernelName): WasmModule | null {
  let mod = modules.get(name);
  if (mod === undefined) {
    mod = compileModule(() => kernelBytes(name));
    modules.set(name, mod);
  }
  return mod;
}

/**
 * Starts compiling the kernels `names` off the calling thread and resolves once they are compiled.
 * How much is compiled then depends on V8's flags (with lazy compilation, its default, only the
 * validation is done ahead). A kernel the engine rejects (no SIMD) is left to {@link kernelModule},
 * which finds the same and returns null.
 */
export async function compileKernelsAhead(names: readonly KernelName[]): Promise<void> {
  const api = wasmApi();
  if (api === null) return;
  await Promise.all(
    names.map(async (name) => {
      if (modules.has(name)) return;
      const mod = await api.compile(kernelBytes(name)).catch(() => undefined);
      if (mod !== undefined && !modules.has(name)) modules.set(name, mod);
    }),
  );
}
