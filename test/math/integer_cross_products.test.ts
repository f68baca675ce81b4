import { describe, expect, it } from 'vitest';
import { byteCrossProducts, integerCrossProducts } from '../../analysis/math/integer_cross_products.js';
import { Prng } from '../../analysis/math/random.js';

/** Σ x_a x_b and Σ x_a by plain loops (exact: small integers). */
function reference(columns: Float64Array[], n: number, origin: Float64Array) {
  const p = columns.length;
  const products = new Float64Array(p * p);
  const sums = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < n; i++) sums[a] += columns[a][i] - origin[a];
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (columns[a][i] - origin[a]) * (columns[b][i] - origin[b]);
      products[a * p + b] = s;
    }
  }
  return { products, sums };
}

describe('exact integer cross-products (WebAssembly SIMD kernel)', () => {
  const rng = new Prng(7);
  const ratings = (p: number, n: number, levels: number) =>
    Array.from({ length: p }, () => Float64Array.from({ length: n }, () => 1 + Math.floor(levels * rng.uniform())));

  it.each([
    [3, 5],
    [7, 3001],
    [36, 2000],
    [41, 4099],
  ])('equal the plain sums for p = %i, n = %i (odd p, n not a multiple of 8, several row blocks)', (p, n) => {
    const columns = ratings(p, n, 7);
    const origin = Float64Array.from({ length: p }, (_, j) => (j % 3 === 0 ? 1 : 0));
    const got = integerCrossProducts(columns, n, origin);
    expect(got).not.toBeNull();
    const want = reference(columns, n, origin);
    expect(Array.from(got!.sums)).toEqual(Array.from(want.sums));
    expect(Array.from(got!.products)).toEqual(Array.from(want.products));
  });

  it('uses only the first n values of each column', () => {
    const columns = ratings(4, 100, 5);
    const got = integerCrossProducts(columns, 60)!;
    const want = reference(columns.map((c) => c.slice(0, 60)), 60, new Float64Array(4));
    expect(Array.from(got.products)).toEqual(Array.from(want.products));
  });

  it('declines data it cannot sum exactly: fractions, negatives, NaN, 16-bit overflow, 32-bit sums', () => {
    const base = () => ratings(3, 50, 7);
    const withValue = (v: number) => {
      const c = base();
      c[1][17] = v;
      return c;
    };
    expect(integerCrossProducts(withValue(2.5), 50)).toBeNull();
    expect(integerCrossProducts(withValue(-1), 50)).toBeNull();
    expect(integerCrossProducts(withValue(NaN), 50)).toBeNull();
    expect(integerCrossProducts(withValue(40000), 50)).toBeNull();
    // 50 · 7000² > 2^31: a 32-bit sum could overflow
    expect(integerCrossProducts(withValue(7000), 50)).toBeNull();
    expect(integerCrossProducts(withValue(6000), 50)).not.toBeNull();
    // an origin that makes a value negative
    expect(integerCrossProducts(base(), 50, Float64Array.from([2, 0, 0]))).toBeNull();
  });
});

describe('exact cross-products of one-byte rating columns (WebAssembly SIMD kernel)', () => {
  const rng = new Prng(19);
  const bytes = (p: number, n: number, levels: number) => Array.from({ length: p }, () => Uint8Array.from({ length: n }, () => Math.floor(levels * rng.uniform())));

  it.each([
    [3, 5],
    [7, 3001],
    [36, 2000],
    [41, 4099],
  ])('equal the plain sums for p = %i, n = %i (odd p, n not a multiple of 16, several row blocks)', (p, n) => {
    const columns = bytes(p, n, 8);
    const got = byteCrossProducts(columns, n, 255);
    expect(got).not.toBeNull();
    const want = reference(columns.map((c) => Float64Array.from(c)), n, new Float64Array(p));
    expect(Array.from(got!.sums)).toEqual(Array.from(want.sums));
    expect(Array.from(got!.products)).toEqual(Array.from(want.products));
  });

  it('reads only the first n bytes and the whole byte range below the missing code', () => {
    const columns = bytes(5, 200, 8);
    columns[2][7] = 254;
    columns[4][150] = 255;
    const got = byteCrossProducts(columns, 100, 255)!;
    const want = reference(columns.map((c) => Float64Array.from(c.subarray(0, 100))), 100, new Float64Array(5));
    expect(Array.from(got.products)).toEqual(Array.from(want.products));
    expect(Array.from(got.sums)).toEqual(Array.from(want.sums));
  });

  it('declines columns holding the missing code, and sums that could overflow 32 bits', () => {
    const columns = bytes(3, 50, 7);
    columns[1][49] = 255;
    expect(byteCrossProducts(columns, 50, 255)).toBeNull();
    // 40,000 · 254² > 2^31
    const wide = bytes(2, 40_000, 3);
    wide[0][9] = 254;
    expect(byteCrossProducts(wide, 40_000, 255)).toBeNull();
    expect(byteCrossProducts([], 10, 255)).toBeNull();
  });
});
