// Writes analysis/math/kernel_bytes.ts: the WebAssembly kernels' module bytes as the assembler of
// analysis/math/wasm_assembly.ts makes them, so that a process compiles them without assembling
// them first. Run after changing a kernel: `npx tsc -p tsconfig.json && node scripts/kernel-bytes.mjs`
// (test/math/kernel_bytes.test.ts fails until the file matches the kernels' code).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => import(join(root, 'dist', 'analysis', 'math', file));
const { householderModuleBytes } = await dist('householder_kernel.js');
const { choleskyModuleBytes } = await dist('cholesky_kernel.js');
const { obliqueRotationModuleBytes } = await dist('oblique_rotation_kernel.js');
const { crossProductModuleBytes } = await dist('integer_cross_products.js');
const { byteCountModuleBytes } = await dist('byte_count_kernel.js');
const { plainRecordModuleBytes } = await dist('plain_record_kernel.js');
const { matrixSumsModuleBytes } = await dist('matrix_sums_kernel.js');

const modules = {
  householder: householderModuleBytes(),
  cholesky: choleskyModuleBytes(),
  obliqueRotation: obliqueRotationModuleBytes(),
  byteCrossProducts: crossProductModuleBytes(1),
  wordCrossProducts: crossProductModuleBytes(2),
  byteCount: byteCountModuleBytes(),
  plainRecords: plainRecordModuleBytes(),
  matrixSums: matrixSumsModuleBytes(),
};
const lines = Object.entries(modules).map(([name, bytes]) => `  ${name}: '${Buffer.from(bytes).toString('base64')}',`);
writeFileSync(
  join(root, 'analysis', 'math', 'kernel_bytes.ts'),
  `/**
 * The WebAssembly kernels' module bytes, pre-built by scripts/kernel-bytes.mjs from the assembler code
 * of each kernel (householder_kernel.ts, cholesky_kernel.ts, oblique_rotation_kernel.ts,
 * integer_cross_products.ts, byte_count_kernel.ts,
 * plain_record_kernel.ts, matrix_sums_kernel.ts), base64: a process compiles a kernel from these instead of assembling it
 * first (≈ 2–10 ms of cold JavaScript per kernel). test/math/kernel_bytes.test.ts checks that they are
 * the assembler's output to the byte. Generated: do not edit.
 */
const KERNEL_BYTES = {
${lines.join('\n')}
};

export type KernelName = keyof typeof KERNEL_BYTES;

/** A kernel's module bytes. */
export function kernelBytes(name: KernelName): Uint8Array {
  const text = atob(KERNEL_BYTES[name]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
`,
);
console.log(Object.entries(modules).map(([n, b]) => `${n} ${b.length} bytes`).join(', '));
