import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { correlationOfColumns } from '../../analysis/efa/column_correlation.js';
import { integerCrossProducts } from '../../analysis/math/integer_cross_products.js';
import { correlation } from '../../analysis/data/covariance.js';
import { Prng } from '../../analysis/math/random.js';

// Without WebAssembly (an engine that lacks it or its SIMD instructions) the exact integer sums come
// from the packed double-precision kernel instead; this file's module instance never sees WebAssembly.
describe('correlations of whole numbers without WebAssembly', () => {
  beforeAll(() => vi.stubGlobal('WebAssembly', undefined));
  afterAll(() => vi.unstubAllGlobals());

  it('the SIMD kernel declines and the packed sums give the same correlations', () => {
    const rng = new Prng(5);
    const n = 2501;
    const p = 9;
    const ratings = Array.from({ length: p }, (_, j) => Float64Array.from({ length: n }, (_, i) => 1 + ((i * (j + 2) + Math.floor(5 * rng.uniform())) % 7)));
    expect(integerCrossProducts(ratings, n)).toBeNull();
    const rows = Array.from({ length: n }, (_, i) => ratings.map((c) => c[i]));
    const reference = correlation(rows).r;
    const exact = correlationOfColumns(ratings, n).r;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) expect(Math.abs(exact[a][b] - reference[a][b])).toBeLessThan(1e-14);
  });
});
