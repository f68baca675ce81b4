import { describe, expect, it } from 'vitest';
import { correctedItemTotal, itemAnalysis, itemDistribution, itemTotal } from '../../analysis/index.js';
import { CLOSED, caseData, caseOptions, expectNear, referenceCases } from '../reliability/references.js';

describe('item analysis equals psych::alpha and R (test/fixtures/r/reliability-references.R)', () => {
  for (const c of referenceCases) {
    it(c.name, () => {
      const result = itemAnalysis(caseData(c), caseOptions(c));
      expect(result.nItems).toBe(c.expected.nItems);
      expect(result.n).toBe(c.expected.n);
      expect(result.scale.min).toBe(c.expected.scale.min);
      expect(result.scale.max).toBe(c.expected.scale.max);
      expect(result.items.map((s) => s.item)).toEqual(c.items);
      for (const [j, want] of c.expected.items.entries()) {
        const got = result.items[j];
        expect(got.n, `${c.name} ${want.item} n`).toBe(want.n);
        for (const key of ['mean', 'sd', 'floor', 'ceiling', 'rTotal', 'rDrop'] as const) {
          expectNear(got[key], want[key], CLOSED, `${c.name} ${want.item} ${key}`);
        }
        // with two items no alpha remains when one is dropped (psych reports a covariance ratio there)
        if (c.items.length === 2) expect(got.alphaIfDropped).toBeNaN();
        else expectNear(got.alphaIfDropped, want.alphaIfDropped, CLOSED, `${c.name} ${want.item} alphaIfDropped`);
      }
    });
  }
});

describe('item analysis kernels', () => {
  it('itemDistribution counts answers at the ends of the scale and skips missing ones', () => {
    const data = [[1], [2], [NaN], [5], [5], [3]];
    const d = itemDistribution(data, 0, { min: 1, max: 5 });
    expect(d.n).toBe(5);
    expect(d.mean).toBeCloseTo(16 / 5, 12);
    // deviations from 3.2: -2.2, -1.2, 1.8, 1.8, -0.2 → squares sum 4.84+1.44+3.24+3.24+0.04 = 12.8
    expect(d.sd).toBeCloseTo(Math.sqrt(12.8 / 4), 12);
    expect(d.floor).toBeCloseTo(1 / 5, 12);
    expect(d.ceiling).toBeCloseTo(2 / 5, 12);
  });

  it('correctedItemTotal equals the correlation of each item with the sum of the others (complete data)', () => {
    const data = [
      [1, 2, 2, 4],
      [2, 2, 3, 3],
      [3, 4, 3, 5],
      [4, 3, 5, 4],
      [5, 5, 4, 2],
      [2, 1, 1, 3],
    ];
    const p = 4;
    const n = data.length;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const cov = Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => {
        const ma = mean(data.map((r) => r[a]));
        const mb = mean(data.map((r) => r[b]));
        return data.reduce((s, r) => s + (r[a] - ma) * (r[b] - mb), 0) / (n - 1);
      }),
    );
    const r = correctedItemTotal(cov);
    for (let i = 0; i < p; i++) {
      const x = data.map((row) => row[i]);
      const rest = data.map((row) => row.reduce((s, v, j) => (j === i ? s : s + v), 0));
      const mx = mean(x);
      const mr = mean(rest);
      const sxy = x.reduce((s, v, k) => s + (v - mx) * (rest[k] - mr), 0);
      const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
      const syy = rest.reduce((s, v) => s + (v - mr) ** 2, 0);
      expect(r[i]).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
    }
  });

  it('itemTotal is 1 for an item set whose items are identical', () => {
    const data = [[1, 1], [2, 2], [4, 4], [3, 3]];
    const r = itemTotal(data);
    expect(r[0]).toBeCloseTo(1, 12);
    expect(r[1]).toBeCloseTo(1, 12);
  });

  it('warns about an item that correlates negatively with the others', () => {
    const c = referenceCases.find((x) => x.name === 'lq2002-HOSTIL-reverse')!;
    const result = itemAnalysis(caseData(c), caseOptions(c));
    expect(result.items[0].rDrop).toBeLessThan(0);
    expect(result.diagnostics.warnings.some((w) => w.includes('HOSTIL01'))).toBe(true);
  });
});
