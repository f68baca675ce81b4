import { describe, expect, it } from 'vitest';
import { matrixSumsKernel } from '../../analysis/math/matrix_sums_kernel.js';
import { Prng } from '../../analysis/math/random.js';
import { transposedProduct } from '../../analysis/efa/linear_algebra.js';
import { residualSquares } from '../../analysis/efa/factor_fit.js';
import { antiImageSums } from '../../analysis/efa/sampling_adequacy.js';

/** A symmetric p × p matrix with a unit diagonal and entries in (−1, 1), as rows. */
function symmetric(p: number, rng: Prng): number[][] {
  const r = Array.from({ length: p }, () => new Array<number>(p).fill(1));
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) r[i][j] = r[j][i] = 2 * rng.uniform() - 1;
  return r;
}

/** The same matrix with its rows (and columns) in reverse order: the same terms, added in another order. */
function reversed(r: number[][]): number[][] {
  return r.map((_, i) => r[r.length - 1 - i].slice().reverse());
}

/** Every element of `a` the same double as that of `b` (Object.is: −0 and NaN too). */
const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('the matrix-sums kernel', () => {
  const rng = new Prng(2026);

  it('is available in Node (WebAssembly)', () => {
    expect(matrixSumsKernel()).not.toBeNull();
  });

  it.each([
    [16, 1],
    [17, 9],
    [36, 9],
    [135, 9],
    [271, 12],
  ])('gives the fit’s residual sum of squares of the JavaScript loop to the last bit, p = %i, k = %i', (p, k) => {
    const r = symmetric(p, rng);
    const lam = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.3);
    const kernel = residualSquares(r, lam, p, k);
    expect(Object.is(kernel, residualSquares(r, lam, p, k, 'javascript'))).toBe(true);
    if (p >= 36) {
      // the comparison sees the order of the additions: the same terms with the rows reversed give other bits
      const lamReversed = new Float64Array(p * k);
      for (let i = 0; i < p; i++) lamReversed.set(lam.subarray((p - 1 - i) * k, (p - i) * k), i * k);
      const other = residualSquares(reversed(r), lamReversed, p, k, 'javascript');
      expect(Math.abs(other - kernel)).toBeLessThan(1e-9 * kernel);
      expect(other).not.toBe(kernel);
    }
  });

  it.each([16, 17, 36, 135, 271])('gives KMO’s sums of the JavaScript loop to the last bit, overall and by column, p = %i', (p) => {
    const r = symmetric(p, rng);
    const inv = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) inv[i * p + j] = inv[j * p + i] = i === j ? 1 + 3 * rng.uniform() : rng.uniform() - 0.5;
    const d = Float64Array.from({ length: p }, (_, i) => Math.sqrt(inv[i * p + i]));
    const kernel = antiImageSums(r, inv, d, p);
    const loop = antiImageSums(r, inv, d, p, 'javascript');
    expect([kernel.sumR, kernel.sumQ].every((v, i) => Object.is(v, [loop.sumR, loop.sumQ][i]))).toBe(true);
    expect(sameBits(kernel.colR, loop.colR) && sameBits(kernel.colQ, loop.colQ)).toBe(true);
    // the kernel's memory is reused: a second call with other matrices starts its column sums from zero again
    const again = antiImageSums(r, inv, d, p);
    expect(sameBits(again.colR, loop.colR)).toBe(true);
    if (p >= 36) {
      const invReversed = new Float64Array(p * p);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) invReversed[i * p + j] = inv[(p - 1 - i) * p + (p - 1 - j)];
      const other = antiImageSums(reversed(r), invReversed, Float64Array.from(d).reverse(), p, 'javascript');
      expect([other.sumR, other.sumQ].every((v, i) => Object.is(v, [loop.sumR, loop.sumQ][i]))).toBe(false);
    }
  });

  it.each([
    [16, 9],
    [135, 9],
    [271, 12],
  ])('gives X′Y of the JavaScript loop to the last bit, p = %i, k = %i', (p, k) => {
    const x = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.5);
    const y = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.5);
    const got = transposedProduct(x, y, p, k);
    expect(sameBits(got, transposedProduct(x, y, p, k, 'javascript'))).toBe(true);
    // a second call with other matrices starts from zero again: Y′X is the transpose of X′Y, bit for bit
    const back = transposedProduct(y, x, p, k);
    expect(sameBits(back, Array.from({ length: k * k }, (_, i) => got[(i % k) * k + Math.floor(i / k)]))).toBe(true);
    // and the comparison sees the order: the rows added last to first give other bits somewhere
    const flip = (a: Float64Array) => {
      const out = new Float64Array(p * k);
      for (let i = 0; i < p; i++) out.set(a.subarray((p - 1 - i) * k, (p - i) * k), i * k);
      return out;
    };
    expect(sameBits(got, transposedProduct(flip(x), flip(y), p, k, 'javascript'))).toBe(false);
  });
});
