import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitTwoLevel, InputError, type TwoLevelData } from '../../analysis/index.js';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/multilevel-references.json'), 'utf8'));

function data(csv: string, cluster: string): TwoLevelData {
  const t = readTable(resolve(FIXTURES, csv));
  const columns = t.columns.filter((c) => c !== cluster && !['context', 'unit', 'wave', 'respondent'].includes(c));
  return { columns, rows: numericMatrix(t, columns, '--csv'), clusters: stringColumn(t, cluster, '--cluster') };
}

const RELATIVE = new Set(['chisq', 'aic', 'bic', 'logl', 'baselineChisq']);

function expectFit(got: Record<string, number>, want: Record<string, number>): void {
  for (const [k, v] of Object.entries(want)) {
    if (typeof v !== 'number') continue;
    const tol = RELATIVE.has(k) ? Math.max(1e-6 * Math.abs(v), 1e-3) : 1e-3;
    expect(Math.abs(got[k] - v), `fit.${k}: got ${got[k]}, R ${v}`).toBeLessThanOrEqual(tol);
  }
}

function expectEstimates(got: readonly any[], want: readonly any[]): void {
  const key = (e: any) => `${e.lhs}|${e.op}|${e.rhs}|${e.level}`;
  const idx = new Map(got.map((e) => [key(e), e]));
  for (const e of want) {
    const g = idx.get(key(e));
    expect(g, `estimate ${key(e)} missing`).toBeDefined();
    for (const k of ['est', 'se', 'std']) {
      if (typeof e[k] !== 'number') continue;
      expect(Math.abs(g[k] - e[k]), `${key(e)}.${k}: got ${g[k]}, R ${e[k]}`).toBeLessThanOrEqual(1e-3);
    }
  }
  expect(got.length).toBe(want.length);
}

describe('fitTwoLevel matches lavaan 0.6.14 sem(..., cluster =)', () => {
  const cases = [
    ['demo', 'demo-twolevel.csv', 'cluster'],
    ['panelOne', 'multilevel-panel.csv', 'unit'],
    ['panelEqual', 'multilevel-panel.csv', 'unit'],
    ['panelTwo', 'multilevel-panel.csv', 'unit'],
  ] as const;
  for (const [name, csv, cluster] of cases) {
    it(`${name}: χ², df, logL, fit measures and every estimate and SE`, () => {
      const want = ref[name];
      const r = fitTwoLevel(data(csv, cluster), want.model);
      expect(r.converged).toBe(true);
      expect(r.n).toBe(want.n);
      expect(r.clusters).toBe(want.clusters);
      expect(r.fit.df).toBe(want.fit.df);
      expectFit(r.fit as unknown as Record<string, number>, want.fit);
      expectEstimates(r.estimates, want.estimates);
    });
  }
});

describe('fitTwoLevel refuses bad input with a sentence naming the argument', () => {
  const demo = data('demo-twolevel.csv', 'cluster');
  const cases: [string, string, RegExp][] = [
    ['one level block', 'level: 1\n f =~ y1 + y2 + y3', /exactly two level blocks/],
    ['a formula outside the blocks', 'f =~ y1 + y2\nlevel: 1\n fw =~ y1 + y2 + y3\nlevel: 2\n fb =~ y1 + y2 + y3', /line 1: a formula before "level: 1"/],
    ['the same latent at both levels', 'level: 1\n f =~ y1 + y2 + y3\nlevel: 2\n f =~ y1 + y2 + y3', /latent variable f appears at both levels/],
    ['an unknown column', 'level: 1\n fw =~ y1 + y2 + nosuch\nlevel: 2\n fb =~ y1 + y2 + y3', /"nosuch", which is neither a latent variable nor a column/],
    ['a level-2 variable that varies within clusters', 'level: 1\n fw =~ y1 + y2 + y3\nlevel: 2\n fb =~ y1 + y2 + y3\n fb ~ x1', /x1 appears only at level 2 but varies within cluster/],
    ['a covariate at both levels', 'level: 1\n fw =~ y1 + y2 + y3\n fw ~ x1\nlevel: 2\n fb =~ y1 + y2 + y3 + x1', /x1 is a covariate at level 1 and also appears at level 2/],
    ['a level swapped', 'level: 2\n fb =~ y1 + y2 + y3\nlevel: 1\n fw =~ y1 + y2 + y3', /"level: 1" before "level: 2"/],
  ];
  for (const [what, model, message] of cases) {
    it(what, () => {
      expect(() => fitTwoLevel(demo, model)).toThrow(InputError);
      expect(() => fitTwoLevel(demo, model)).toThrow(message);
    });
  }
  it('full-information ML', () => {
    expect(() => fitTwoLevel(demo, ref.demo.model, { missing: 'ml' })).toThrow(/missing = "ml" is not supported for two-level models/);
  });
  it('rows with a missing value are dropped listwise, and a cluster column of one cluster is refused', () => {
    const rows = demo.rows.map((r, i) => (i === 3 ? r.map((v, j) => (j === 0 ? NaN : v)) : r));
    const r = fitTwoLevel({ ...demo, rows }, ref.demo.model, { standardErrors: false });
    expect(r.n).toBe(2499);
    expect(() => fitTwoLevel({ ...demo, clusters: demo.clusters.map(() => 'one') }, ref.demo.model)).toThrow(/at least 2 clusters/);
  });
});
