import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, type Cell, type DimensionName } from '../../instrument/model.js';
import { diagnoseUnits } from '../../analysis/dynamics/diagnose_units.js';
import { unitDrift, type UnitWaveScore } from '../../analysis/dynamics/drift.js';
import type { Breakpoint, ChangePoint } from '../../analysis/dynamics/evaluate_breakpoints.js';
import { INTERVENTIONS } from '../../analysis/dynamics/interventions.js';
import { scoreUnits } from '../../analysis/index.js';
import { numericMatrix, parseTable, stringColumn } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

function score(unit: string, wave: string, misalignment: number, dominant: DimensionName | null, cells: Partial<Record<Cell, number>> = {}, z?: Record<DimensionName, number>): UnitWaveScore {
  const all = Object.fromEntries(CELLS.map((c) => [c, cells[c] ?? 3])) as Record<Cell, number>;
  return { unit, wave, cells: all, misalignment, dominant, z: z ?? { structural: 0, relational: 0, translational: 0 } };
}

describe('unitDrift', () => {
  const scores = [
    score('U1', 'W1', 0.4, 'structural'),
    score('U2', 'W2', 0.5, 'translational'),
    score('U3', 'W1', 0.5, 'relational'),
    score('U1', 'W2', 0.6, 'structural'),
    score('U1', 'W3', 1.0, 'relational'),
    score('U2', 'W3', 0.7, 'translational'),
    score('U3', 'W3', 0.4, 'relational'),
  ];
  const d = unitDrift(scores);

  it('tracks M, its change from baseline, the trend and the drift flag', () => {
    expect(d.waves).toEqual(['W1', 'W2', 'W3']);
    const [u1, u2, u3] = d.units;
    expect(u1.history.map((h) => h.change)).toEqual([0, expect.closeTo(0.2, 12), expect.closeTo(0.6, 12)]);
    expect(u1.change).toBeCloseTo(0.6, 12);
    expect(u1.trend).toBeCloseTo(0.3, 12); // OLS of (0, .4), (1, .6), (2, 1.0)
    expect(u1.drifting).toBe(true);
    expect(u1.dominance).toEqual(['structural', 'structural', 'relational']);
    expect(u1.dominanceChanges).toBe(1);
    expect(u1.persistentDominant).toBeNull();
    expect(u2.baselineWave).toBe('W2');
    expect(u2.trend).toBeCloseTo(0.2, 12);
    expect(u2.drifting).toBe(false);
    expect(u2.persistentDominant).toBe('translational');
    expect(u3.trend).toBeCloseTo(-0.05, 12); // waves at positions 0 and 2
    expect(d.diagnostics.warnings).toEqual(['unit U2 has no score in W1; its drift is measured from W2.']);
  });

  it('takes the coherence capacity and the wave order as options', () => {
    expect(unitDrift(scores, { capacity: 0.7 }).units[0].drifting).toBe(false);
    const reversed = unitDrift(scores, { waves: ['W3', 'W2', 'W1'] });
    expect(reversed.units[0].baselineWave).toBe('W3');
    expect(reversed.units[0].change).toBeCloseTo(-0.6, 12);
    expect(() => unitDrift(scores, { capacity: -1 })).toThrow(/capacity must be a number ≥ 0/);
    expect(() => unitDrift(scores, { waves: ['W1', 'W2'] })).toThrow(/wave "W3", which waves does not list/);
    expect(() => unitDrift([...scores, score('U1', 'W1', 0.3, null)])).toThrow(/U1 has two scores for wave W1/);
  });

  it('agrees with scoreUnits’ drift on the SEI fixture', () => {
    const table = parseTable(readFileSync(resolve(FIXTURES, 'sei-small.csv'), 'utf8'), 'sei-small.csv');
    const map = JSON.parse(readFileSync(resolve(FIXTURES, 'sei-small-map.json'), 'utf8'));
    const items = Object.keys(map.items);
    const result = scoreUnits(
      { items, answers: numericMatrix(table, items, 'items'), unit: stringColumn(table, 'team', 'unit'), wave: stringColumn(table, 'round', 'wave') },
      map,
    );
    const drift = unitDrift(result.units, { waves: result.waves, baselineWave: result.baselineWave });
    let compared = 0;
    for (const u of result.units) {
      if (u.drift === undefined || !Number.isFinite(u.misalignment)) continue;
      const h = drift.units.find((x) => x.unit === u.unit)!.history.find((x) => x.wave === u.wave)!;
      expect(h.change).toBeCloseTo(u.drift, 12);
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});

describe('diagnoseUnits', () => {
  const wave = 'W2';
  const scores = [
    score('A', 'W1', 0.2, 'structural'),
    score('A', wave, 0.9, 'structural', { TxV: 2.0, SxA: 2.6 }, { structural: 0.8, relational: 0.1, translational: -0.9 }),
    score('B', wave, 0.3, 'relational', { TxV: 3.2, SxA: 3.0 }),
    score('C', wave, 0.2, 'translational', { TxV: 3.5, SxA: 3.1 }),
  ];
  const breakpoints: Breakpoint[] = [
    { unit: 'A', signal: 'reopenRate', cells: ['TxC', 'TxV'], start: '2026-03-02', end: '2026-04-06', periods: 6, peak: 0.35, level: 0.2, baseline: null, ruleVersion: 'seici-default-1' },
    { unit: 'Z', signal: 'rcDrop', cells: ['RxC', 'RxA'], start: '2026-03-02', end: '2026-04-06', periods: 6, peak: 0.8, level: 0.5, baseline: null, ruleVersion: 'seici-default-1' },
  ];
  const changePoints: ChangePoint[] = [
    { unit: 'A', signal: 'decisionLatency', period: '2026-02-02', before: 2, after: 2.4, shift: 0.4, direction: 'up', periodsBefore: 8, periodsAfter: 10, standardizedShift: 2, coveredByRule: false },
    { unit: 'A', signal: 'reopenRate', period: '2026-03-02', before: 0.1, after: 0.35, shift: 0.25, direction: 'up', periodsBefore: 8, periodsAfter: 6, standardizedShift: 4, coveredByRule: true },
  ];
  const drift = unitDrift(scores, { capacity: 0.5 });
  const result = diagnoseUnits({
    scores,
    drift,
    breakpoints,
    changePoints,
    performance: [{ unit: 'A', period: '2026Q2', measure: 'cycleTime', value: 14 }],
  });
  const a = result.units.find((u) => u.unit === 'A')!;

  it('compares cells with the organisation in the wave', () => {
    expect(result.wave).toBe(wave);
    const txv = a.cells.find((c) => c.cell === 'TxV')!;
    const mean = (2.0 + 3.2 + 3.5) / 3;
    const sd = Math.sqrt(((2.0 - mean) ** 2 + (3.2 - mean) ** 2 + (3.5 - mean) ** 2) / 2);
    expect(txv.organisationMean).toBeCloseTo(mean, 12);
    expect(txv.z).toBeCloseTo((2.0 - mean) / sd, 12);
    expect(a.weakestCells.map((c) => c.cell)).toEqual(['TxV', 'SxA']);
    expect(a.cells.find((c) => c.cell === 'RxC')!.z).toBeNaN(); // every unit has 3: no spread
  });

  it('ranks interventions by the evidence and writes the evidence out', () => {
    const txv = a.cells.find((c) => c.cell === 'TxV')!;
    const sxa = a.cells.find((c) => c.cell === 'SxA')!;
    expect(a.drift?.drifting).toBe(true);
    // dependency-maps (TxV): weakness + 1 breakpoint + drift (translational is A's lowest z).
    // lead-time-metrics (SxV, TxV): the same TxV evidence + 0.5 for the latency change point (SxV).
    // decision-rights (SxA): weakness + 0.5 change point.
    // interface-reviews (TxC): 1 breakpoint + 0.5 drift.
    const byId = Object.fromEntries(a.interventions.map((i) => [i.id, i.score]));
    expect(byId['dependency-maps']).toBeCloseTo(-txv.z + 1 + 0.5, 12);
    expect(byId['lead-time-metrics']).toBeCloseTo(-txv.z + 1 + 0.5 + 0.5, 12);
    expect(byId['decision-rights']).toBeCloseTo(-sxa.z + 0.5, 12);
    expect(byId['interface-reviews']).toBeCloseTo(1.5, 12);
    expect(a.interventions.map((i) => i.id)).toEqual(['lead-time-metrics', 'dependency-maps', 'decision-rights', 'interface-reviews', 'translation-stewardship']);
    expect(byId['translation-stewardship']).toBe(0.5); // drift only: TxA is in the lagging dimension
    const deps = a.interventions[1];
    expect(deps.evidence).toEqual([
      expect.stringMatching(/^TxV is \d\.\d\d SD below the organisation in W2/),
      'reopenRate breakpoint 2026-03-02 to 2026-04-06 (6 periods, peak 0.35) implicates TxV.',
      expect.stringMatching(/^M rose by 0\.70 since W1, beyond the capacity 0\.5; TxV belongs to the lagging translational dimension\.$/),
    ]);
    expect(a.interventions.find((i) => i.id === 'decision-rights')!.evidence[1]).toBe(
      'decisionLatency shifted up from 2 to 2.40 from 2026-02-02, below the breakpoint rules; it implicates SxA.',
    );
    expect(a.implicatedCells).toEqual([{ cell: 'TxC', breakpoints: 1 }, { cell: 'TxV', breakpoints: 1 }]);
    expect(a.changePoints).toHaveLength(1);
    expect(a.performance).toEqual({ cycleTime: { period: '2026Q2', value: 14 } });
  });

  it('does not diagnose units without a visible score and keeps DESIGN’s catalogue', () => {
    expect(result.units.map((u) => u.unit)).toEqual(['A', 'B', 'C']);
    expect(result.diagnostics.warnings).toEqual(['1 unit with breakpoints but no visible score in W2 is not diagnosed.']);
    expect(INTERVENTIONS.map((i) => i.cells.join('+'))).toEqual(['TxA', 'TxV', 'TxC', 'RxC', 'SxA', 'SxC', 'SxV+TxV']);
    const c = result.units.find((u) => u.unit === 'C')!;
    expect(c.interventions).toEqual([]);
    expect(() => diagnoseUnits({ scores, wave: 'W9' })).toThrow(/no unit has a score in wave "W9"/);
  });
});
