import { kernelBytes, type KernelName } from './kernel_bytes.js';
import { compileModule, type WasmModule } from './wasm_assembly.js';

/**
 * The WebAssembly kernels' compiled modules, one per kernel and process, compiled on first use
 * ({@link kernelModule}) with the compilers V8's flags choose at that moment: a caller that wants
 * another choice (cli/commands/efa.ts) sets the flags and asks for its kernels before their first use.
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
