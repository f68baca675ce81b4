import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenTop, symmetricEigenTopScaled } from '../../analysis/efa/symmetric_eigen.js';
import { householderKernel } from '../../analysis/math/householder_kernel.js';
import { Prng } from '../../analysis/math/random.js';

/** A random symmetric matrix of order n (row-major), entries uniform on (−1, 1), or a correlation-like one. */
function symmetric(n: number, rng: Prng, correlationLike = false): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = i === j && correlationLike ? 1 : correlationLike ? 0.3 + 0.2 * rng.uniform() : 2 * rng.uniform() - 1;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

describe('the Householder reduction in WebAssembly', () => {
  const rng = new Prng(23);

  it('is available in Node (WebAssembly with SIMD)', () => {
    expect(householderKernel()).not.toBeNull();
  });

  it.each([32, 36, 48, 49, 64, 101, 271])('gives the JavaScript path’s eigenvalues and vectors to the last bit, n = %i', (n) => {
    for (const correlationLike of [false, true]) {
      const a = symmetric(n, rng, correlationLike);
      const wasm = symmetricEigen(a, n, true);
      const js = symmetricEigen(a, n, true, 'javascript');
      expect(Array.from(wasm.values)).toEqual(Array.from(js.values));
      expect(Array.from(wasm.vectors)).toEqual(Array.from(js.vectors));
      const k = Math.min(9, n);
      const top = symmetricEigenTop(a, n, k);
      const topJs = symmetricEigenTop(a, n, k, 'javascript');
      expect(Array.from(top.values)).toEqual(Array.from(topJs.values));
      expect(Array.from(top.vectors)).toEqual(Array.from(topJs.vectors));
      expect(Array.from(symmetricEigen(a, n, false).values)).toEqual(Array.from(symmetricEigen(a, n, false, 'javascript').values));
    }
  });

  it.each([12, 32, 36, 135, 271])('scales D A D from A’s lower triangle as the JavaScript loop does, to the last bit, and decomposes it, n = %i', (n) => {
    const a = symmetric(n, rng, true);
    // the upper triangle is not read
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 100 + rng.uniform();
    const factors = Float64Array.from({ length: n }, () => 1 / Math.sqrt(0.05 + 0.9 * rng.uniform()));
    const expected = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = a[i * n + j] * factors[i] * factors[j];
        expected[i * n + j] = v;
        expected[j * n + i] = v;
      }
    }
    const kernel = householderKernel()!;
    const ws = kernel.workspace(n, 0, true);
    ws.input.set(a);
    ws.factors.set(factors);
    kernel.scale(n, ws.input.byteOffset, ws.factors.byteOffset);
    expect(Array.from(ws.v)).toEqual(Array.from(expected));
    const k = Math.min(9, n - 1);
    const scratch = new Float64Array(n * n);
    const top = symmetricEigenTopScaled(a, factors, n, k, scratch);
    const topJs = symmetricEigenTop(expected, n, k, 'javascript');
    expect(Array.from(top.values)).toEqual(Array.from(topJs.values));
    expect(Array.from(top.vectors)).toEqual(Array.from(topJs.vectors));
    // below the kernel's order the scaling is done in the scratch matrix
    if (n < 32) expect(Array.from(scratch)).toEqual(Array.from(expected));
  });

  it('takes the special branches as the JavaScript loops do: a diagonal matrix, repeated eigenvalues, a zero row, huge and tiny entries', () => {
    const n = 60;
    const diagonal = new Float64Array(n * n);
    for (let i = 0; i < n; i++) diagonal[i * n + i] = (i * 7) % 11;
    // three identical 20 × 20 blocks: every eigenvalue thrice
    const blocks = new Float64Array(n * n);
    const block = symmetric(20, rng);
    for (let b = 0; b < 3; b++) for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) blocks[(20 * b + i) * n + 20 * b + j] = block[i * 20 + j];
    const zeroRow = symmetric(n, rng);
    for (let j = 0; j < n; j++) zeroRow[13 * n + j] = zeroRow[j * n + 13] = 0;
    const scaled = symmetric(n, rng).map((v, i) => v * (i % 2 === 0 ? 1e150 : 1e-150));
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) scaled[j * n + i] = scaled[i * n + j];
    for (const a of [diagonal, blocks, zeroRow, scaled]) {
      expect(Array.from(symmetricEigen(a, n, false).values)).toEqual(Array.from(symmetricEigen(a, n, false, 'javascript').values));
      const top = symmetricEigenTop(a, n, 5);
      const topJs = symmetricEigenTop(a, n, 5, 'javascript');
      expect(Array.from(top.values)).toEqual(Array.from(topJs.values));
      expect(Array.from(top.vectors)).toEqual(Array.from(topJs.vectors));
    }
  });

  it('decomposes: A v = λ v to 1e-12 for every pair, after a larger and then a smaller matrix (the memory grows and is reused)', () => {
    for (const n of [300, 60]) {
      const a = symmetric(n, rng);
      const { values, vectors } = symmetricEigen(a, n, true);
      let worst = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let m = 0; m < n; m++) s += a[i * n + m] * vectors[m * n + j];
          worst = Math.max(worst, Math.abs(s - values[j] * vectors[i * n + j]));
        }
      }
      expect(worst).toBeLessThan(1e-12);
    }
  });
});
