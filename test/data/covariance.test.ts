import { describe, expect, it } from 'vitest';
import { correlation, covariance, reverseKey, observedRange, completeRows } from '../../analysis/index.js';

// Values computed by hand (and with R: cov(x, use = "pairwise.complete.obs")).
const x = [
  [1, 2, 3],
  [2, NaN, 5],
  [3, 5, 4],
  [4, 4, NaN],
  [5, 6, 9],
];

describe('covariance and correlation', () => {
  it('listwise keeps complete rows and uses the n − 1 divisor by default', () => {
    const m = covariance(x);
    expect(m.n).toBe(3);
    // rows 1, 3, 5: column means 3, 13/3, 16/3
    expect(m.means[0]).toBeCloseTo(3, 12);
    expect(m.means[1]).toBeCloseTo(13 / 3, 12);
    // cov(col0, col1) over (1,2),(3,5),(5,6): sum of products of deviations = 8 → 8 / 2
    expect(m.cov[0][1]).toBeCloseTo(4, 12);
    expect(covariance(x, { divisor: 'n' }).cov[0][1]).toBeCloseTo(8 / 3, 12);
  });

  it('pairwise uses each pair’s own rows and means', () => {
    const m = covariance(x, { missing: 'pairwise' });
    // col0 & col1 observed together in rows 1,3,4,5: x = 1,3,4,5 (mean 3.25), y = 2,5,4,6 (mean 4.25)
    // Σ dx·dy = (-2.25)(-2.25) + (-0.25)(0.75) + (0.75)(-0.25) + (1.75)(1.75) = 7.75 → / 3
    expect(m.cov[0][1]).toBeCloseTo(7.75 / 3, 12);
    expect(m.counts[0][1]).toBe(4);
    expect(m.n).toBe(3); // the smallest pairwise count: columns 1 and 2 share rows 1, 3 and 5
    const r = correlation(x, { missing: 'pairwise' }).r;
    // Σdx² = 5.0625+0.0625+0.5625+3.0625 = 8.75; Σdy² = 5.0625+0.5625+0.0625+3.0625 = 8.75
    expect(r[0][1]).toBeCloseTo(7.75 / 8.75, 12);
    expect(r[1][0]).toBe(r[0][1]);
    expect(r[2][2]).toBe(1);
  });

  it('listwise correlation is symmetric with a unit diagonal and within [−1, 1]', () => {
    const r = correlation(x).r;
    for (let a = 0; a < 3; a++) {
      expect(r[a][a]).toBe(1);
      for (let b = 0; b < 3; b++) {
        expect(r[a][b]).toBe(r[b][a]);
        expect(Math.abs(r[a][b])).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('reverse keying', () => {
  it('maps x to min + max − x and leaves missing values missing', () => {
    const range = observedRange(x);
    expect(range).toEqual({ min: 1, max: 9 });
    const k = reverseKey(x, [1], { min: 1, max: 6 });
    expect(k[0][1]).toBe(5);
    expect(Number.isNaN(k[1][1])).toBe(true);
    expect(k[0][0]).toBe(1);
  });

  it('rejects a scale whose maximum is not above its minimum', () => {
    expect(() => reverseKey(x, [0], { min: 5, max: 5 })).toThrow(/scale maximum/);
  });

  it('completeRows drops rows with any missing value', () => {
    expect(completeRows(x)).toHaveLength(3);
  });
});
