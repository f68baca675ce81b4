import { describe, expect, it } from 'vitest';
import { alphaIfDropped, cronbachAlpha, feldtInterval, scaleReliability } from '../../analysis/index.js';
import { CLOSED, caseData, caseOptions, expectNear, referenceCases } from './references.js';

describe('reliability equals psych::alpha (test/fixtures/r/reliability-references.R)', () => {
  for (const c of referenceCases) {
    it(c.name, () => {
      const r = scaleReliability(caseData(c), caseOptions(c));
      const e = c.expected;
      expect(r.n).toBe(e.n);
      expect(r.nItems).toBe(e.nItems);
      expectNear(r.alpha, e.alpha, CLOSED, 'alpha');
      expectNear(r.alphaStd, e.alphaStd, CLOSED, 'alphaStd');
      expectNear(r.averageR, e.averageR, CLOSED, 'averageR');
      expectNear(r.alphaSe, e.alphaSe, CLOSED, 'alphaSe (psych ase)');
      expectNear(r.alphaCi.lower, e.alphaCi.lower, CLOSED, 'Feldt lower');
      expectNear(r.alphaCi.upper, e.alphaCi.upper, CLOSED, 'Feldt upper');
      expect(r.alphaCi.level).toBe(e.alphaCi.level);
      if (c.level === 0.95) {
        expectNear(r.alphaCi.lower, e.feldt.lower, CLOSED, 'psych::alpha feldt lower');
        expectNear(r.alphaCi.upper, e.feldt.upper, CLOSED, 'psych::alpha feldt upper');
      }
      for (const [j, want] of e.items.entries()) {
        expectNear(r.items[j].rDrop, want.rDrop, CLOSED, `${want.item} rDrop`);
        if (c.items.length === 2) expect(r.items[j].alphaIfDropped).toBeNaN();
        else expectNear(r.items[j].alphaIfDropped, want.alphaIfDropped, CLOSED, `${want.item} alphaIfDropped`);
      }
    });
  }
});

describe('alpha kernels', () => {
  it('alpha of parallel items follows the Spearman-Brown formula', () => {
    // p items with unit variances and common covariance r: alpha = p r / (1 + (p − 1) r)
    const p = 6;
    const r = 0.3;
    const cov = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => (a === b ? 1 : r)));
    expect(cronbachAlpha(cov)).toBeCloseTo((p * r) / (1 + (p - 1) * r), 12);
    for (const v of alphaIfDropped(cov)) expect(v).toBeCloseTo(((p - 1) * r) / (1 + (p - 2) * r), 12);
  });

  it('alpha is unchanged by rescaling the total but not by rescaling one item', () => {
    const cov = [
      [1.2, 0.5, 0.4],
      [0.5, 0.9, 0.3],
      [0.4, 0.3, 1.5],
    ];
    const scaled = cov.map((row) => row.map((v) => v * 4));
    expect(cronbachAlpha(scaled)).toBeCloseTo(cronbachAlpha(cov), 12);
    const oneScaled = cov.map((row, a) => row.map((v, b) => v * (a === 0 ? 3 : 1) * (b === 0 ? 3 : 1)));
    expect(Math.abs(cronbachAlpha(oneScaled) - cronbachAlpha(cov))).toBeGreaterThan(1e-3);
  });

  it('alpha if dropped is undefined for a two-item scale', () => {
    expect(alphaIfDropped([[1, 0.5], [0.5, 1]]).every(Number.isNaN)).toBe(true);
  });

  it('the Feldt interval narrows as n grows and contains alpha', () => {
    const small = feldtInterval(0.8, 50, 5);
    const large = feldtInterval(0.8, 5000, 5);
    for (const ci of [small, large]) {
      expect(ci.lower).toBeLessThan(0.8);
      expect(ci.upper).toBeGreaterThan(0.8);
    }
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });
});
