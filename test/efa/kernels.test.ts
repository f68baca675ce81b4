import { describe, expect, it } from 'vitest';
import { LeadingEigenpairs, symmetricEigen } from '../../analysis/efa/symmetric_eigen.js';
import { columnCorrelation, correlationOfColumns } from '../../analysis/efa/column_correlation.js';
import { correlation } from '../../analysis/data/covariance.js';
import { Prng } from '../../analysis/math/random.js';

/** A correlation-like matrix with `k` clear factors: ΛΛ′ + Ψ from seeded loadings. */
function factorMatrix(p: number, k: number, seed: number): Float64Array {
  const rng = new Prng(seed);
  const l = Array.from({ length: p }, (_, i) => Array.from({ length: k }, (_, j) => (i % k === j ? 0.6 + 0.2 * rng.uniform() : 0.1 * rng.normal())));
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += l[i][m] * l[j][m];
      a[i * p + j] = s;
    }
  }
  return a;
}

describe('leading eigenpairs by warm-started subspace iteration', () => {
  it('equal the full decomposition along a sequence of diagonal changes, without falling back', () => {
    const p = 60;
    const k = 5;
    const base = factorMatrix(p, k, 7);
    const solver = new LeadingEigenpairs(p, k);
    for (let step = 0; step < 6; step++) {
      const a = Float64Array.from(base);
      for (let i = 0; i < p; i++) a[i * p + i] -= 0.05 * step * Math.cos(i);
      const full = symmetricEigen(a, p);
      const got = solver.solve(a, 1);
      for (let j = 0; j < k; j++) {
        expect(Math.abs(got.values[j] - full.values[j])).toBeLessThan(1e-12);
        // same vector up to sign
        let dot = 0;
        for (let i = 0; i < p; i++) dot += got.vectors[i * k + j] * full.vectors[i * p + j];
        expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-10);
      }
    }
    expect(solver.fellBack).toBe(0);
    expect(solver.iterated).toBe(6);
  });

  it('fall back to the full reduction when the k-th eigenvalue is barely separated from the next', () => {
    const p = 30;
    const a = new Float64Array(p * p);
    // 5, 4, 3, then 1.27, 1.26, …: the fourth and fifth differ by under 1 %
    for (let i = 0; i < p; i++) a[i * p + i] = i < 3 ? 5 - i : 1 + 0.01 * (p - i);
    const solver = new LeadingEigenpairs(p, 4);
    const got = solver.solve(a, 0);
    expect(solver.fellBack).toBe(1);
    const expected = [5, 4, 3, 1.27];
    for (let j = 0; j < 4; j++) expect(Math.abs(got.values[j] - expected[j])).toBeLessThan(1e-12);
  });
});

describe('correlations of columns', () => {
  const rng = new Prng(11);
  const n = 3001;
  const p = 7;
  const ratings = Array.from({ length: p }, (_, j) => Float64Array.from({ length: n }, (_, i) => 1 + ((i * (j + 3) + Math.floor(7 * rng.uniform())) % 7)));
  const rows = Array.from({ length: n }, (_, i) => ratings.map((c) => c[i]));

  it('exact integer sums equal the centred two-pass correlations (whole numbers and fractions alike)', () => {
    const reference = correlation(rows).r;
    const exact = correlationOfColumns(ratings, n).r;
    const fractional = columnCorrelation(ratings.map((c) => c.map((v) => v / 3 + 0.1)), n);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        expect(Math.abs(exact[a][b] - reference[a][b])).toBeLessThan(1e-14);
        expect(Math.abs(fractional[a][b] - reference[a][b])).toBeLessThan(1e-13);
      }
    }
  });

  it('drop incomplete rows listwise and pair rows pairwise as R does', () => {
    const holed = ratings.map((c, j) => c.map((v, i) => ((i + j) % 17 === 0 ? NaN : v)));
    const holedRows = Array.from({ length: n }, (_, i) => holed.map((c) => c[i]));
    const listwise = correlationOfColumns(holed, n, 'listwise');
    const pairwise = correlationOfColumns(holed, n, 'pairwise');
    const refList = correlation(holedRows, { missing: 'listwise' });
    const refPair = correlation(holedRows, { missing: 'pairwise' });
    expect(listwise.n).toBe(refList.n);
    expect(pairwise.n).toBe(n);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        expect(Math.abs(listwise.r[a][b] - refList.r[a][b])).toBeLessThan(1e-14);
        expect(Math.abs(pairwise.r[a][b] - refPair.r[a][b])).toBeLessThan(1e-14);
      }
    }
  });
});
