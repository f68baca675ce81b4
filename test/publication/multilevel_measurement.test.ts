import { describe, expect, it } from 'vitest';
import { isSkipped, multilevelMeasurement, simulatePanel, type TwoLevelDimension } from '../../analysis/index.js';
import type { Cell } from '../../instrument/model.js';

describe('multilevelMeasurement (the scale-developer report\'s multilevel section)', () => {
  const items = (p: ReturnType<typeof simulatePanel>) => p.items.map((id) => ({ id, cell: p.map.items[id].cell as Cell, reverse: p.map.items[id].reverse ?? false }));

  it('fits each dimension at both levels, gives level-specific ω next to ICC(2) per cell and a verdict on cell means as unit scores', () => {
    // Unit-level item variance (itemIcc) gives the between level residual variances, as in real data.
    const p = simulatePanel({ contexts: ['A'], unitsPerContext: 60, unitSize: { mean: 12, min: 8, max: 20 }, waves: ['W1'], icc1: 0.3, itemIcc: 0.1 }, 4);
    const r = multilevelMeasurement(items(p), p.answers, p.unit, { min: 1, max: 7 });
    if (isSkipped(r)) throw new Error(r.reason);
    expect(r.dimensions).toHaveLength(3);
    for (const d of r.dimensions) {
      expect('error' in d, JSON.stringify(d)).toBe(false);
      const fit = d as TwoLevelDimension;
      expect(fit.converged).toBe(true);
      expect(fit.units).toBe(60);
      expect(fit.fit.srmrWithin).toBeLessThan(0.08);
      // Keyed standardized loadings: the population's within loading is .7 (attenuated by rounding); reverse items turned.
      for (const l of fit.loadings) {
        expect(l.within!).toBeGreaterThan(0.5);
        expect(l.between!).toBeGreaterThan(0.5);
      }
    }
    expect(r.cells.map((c) => c.cell)).toEqual(['SxA', 'SxC', 'SxV', 'RxA', 'RxC', 'RxV', 'TxA', 'TxC', 'TxV']);
    for (const c of r.cells) {
      expect(c.omegaWithin!).toBeGreaterThan(0.8);
      expect(c.omegaBetween!).toBeGreaterThan(0.7);
      expect(c.omegaBetween!).toBeLessThanOrEqual(1);
      // ICC(2) of a cell score with ≈12 respondents per unit and a cell-score ICC(1) near .3: ≈ .84.
      expect(c.icc2!).toBeGreaterThan(0.7);
      expect(c.supportsUnitScores).toBe(true);
    }
    expect(r.verdict).toMatch(/^The unit-level structure supports using cell means as unit scores: in all 9 cells/);
  }, 300_000);

  it('says no where unit means are unreliable, and skips a wave with too few units', () => {
    const p = simulatePanel({ contexts: ['A'], unitsPerContext: 40, unitSize: { mean: 4, min: 3, max: 6 }, waves: ['W1'], icc1: 0.05, itemIcc: 0.05 }, 9);
    const r = multilevelMeasurement(items(p), p.answers, p.unit, { min: 1, max: 7 });
    if (isSkipped(r)) throw new Error(r.reason);
    expect(r.cells.some((c) => c.supportsUnitScores !== true)).toBe(true);
    expect(r.verdict).toMatch(/does not support|not for/);
    for (const c of r.cells.filter((x) => x.supportsUnitScores !== true)) expect(c.reason).toMatch(/ICC\(2\) is 0\.\d\d|ω between is -?\d|did not converge/);
    const few = multilevelMeasurement(items(p), p.answers.slice(0, 50), p.unit.slice(0, 50), { min: 1, max: 7 });
    expect(isSkipped(few) && few.reason).toMatch(/at least 30 published units/);
  }, 300_000);
});
