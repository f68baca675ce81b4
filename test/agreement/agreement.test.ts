import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractCase, FIXTURES, seici } from '../helpers/cli.js';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import {
  agreement,
  agreementStrength,
  averageDeviationScale,
  awgItem,
  nullVariance,
  NULL_DISTRIBUTIONS,
  rwgJNullDistribution,
  simulatePanel,
  uniformNullVariance,
} from '../../analysis/index.js';

const TOL = 1e-6;
const refs = JSON.parse(readFileSync(resolve(FIXTURES, 'r/agreement-references.json'), 'utf8'));
const SOURCES: Record<string, string> = {
  'lq2002-LEAD': 'lq2002.csv',
  'lq2002-HOSTIL': 'lq2002.csv',
  'lq2002-TSIG01': 'lq2002.csv',
  cohesion: 'cohesion.csv',
  seven: 'r/agreement-seven.csv',
};

function close(got: number | null | undefined, want: number | null, label: string): void {
  if (want === null) {
    expect(got ?? null, label).toBeNull();
    return;
  }
  expect(typeof got, label).toBe('number');
  expect(Math.abs((got as number) - want), `${label}: ${got} vs ${want}`).toBeLessThanOrEqual(TOL);
}

describe('seici agreement: contract cases (multilevel 2.7)', () => {
  for (const name of ['cohesion-agreement-unit', 'lq2002-agreement-HOSTIL', 'lq2002-agreement-LEAD', 'lq2002-agreement-TSIG01']) {
    it(`${name} matches R at 1e-6`, () => {
      const { args, expected } = contractCase(name);
      const r = seici([...args, '--json']);
      expect(r.status, r.stderr).toBe(0);
      const got = r.json;
      expect(got.n).toBe(expected.n);
      for (const k of ['icc1', 'icc2', 'meanRwgj'] as const) close(got[k], expected[k], k);
      for (const k of ['F', 'df1', 'df2', 'p'] as const) close(got.anova[k], expected.anova[k], `anova.${k}`);
      expect(got.units).toHaveLength(expected.units.length);
      const byUnit = new Map(got.units.map((u: any) => [u.unit, u]));
      for (const e of expected.units) {
        const g: any = byUnit.get(e.unit);
        expect(g, e.unit).toBeDefined();
        expect(g.n).toBe(e.n);
        if ('rwgj' in e) close(g.rwgj, e.rwgj, `${e.unit}.rwgj`);
        else expect('rwgj' in g, `${e.unit}: rwgj left out for a unit of one`).toBe(false);
      }
    });
  }
});

describe('agreement indices against multilevel (test/fixtures/r/agreement-references.R)', () => {
  for (const [name, raw] of Object.entries<any>(refs.cases)) {
    // jsonlite unboxes length-one vectors: one item or one unit comes back as a scalar
    const arr = (v: unknown) => (Array.isArray(v) ? v : [v]);
    const ref = { ...raw, items: arr(raw.items), unit: arr(raw.unit), n: arr(raw.n) };
    const table = readTable(resolve(FIXTURES, SOURCES[name]));
    const x = numericMatrix(table, ref.items, 'items');
    const g = stringColumn(table, ref.group, 'group');

    it(`${name}: rwg(j) under every null (uniform and LeBreton & Senter's), r*wg(j), awg, AD`, () => {
      for (const shape of NULL_DISTRIBUTIONS) {
        const res = agreement(x, g, { scalePoints: ref.scalePoints, null: shape, scaleMin: ref.scaleMin });
        const byUnit = new Map(res.units.map((u) => [u.unit, u]));
        ref.unit.forEach((unit: string, i: number) => {
          const u = byUnit.get(unit)!;
          expect(u.n).toBe(ref.n[i]);
          close(u.rwgj, ref.rwgjByNull[shape][i], `${unit} rwgj ${shape}`);
          if (shape === 'uniform') {
            close(u.rwgjLindell, ref.lindell[i], `${unit} lindell`);
            close(u.awg, ref.awg[i], `${unit} awg`);
            close(u.ad, ref.ad[i], `${unit} ad`);
          }
        });
      }
    });

    it(`${name}: AD around the median (ad.m type = "median")`, () => {
      const complete = x.map((row, i) => ({ row, unit: g[i] })).filter((r) => r.unit !== null && r.row.every((v) => !Number.isNaN(v)));
      ref.unit.forEach((unit: string, i: number) => {
        const rows = complete.filter((r) => r.unit === unit).map((r) => r.row);
        if (rows.length < 2) return;
        const byItem = ref.items.map((_: string, j: number) => rows.map((r) => r[j]));
        close(averageDeviationScale(byItem, 'median'), ref.adMedian[i], `${unit} ad median`);
      });
    });
  }
});

describe('agreement kernels and invariants', () => {
  it('has the uniform null (A² − 1)/12 and the published skewed nulls', () => {
    expect(uniformNullVariance(5)).toBe(2);
    expect(uniformNullVariance(7)).toBe(4);
    expect(nullVariance(5, 'slight-skew')).toBe(1.34);
    expect(nullVariance(7, 'heavy-skew')).toBe(1.39);
    // the 5-point skewed nulls are the variances of James et al.'s response proportions
    const variance = (p: number[]) => {
      const m = p.reduce((s, q, i) => s + q * (i + 1), 0);
      return p.reduce((s, q, i) => s + q * (i + 1 - m) ** 2, 0);
    };
    expect(variance([0.05, 0.15, 0.2, 0.35, 0.25])).toBeCloseTo(nullVariance(5, 'slight-skew'), 10);
    expect(variance([0, 0.1, 0.15, 0.4, 0.35])).toBeCloseTo(nullVariance(5, 'moderate-skew'), 10);
    expect(variance([0, 0, 0.1, 0.4, 0.5])).toBeCloseTo(nullVariance(5, 'heavy-skew'), 10);
    expect(() => nullVariance(4, 'slight-skew')).toThrow(/5 to 11/);
  });

  it('names LeBreton & Senter\'s agreement bands', () => {
    expect([0, 0.3, 0.31, 0.5, 0.7, 0.71, 0.9, 0.95, 1].map(agreementStrength)).toEqual([
      'lack of agreement', 'lack of agreement', 'weak', 'weak', 'moderate', 'strong', 'strong', 'very strong', 'very strong',
    ]);
    expect(agreementStrength(NaN)).toBeNull();
  });

  it('takes the aggregation criteria from the caller', () => {
    const args = ['agreement', '--csv', 'cohesion.csv', '--items', 'COH01,COH02,COH03,COH04,COH05', '--group', 'UNIT', '--scale-points', '5', '--json'];
    const strict = seici(args);
    const lenient = seici([...args, '--alpha', '0.2', '--min-rwgj', '0.76']);
    expect(strict.json.units.map((u: any) => u.verdict.justified)).toEqual([false, false]); // F test p = .139
    expect(lenient.json.units.map((u: any) => u.verdict.justified)).toEqual([false, true]); // rwg(j) .754 < .76 ≤ .899
    expect(lenient.json.options.criteria).toMatchObject({ alpha: 0.2, minRwgJ: 0.76 });
  });

  it('awg is 1 for perfect agreement at an end and undefined near the ends', () => {
    expect(awgItem([5, 5, 5], 1, 5)).toBe(1);
    expect(Number.isNaN(awgItem([5, 5, 4], 1, 5))).toBe(true); // mean 4.67 > (5·2 + 1)/3
    expect(awgItem([1, 5], 1, 5)).toBeCloseTo(-1, 12); // maximum disagreement
  });

  it('keeps rwg(j) within [0, 1] and recovers a simulated ICC(1)', () => {
    const panel = simulatePanel({ unitsPerContext: 400, unitSize: { mean: 12, min: 6 }, waves: ['W1'], icc1: 0.2, loadings: 0.9 }, 21);
    const cols = panel.items.flatMap((id, j) => (id.startsWith('SxV_') && id !== 'SxV_8' ? [j] : []));
    const x = panel.answers.map((r) => cols.map((j) => r[j]));
    const res = agreement(x, panel.unit, { scalePoints: 7 });
    for (const u of res.units) {
      expect(u.rwgj!).toBeGreaterThanOrEqual(0);
      expect(u.rwgj!).toBeLessThanOrEqual(1);
    }
    // seven items instead of eight: recompute the expected ICC(1) of their mean
    const k = 7;
    const expected = (0.2 * 0.81) / (0.81 + (k * 0.19) / (k * k) + 1 / (12 * 1.44 * k));
    expect(res.icc1).toBeGreaterThan(0.15);
    expect(res.icc1).toBeLessThan(0.25);
    expect(Math.abs(res.icc1 - expected)).toBeLessThan(0.03);
    expect(res.anova.p).toBeLessThan(1e-10);
    expect(res.units.every((u) => u.verdict.betweenUnits === true)).toBe(true);
  });

  it('gives no verdict of agreement to a unit of one and says why', () => {
    const res = agreement([[1, 2], [2, 2], [3, 3], [5, 4]], ['a', 'a', 'b', 'c'], { scalePoints: 5 });
    const c = res.units.find((u) => u.unit === 'c')!;
    expect('rwgj' in c).toBe(false);
    expect(c.verdict.agreement).toBeNull();
    expect(c.verdict.justified).toBe(false);
    expect(c.verdict.reasons.join(' ')).toMatch(/fewer than two/);
  });
});

describe('rwg(j) under random answering (multilevel::rwg.j.sim, rwg-null-references.R)', () => {
  const nullRefs = JSON.parse(readFileSync(resolve(FIXTURES, 'r/rwg-null-references.json'), 'utf8'));
  for (const e of nullRefs) {
    it(`matches R within Monte Carlo error: unit of ${e.groupSize}, ${e.items} item(s), ${e.scalePoints} points`, () => {
      const d = rwgJNullDistribution(e.groupSize, e.items, e.scalePoints, { replications: 20_000, seed: 5 });
      // two independent 20,000-replication runs: the mean differs by ~0.003 SD-wise, the 95th percentile by ~0.01
      expect(Math.abs(d.mean - e.mean)).toBeLessThan(0.01);
      expect(Math.abs(d.critical95 - e.critical95)).toBeLessThan(0.025);
      const above = d.values.filter((v) => v >= d.critical95).length / d.replications;
      expect(above).toBeLessThanOrEqual(0.05);
    });
  }

  it('is reproducible for a seed and feeds the per-unit chance comparison', () => {
    expect(rwgJNullDistribution(6, 3, 5, { seed: 2 }).values).toEqual(rwgJNullDistribution(6, 3, 5, { seed: 2 }).values);
    const r = seici(['agreement', '--csv', 'cohesion.csv', '--items', 'COH01,COH02,COH03,COH04,COH05', '--group', 'UNIT', '--scale-points', '5', '--chance-reps', '2000', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const expected = rwgJNullDistribution(5, 5, 5, { replications: 2000, seed: 1 }).critical95;
    for (const u of r.json.units) {
      expect(u.rwgjCritical95).toBe(expected);
      expect(u.aboveChance).toBe(u.rwgj >= expected);
    }
  });
});

describe('seici agreement --reverse', () => {
  it('reverse-keys before the ANOVA (ICCs equal R) and leaves rwg(j) unchanged', () => {
    const e = refs.reversed;
    const base = ['agreement', '--csv', 'sei-small.csv', '--items', e.items.join(','), '--group', 'team', '--scale-points', '5', '--json'];
    const plain = seici(base);
    const flipped = seici([...base, '--reverse', e.reverse]);
    expect(flipped.status, flipped.stderr).toBe(0);
    expect(flipped.json.n).toBe(e.n);
    close(flipped.json.icc1, e.icc1, 'icc1');
    close(flipped.json.icc2, e.icc2, 'icc2');
    close(flipped.json.anova.F, e.F, 'F');
    plain.json.units.forEach((u: any, i: number) => close(flipped.json.units[i].rwgj, u.rwgj, `${u.unit} rwgj`));
    const bad = seici([...base, '--reverse', 'SxC_1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('SxC_1');
  });
});

describe('seici agreement: bad input', () => {
  const base = ['agreement', '--csv', 'cohesion.csv', '--items', 'COH01,COH02', '--group', 'UNIT'];
  it('rejects a skewed null without a published value, naming it', () => {
    const r = seici([...base, '--scale-points', '4', '--null', 'heavy-skew']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('heavy-skew');
  });
  it('rejects an unknown null and a non-numeric scale', () => {
    expect(seici([...base, '--scale-points', '5', '--null', 'bimodal']).status).toBe(2);
    const r = seici([...base, '--scale-points', 'five']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--scale-points');
  });
  it('names a missing group column', () => {
    const r = seici(['agreement', '--csv', 'cohesion.csv', '--items', 'COH01', '--group', 'TEAM', '--scale-points', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TEAM');
  });
});
