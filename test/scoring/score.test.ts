import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractCase, FIXTURES, seici } from '../helpers/cli.js';
import { scoreUnits, type ItemMap } from '../../analysis/index.js';
import { CELLS } from '../../instrument/model.js';

const TOL = 1e-6;

/** Compares got against R's expected values key by key (numbers at 1e-6, null = missing). */
function expectClose(got: unknown, expected: unknown, path = ''): void {
  if (expected === null) {
    expect(got ?? null, path).toBeNull();
  } else if (typeof expected === 'number') {
    expect(typeof got, path).toBe('number');
    expect(Math.abs((got as number) - expected), `${path}: ${got} vs ${expected}`).toBeLessThanOrEqual(TOL);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(got), path).toBe(true);
    expected.forEach((e, i) => expectClose((got as unknown[])[i], e, `${path}[${i}]`));
  } else if (typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected as object)) expectClose((got as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(got, path).toBe(expected);
  }
}

describe('seici score (contract case sei-small-score, R oracle)', () => {
  const { args, expected } = contractCase('sei-small-score');
  const r = seici([...args, '--json']);

  it('exits 0 with one JSON object', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json).toBeTypeOf('object');
  });

  it('matches R for every unit-wave at 1e-6', () => {
    expect(r.json.baselineWave).toBe(expected.baselineWave);
    expect(r.json.units).toHaveLength(expected.units.length);
    const byKey = new Map(r.json.units.map((u: any) => [`${u.unit}/${u.wave}`, u]));
    for (const e of expected.units) {
      const g = byKey.get(`${e.unit}/${e.wave}`);
      expect(g, `${e.unit}/${e.wave}`).toBeDefined();
      expectClose(g, e, `${e.unit}/${e.wave}`);
    }
  });

  it('keeps rwg(j) within [0, 1]', () => {
    for (const u of r.json.units) {
      for (const v of Object.values(u.rwgj)) {
        if (v === null) continue;
        expect(v as number).toBeGreaterThanOrEqual(0);
        expect(v as number).toBeLessThanOrEqual(1);
      }
    }
  });

  it('attaches per-wave, per-dimension ICC(1), ICC(2) and F equal to multilevel (scoring-references.R)', () => {
    const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/scoring-references.json'), 'utf8'));
    for (const [wave, dims] of Object.entries<any>(ref)) {
      for (const [dim, e] of Object.entries<any>(dims)) {
        const g = r.json.icc[wave][dim];
        expect(g.n, `${wave} ${dim}`).toBe(e.n);
        for (const k of ['icc1', 'icc2', 'F', 'df1', 'df2', 'p']) expectClose(g[k], e[k], `${wave}.${dim}.${k}`);
      }
    }
    // a unit's verdict follows its rwg(j) and its wave's F test
    for (const u of r.json.units) {
      for (const dim of ['structural', 'relational', 'translational']) {
        const v = u.aggregation.dimensions[dim];
        const sample = r.json.icc[u.wave][dim];
        expect(v.justified).toBe(u.rwgj[dim] !== null && u.rwgj[dim] >= 0.7 && sample.icc1 > 0 && sample.p < 0.05);
      }
    }
  });

  it('suppresses small unit-waves from the output with --min-group-size', () => {
    const s = seici([...args, '--min-group-size', '8', '--json']);
    expect(s.status).toBe(0);
    expect(s.json.units.every((u: any) => u.n >= 8)).toBe(true);
    expect(s.json.suppressed).toBe(expected.units.filter((u: any) => u.n < 8).length);
    expect(s.stdout).not.toContain('"T02"'); // T02 has 5 respondents in 2026Q1
  });

  it('names the map item that is not a column, exit 2', () => {
    const s = seici(['score', '--csv', 'cohesion.csv', '--map', 'sei-small-map.json', '--unit', 'UNIT', '--json']);
    expect(s.status).toBe(2);
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    expect(s.stderr).toContain('SxA_1');
  });

  it('names a missing map file, exit 2', () => {
    const s = seici(['score', '--csv', 'sei-small.csv', '--map', 'nosuch.json', '--unit', 'team']);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('--map');
  });

  it('rejects an unknown baseline wave', () => {
    const s = seici([...args, '--baseline-wave', '2030Q1']);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('2030Q1');
  });
});

/** A tiny map: one item per cell except SxA with two (one reverse-keyed), scale 1–5. */
function tinyMap(): { map: ItemMap; items: string[] } {
  const items: string[] = [];
  const entries: Record<string, { cell: string; reverse: boolean }> = {};
  for (const c of CELLS) {
    const ids = c === 'SxA' ? [`${c}_1`, `${c}_2`] : [`${c}_1`];
    for (const id of ids) {
      items.push(id);
      entries[id] = { cell: c, reverse: id === 'SxA_2' };
    }
  }
  return { map: { scaleMin: 1, scaleMax: 5, items: entries }, items };
}

describe('scoreUnits (library)', () => {
  const { map, items } = tinyMap();
  const row = (sxa1: number, sxa2: number, rest: number) => [sxa1, sxa2, ...Array(8).fill(rest)];

  it('reverse-keys and applies the half-answered rule to a respondent cell score', () => {
    const r = scoreUnits(
      { items, answers: [row(4, 2, 3), row(NaN, 1, 3)], unit: ['u', 'u'] },
      map,
    );
    // respondent 1: SxA = (4 + (6 − 2)) / 2 = 4; respondent 2: one of two answered (half) → 6 − 1 = 5
    expect(r.units[0].cells.SxA).toBeCloseTo(4.5, 12);
    expect(r.units[0].n).toBe(2);
  });

  it('leaves a cell missing when fewer than half of its items are answered', () => {
    const answers = [row(NaN, NaN, 3), row(NaN, NaN, 4)];
    const r = scoreUnits({ items, answers, unit: ['u', 'u'] }, map);
    expect(Number.isNaN(r.units[0].cells.SxA)).toBe(true);
    expect(Number.isNaN(r.units[0].seiCi)).toBe(true);
  });

  it('suppresses a unit-wave below minGroupSize from units and from the baseline statistics', () => {
    const answers = [row(1, 5, 1), row(2, 4, 2), row(5, 1, 5), row(4, 2, 4), row(3, 3, 3)];
    const unit = ['a', 'a', 'b', 'b', 'tiny'];
    const all = scoreUnits({ items, answers, unit }, map);
    const safe = scoreUnits({ items, answers, unit }, map, { minGroupSize: 2 });
    expect(all.units.map((u) => u.unit)).toEqual(['a', 'b', 'tiny']);
    expect(safe.units.map((u) => u.unit)).toEqual(['a', 'b']);
    expect(safe.suppressed).toBe(1);
    expect(JSON.stringify(safe)).not.toContain('tiny');
    // the baseline mean is over the visible units only: two units at ±d give z = ±0.7071
    expect(safe.units[0].z.structural).toBeCloseTo(-Math.SQRT1_2, 12);
  });

  it('computes drift against the unit baseline and leaves it out without one', () => {
    const answers = [row(1, 5, 1), row(2, 4, 2), row(5, 1, 5), row(4, 2, 4), row(3, 3, 3), row(3, 3, 4)];
    const r = scoreUnits({ items, answers, unit: ['a', 'a', 'b', 'b', 'c', 'c'], wave: ['1', '1', '1', '1', '2', '2'] }, map);
    expect(r.units.find((u) => u.unit === 'a')!.drift).toBe(0);
    expect('drift' in r.units.find((u) => u.unit === 'c')!).toBe(false);
  });

  it('rejects an answer outside the scale of the map, naming row and column', () => {
    expect(() => scoreUnits({ items, answers: [row(7, 1, 1)], unit: ['u'] }, map)).toThrow(/row 1, column SxA_1/);
  });

  it('rejects a map without an item for a cell', () => {
    const bad: ItemMap = { scaleMin: 1, scaleMax: 5, items: { SxA_1: { cell: 'SxA' } } };
    expect(() => scoreUnits({ items, answers: [row(1, 1, 1)], unit: ['u'] }, bad)).toThrow(/no item for cell SxC/);
  });
});
