import { describe, expect, it } from 'vitest';
import { CHOLESKY_KERNEL_ORDER_COLD, cholesky, choleskyInverse } from '../../analysis/math/cholesky.js';
import { choleskyKernel } from '../../analysis/math/cholesky_kernel.js';
import { Prng } from '../../analysis/math/random.js';

/** B Bᵀ + 0.1 I for a random n × n B: symmetric positive definite. */
function spd(n: number, rng: Prng): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.uniform() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

describe('the Cholesky factor and inverse in WebAssembly', () => {
  const rng = new Prng(31);

  it('is available in Node (WebAssembly with SIMD)', () => {
    expect(choleskyKernel()).not.toBeNull();
  });

  // efa takes the kernel from order 16 (CHOLESKY_KERNEL_ORDER_COLD), every other caller from 48
  it.each([16, 17, 36, 48, 49, 77, 150, 280])('gives the JavaScript loops’ factor and inverse to the last bit, n = %i', (n) => {
    const a = spd(n, rng);
    const l = cholesky(a, n, 0, 'auto', CHOLESKY_KERNEL_ORDER_COLD)!;
    expect(Array.from(l)).toEqual(Array.from(cholesky(a, n, 0, 'javascript')!));
    const inv = choleskyInverse(l, n, 'auto', CHOLESKY_KERNEL_ORDER_COLD);
    expect(Array.from(inv)).toEqual(Array.from(choleskyInverse(l, n, 'javascript')));
    // and it is the inverse: A A⁻¹ = I to 1e-9 (condition numbers here are below 1e4)
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('refuses a matrix that is not positive definite, and a pivot below minPivot, as the JavaScript loops do', () => {
    const n = 60;
    const a = spd(n, rng);
    const negative = a.slice();
    negative[17 * n + 17] = -1;
    expect(cholesky(negative, n)).toBeNull();
    // a repeated row makes a pivot zero up to rounding
    const singular = a.slice();
    for (let j = 0; j < n; j++) {
      singular[31 * n + j] = a[30 * n + j];
      singular[j * n + 31] = a[j * n + 30];
    }
    singular[31 * n + 31] = a[30 * n + 30];
    expect(cholesky(singular, n, 1e-10)).toBeNull();
    expect(cholesky(singular, n, 1e-10, 'javascript')).toBeNull();
  });

  it.each([
    [16, 9],
    [36, 9],
    [48, 1],
    [77, 9],
    [280, 9],
  ])('forms the thin product R B (n = %i, k = %i) as the JavaScript loop does, to the last bit', (n, k) => {
    const r = spd(n, rng);
    const b = Float64Array.from({ length: n * k }, () => rng.uniform() - 0.5);
    const js = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let m = 0; m < k; m++) js[i * k + m] += r[i * n + j] * b[j * k + m];
    const kernel = choleskyKernel()!;
    const w = kernel.workspace(n);
    w.a.set(r);
    w.l.set(b);
    w.li.fill(0, 0, n * k);
    kernel.thinProduct(n, k);
    expect(Array.from(w.li.subarray(0, n * k))).toEqual(Array.from(js));
  });
});
