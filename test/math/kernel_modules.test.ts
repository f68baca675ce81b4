import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kernelModule } from '../../analysis/math/kernel_modules.js';
import { choleskyKernel } from '../../analysis/math/cholesky_kernel.js';

const { Module } = WebAssembly;
/** Modules compiled (`new WebAssembly.Module`) since the test began. */
let compiled = 0;

beforeEach(() => {
  compiled = 0;
  WebAssembly.Module = new Proxy(Module, {
    construct(target, args: [BufferSource]) {
      compiled++;
      return Reflect.construct(target, args);
    },
  });
});
afterEach(() => {
  WebAssembly.Module = Module;
});

describe('kernel modules (analysis/math/kernel_modules.ts)', () => {
  it('a kernel asked for before its first use (as efa does) is not compiled again when it is used', () => {
    const ahead = kernelModule('obliqueRotation');
    expect(ahead).toBeInstanceOf(Module);
    expect(compiled).toBe(1);
    expect(kernelModule('obliqueRotation')).toBe(ahead);
    expect(compiled).toBe(1);
  });

  it('a kernel used first is compiled then, once, and its kernel keeps that module', () => {
    const kernel = choleskyKernel();
    const first = kernelModule('cholesky');
    expect(compiled).toBe(1);
    expect(kernelModule('cholesky')).toBe(first);
    expect(choleskyKernel()).toBe(kernel);
    expect(compiled).toBe(1);
  });
});
