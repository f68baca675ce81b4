import { describe, expect, it } from 'vitest';
import { answerCorrelation, columnCorrelation, correlationOfColumns } from '../../analysis/efa/column_correlation.js';
import { correlation } from '../../analysis/data/covariance.js';
import { Prng } from '../../analysis/math/random.js';

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

  it('one-byte rating columns give the same correlations as their Float64 copies, to the bit', () => {
    const bytes = ratings.map((c) => Uint8Array.from(c));
    bytes[3] = Uint8Array.from(ratings[3], (v, i) => (i === 5 ? 0 : v));
    const wide = bytes.map((c) => Float64Array.from(c));
    const got = answerCorrelation(bytes, n)!;
    expect(got.constant).toEqual(new Array(p).fill(false));
    expect(got.r).toEqual(correlationOfColumns(wide, n).r);
  });

  it.each([40, 41, 135])('one-byte columns: the kernel’s correlations from the sums equal the Float64 path’s to the bit, p = %i', (q) => {
    const m = 997;
    const wide = Array.from({ length: q }, (_, j) => Float64Array.from({ length: m }, (_, i) => 1 + ((i * (j + 2) + Math.floor(5 * rng.uniform())) % 5)));
    const got = answerCorrelation(wide.map((c) => Uint8Array.from(c)), m)!;
    expect(got.r).toEqual(correlationOfColumns(wide, m).r);
    expect(got.r.every((row, a) => row.length === q && row[a] === 1)).toBe(true);
  });

  it('one-byte columns: a missing answer declines (the caller widens), a constant column is flagged', () => {
    const bytes = ratings.map((c) => Uint8Array.from(c));
    bytes[2][100] = 255;
    expect(answerCorrelation(bytes, n)).toBeNull();
    bytes[2].fill(4);
    expect(answerCorrelation(bytes, n)!.constant).toEqual([false, false, true, false, false, false, false]);
  });

  it('whole numbers too wide for exact integer sums take the centred path', () => {
    const wide = ratings.map((c, j) => c.map((v, i) => v * 6000 + ((i * (j + 1)) % 5)));
    const wideRows = Array.from({ length: n }, (_, i) => wide.map((c) => c[i]));
    const reference = correlation(wideRows).r;
    const exact = correlationOfColumns(wide, n).r;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) expect(Math.abs(exact[a][b] - reference[a][b])).toBeLessThan(1e-13);
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
