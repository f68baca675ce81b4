import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileKernelsAhead, kernelModule } from '../../analysis/math/kernel_modules.js';
import { choleskyKernel } from '../../analysis/math/cholesky_kernel.js';

const { Module } = WebAssembly;
/** Modules compiled synchronously, on the calling thread (`new WebAssembly.Module`), since the test began. */
let compiledNow = 0;

beforeEach(() => {
  compiledNow = 0;
  WebAssembly.Module = new Proxy(Module, {
    construct(target, args: [BufferSource]) {
      compiledNow++;
      return Reflect.construct(target, args);
    },
  });
});
afterEach(() => {
  WebAssembly.Module = Module;
});

describe('kernel modules (analysis/math/kernel_modules.ts)', () => {
  it('a kernel compiled ahead is not compiled again when it is used', async () => {
    await compileKernelsAhead(['obliqueRotation', 'wordCrossProducts']);
    const ahead = kernelModule('obliqueRotation');
    expect(ahead).toBeInstanceOf(Module);
    expect(kernelModule('wordCrossProducts')).toBeInstanceOf(Module);
    expect(compiledNow).toBe(0);
    await compileKernelsAhead(['obliqueRotation']);
    expect(kernelModule('obliqueRotation')).toBe(ahead);
  });

  it('a kernel used first is compiled then, once, and keeps its module when compiled ahead later', async () => {
    const kernel = choleskyKernel();
    const first = kernelModule('cholesky');
    expect(compiledNow).toBe(1);
    await compileKernelsAhead(['cholesky']);
    expect(kernelModule('cholesky')).toBe(first);
    expect(choleskyKernel()).toBe(kernel);
  });
});
