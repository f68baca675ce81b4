import { describe, expect, it } from 'vitest';
import { publishWave, scoreUnits, type PublishedUnit, type WavePublicationInput } from '../../analysis/index.js';
import { ITEMS, emptySet, fullSet, seeded, sets } from './fixtures.js';

const base = { scaleMin: 1, scaleMax: 7, items: ITEMS };
const visible = (units: readonly { suppressed: boolean }[]) => units.filter((u): u is PublishedUnit => !u.suppressed);

describe('publishWave', () => {
  it('keeps a unit of one real and four empty "complete" answer sets suppressed', () => {
    const random = seeded(1);
    const input: WavePublicationInput = {
      ...base,
      units: [],
      waves: [{ label: 'W1', minGroupSize: 5, answerSets: [fullSet('lonely', random), ...Array.from({ length: 4 }, () => emptySet('lonely')), ...sets('big', 6, random)] }],
    };
    const p = publishWave(input);
    const lonely = p.units.find((u) => u.unitKey === 'lonely')!;
    expect(lonely).toEqual({ unitKey: 'lonely', suppressed: true, rollup: false, n: null, reason: 'below-minimum' });
    expect(p.warnings.join(' ')).toMatch(/4 complete answer sets gave no score/);
    // The organisation covers the published units only: big's 6, never the one real person of lonely.
    expect(p.units.find((u) => u.unitKey === 'big')).toMatchObject({ suppressed: false, n: 6 });
    expect(p.organisation).toMatchObject({ suppressed: false, n: 6 });
    expect(JSON.stringify(p)).not.toMatch(/"lonely"[^}]*"(cells|seiCi|n)":\s*\d/);
  });

  it('counts a respondent only with a score for every cell (at least half of each cell’s items)', () => {
    const random = seeded(2);
    const half = (set: ReturnType<typeof fullSet>) => ({ unitKey: set.unitKey, answers: Object.fromEntries(Object.entries(set.answers).filter(([id]) => Number(id.split('_')[1]) <= 4)) });
    const short = (set: ReturnType<typeof fullSet>) => ({ unitKey: set.unitKey, answers: Object.fromEntries(Object.entries(set.answers).filter(([id]) => !id.startsWith('TxV') || Number(id.split('_')[1]) <= 3)) });
    const p = publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 5, answerSets: [...sets('a', 4, random).map(half), short(fullSet('a', random))] }] });
    // Four respondents with exactly half of each cell count; the fifth answered 3 of 8 T×V items and does not.
    expect(p.units[0]).toMatchObject({ unitKey: 'a', suppressed: true, reason: 'below-minimum' });
    const q = publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 5, answerSets: [...sets('a', 5, random).map(half)] }] });
    expect(q.units[0]).toMatchObject({ unitKey: 'a', suppressed: false, n: 5 });
  });

  it('equals scoreUnits on the published units (the contract’s score)', () => {
    const random = seeded(3);
    const answerSets = [...sets('a', 6, random, 3), ...sets('b', 7, random, 5), ...sets('c', 8, random, 4)];
    const p = publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 5, answerSets }] });
    const columns = ITEMS.map((i) => i.id);
    const s = scoreUnits(
      { items: columns, answers: answerSets.map((x) => columns.map((id) => x.answers[id] as number)), unit: answerSets.map((x) => x.unitKey) },
      { scaleMin: 1, scaleMax: 7, items: Object.fromEntries(ITEMS.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) },
      { minGroupSize: 5 },
    );
    for (const u of s.units) {
      const mine = visible(p.units).find((x) => x.unitKey === u.unit)!;
      expect(mine.n).toBe(u.n);
      for (const c of Object.keys(u.cells)) expect(mine.cells[c as keyof typeof u.cells]).toBeCloseTo(u.cells[c as keyof typeof u.cells], 12);
      expect(mine.seiCi).toBeCloseTo(u.seiCi, 12);
      expect(mine.misalignment).toBeCloseTo(u.misalignment, 12);
      expect(mine.rwgj.structural).toBeCloseTo(u.rwgj.structural, 12);
    }
    expect(p.agreement).toMatchObject({ structural: { icc1: s.icc['1'].structural.icc1 } });
  });

  it('publishes no drift against a baseline unit-wave that was suppressed under the larger k', () => {
    const random = seeded(4);
    const w1 = { label: 'W1', minGroupSize: 5, answerSets: [...sets('a', 3, random, 2), ...sets('e', 2, random, 2), ...sets('b', 6, random, 5), ...sets('c', 6, random, 3), ...sets('d', 7, random, 4)] };
    const w2 = { label: 'W2', minGroupSize: 3, answerSets: [...sets('a', 3, random, 6), ...sets('b', 6, random, 4), ...sets('c', 6, random, 5), ...sets('d', 7, random, 4)] };
    const p = publishWave({ ...base, units: [], waves: [w1, w2] });
    const a = visible(p.units).find((u) => u.unitKey === 'a')!;
    expect(a.n).toBe(3);
    expect(a.drift).toBeNull();
    expect(a.trend.map((t) => t.wave)).toEqual(['W2']);
    const b = visible(p.units).find((u) => u.unitKey === 'b')!;
    expect(b.drift).toEqual(expect.any(Number));
    expect(b.trend.map((t) => t.wave)).toEqual(['W1', 'W2']);
    // z is standardised over W1's units published under k = 5 only (b, c, d): a's W1 answers change nothing.
    const other = seeded(99);
    const without = publishWave({ ...base, units: [], waves: [{ ...w1, answerSets: w1.answerSets.map((s) => (s.unitKey === 'a' ? fullSet('a', other, 7) : s)) }, w2] });
    expect(visible(without.units).find((u) => u.unitKey === 'b')!.z).toEqual(b.z);
  });

  it('uses an earlier wave\'s unit-waves only where its own stored publication published them', () => {
    const random = seeded(12);
    const w1 = { label: 'W1', minGroupSize: 5, answerSets: [...sets('b', 6, random, 5), ...sets('c', 6, random, 3), ...sets('d', 7, random, 4)] };
    const w2 = { label: 'W2', minGroupSize: 5, answerSets: [...sets('b', 6, random, 4), ...sets('c', 6, random, 5), ...sets('d', 7, random, 4)] };
    const free = publishWave({ ...base, units: [], waves: [w1, w2] });
    expect(visible(free.units).find((u) => u.unitKey === 'b')!.trend.map((t) => t.wave)).toEqual(['W1', 'W2']);
    // W1's own publication withheld b (say, under the hierarchy it was published with): no drift of b stands on it.
    const frozen = publishWave({ ...base, units: [], waves: [{ ...w1, published: ['c', 'd'] }, w2] });
    const b = visible(frozen.units).find((u) => u.unitKey === 'b')!;
    expect(b.trend.map((t) => t.wave)).toEqual(['W2']);
    expect(b.drift).toBeNull();
    expect(visible(frozen.units).find((u) => u.unitKey === 'c')!.trend.map((t) => t.wave)).toEqual(['W1', 'W2']);
    // The publication records the hierarchy it used, which later runs of the wave reuse.
    expect(publishWave({ ...base, units: [{ key: 'b', parentKey: null, context: 'x' }], waves: [w2] }).hierarchy).toEqual([{ key: 'b', parentKey: null, context: 'x' }]);
  });

  it('rolls departments up over their teams and keeps parent − children from revealing a small team', () => {
    const random = seeded(5);
    const units = [
      { key: 'dept', parentKey: null },
      { key: 't1', parentKey: 'dept' },
      { key: 't2', parentKey: 'dept' },
      { key: 't3', parentKey: 'dept' },
    ];
    const answerSets = [...sets('t1', 6, random, 3), ...sets('t2', 7, random, 5), ...sets('t3', 2, random, 1)];
    const p = publishWave({ ...base, units, waves: [{ label: 'W1', minGroupSize: 5, answerSets }] });
    const byKey = Object.fromEntries(p.units.map((u) => [u.unitKey, u]));
    expect(byKey.dept).toMatchObject({ suppressed: false, rollup: true, n: 15 });
    expect(byKey.t3).toMatchObject({ suppressed: true, n: null });
    // dept − t2 − t1 would be t3: t1 (the smaller complement) is withheld.
    expect(byKey.t1).toMatchObject({ suppressed: true, reason: 'complementary', n: null });
    expect(byKey.t2).toMatchObject({ suppressed: false, n: 7 });
    // The department's mean is over all 15, the organisation equals the department.
    const dept = byKey.dept as PublishedUnit;
    const sxa = (a: Record<string, number | null>) => ITEMS.filter((i) => i.cell === 'SxA').reduce((sum, i) => sum + (i.reverse ? 8 - (a[i.id] as number) : (a[i.id] as number)), 0) / 8;
    expect(dept.cells.SxA).toBeCloseTo(answerSets.reduce((sum, x) => sum + sxa(x.answers), 0) / 15, 12);
    expect(p.organisation).toMatchObject({ suppressed: false, n: 15 });
    expect(p.counts).toEqual({ dept: 15, t2: 7, '@organisation': 15 });
  });

  it('withholds a unit whose count moved by fewer than k since an earlier publication (the 6·m₆ − 5·m₅ attack)', () => {
    const random = seeded(6);
    const answerSets = [...sets('a', 6, random), ...sets('b', 9, random)];
    const p = publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 5, answerSets }], previous: [{ a: 5, b: 9, '@organisation': 14 }] });
    expect(p.units.find((u) => u.unitKey === 'a')).toEqual({ unitKey: 'a', suppressed: true, rollup: false, n: null, reason: 'republication' });
    // The organisation moves from 14 to 9 (b alone): a difference of k, which is a's earlier publication, nothing new.
    expect(p.organisation).toMatchObject({ suppressed: false, n: 9 });
  });

  it('says small samples instead of computing: reliability and ICC need their minimum', () => {
    const random = seeded(7);
    const p = publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 5, answerSets: sets('a', 6, random) }] });
    expect(p.reliability.structural).toEqual({ skipped: true, reason: 'Reliability of structural needs at least 30 respondents; this sample has 6.', minimum: 30, n: 6 });
    expect(p.agreement).toMatchObject({ skipped: true, minimum: 2, n: 1 });
  });

  it('refuses a minimum group size below 3', () => {
    expect(() => publishWave({ ...base, units: [], waves: [{ label: 'W1', minGroupSize: 2, answerSets: [] }] })).toThrow(/at least 3; got 2/);
  });
});
