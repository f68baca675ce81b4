import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOrdinalSem, type OrdinalOptions } from '../../analysis/index.js';
import { ordinalData } from '../../analysis/sem/ordinal/fit_ordinal.js';
import { ordinalGroupSample } from '../../analysis/sem/ordinal/ordinal_sample_statistics.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { expectEstimates, expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14, cfa(..., ordered = ..., estimator = ...): test/fixtures/r/sem-ordinal.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-ordinal.json'), 'utf8'));

const CASES: [string, string, string | undefined, OrdinalOptions][] = [
  ['hsWlsmv', 'r/sem-ordinal-hs.csv', undefined, {}],
  ['hsTheta', 'r/sem-ordinal-hs.csv', undefined, { parameterization: 'theta' }],
  ['hsDwls', 'r/sem-ordinal-hs.csv', undefined, { estimator: 'dwls' }],
  ['hsUls', 'r/sem-ordinal-hs.csv', undefined, { estimator: 'uls' }],
  ['hsStdLv', 'r/sem-ordinal-hs.csv', undefined, { stdLv: true }],
  ['hsSchool', 'r/sem-ordinal-hs.csv', 'school', {}],
  ['bfiWlsmv', 'bfi.csv', undefined, {}],
];

describe('ordinal sample statistics (lavaan muthen1984)', () => {
  for (const [name, csv, group] of [['hsWlsmv', 'r/sem-ordinal-hs.csv', undefined], ['hsSchool', 'r/sem-ordinal-hs.csv', 'school']] as const) {
    it(`${name}: thresholds and polychorics within 1e-6, NACOV (Gamma) within 1e-6 relative`, () => {
      const c = ref[name];
      const input = fixtureData(csv, c.model, group);
      const labels = group ? [...new Set(input.groups!.filter((g): g is string => g !== null))] : [''];
      const data = ordinalData(input, input.columns, labels, group ? input.groups!.map((g) => labels.indexOf(g!)) : input.rows.map(() => 0));
      data.codes.forEach((codes, g) => {
        const s = ordinalGroupSample(codes, data.categories);
        const want = c.sample[g];
        const K = s.statistics.length;
        want.thresholds.forEach((v: number, k: number) => expect(Math.abs(s.statistics[k] - v)).toBeLessThan(1e-6));
        const p = data.categories.length;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(Math.abs(s.cor[i * p + j] - want.cor[i][j])).toBeLessThan(1e-6);
        want.gammaDiag.forEach((v: number, k: number) => expect(Math.abs(s.gammaDiagonal[k] - v) / v).toBeLessThan(1e-6));
        // whole rows of NACOV = LᵀL against lavaan's Gamma
        for (const [row, wantRow] of [[0, want.gammaFirstRow], [K - 1, want.gammaLastRow]] as const) {
          for (let k = 0; k < K; k++) {
            let v = 0;
            for (let r = 0; r < s.n; r++) v += s.gammaFactor[r * K + row] * s.gammaFactor[r * K + k];
            expect(Math.abs(v - wantRow[k])).toBeLessThan(1e-6 * Math.max(1, Math.abs(wantRow[k])));
          }
        }
      });
    });
  }
});

describe('ordinal CFA (lavaan ordered = TRUE: WLSMV, DWLS, ULS; delta and theta)', () => {
  for (const [name, csv, group, options] of CASES) {
    it(`${name}: estimates, SEs, std.all, chi-square, scaled-shifted test and scaled/robust indices`, () => {
      const c = ref[name];
      const r = fitOrdinalSem(fixtureData(csv, c.model, group), c.model, options);
      expect(r.n).toBe(c.n);
      expect(r.converged).toBe(true);
      expectFit(r.fit as never, c.fit);
      expectEstimates(r.estimates, c.estimates);
      if (c.shift !== null) expect(Math.abs((r.fit as { shiftParameter?: number }).shiftParameter! - c.shift)).toBeLessThan(1e-3);
      if (c.fit.scalingFactor !== undefined) expect(Math.abs(r.fit.scalingFactor! - c.fit.scalingFactor)).toBeLessThan(1e-4);
      expect(r.fit.chisqScaled === undefined).toBe(c.fit.chisqScaled === undefined);
    }, 60_000);
  }

  it('the implied y* correlations reproduce ΛΦΛᵀ + Θ with a unit diagonal (delta)', () => {
    const c = ref.hsWlsmv;
    const r = fitOrdinalSem(fixtureData('r/sem-ordinal-hs.csv', c.model), c.model);
    const theta = r.estimates.filter((e) => e.op === '~~' && e.lhs === e.rhs && e.lhs.startsWith('x'));
    const loading = (v: string) => r.estimates.find((e) => e.op === '=~' && e.rhs === v)!;
    for (const t of theta) {
      const l = loading(t.lhs);
      const psi = r.estimates.find((e) => e.op === '~~' && e.lhs === l.lhs && e.rhs === l.lhs)!.est;
      expect(l.est * l.est * psi + t.est).toBeCloseTo(1, 10);
      expect(t.se).toBe(0);
    }
  });

  it('rejects what lavaan rejects, naming the argument', () => {
    const model = 'f =~ x1 + x2 + x3';
    const rows = [[1, 2, 1], [2, 2, 1], [1, 1, 2], [2, 1, 2]];
    expect(() => fitOrdinalSem({ columns: ['x1', 'x2', 'x3'], rows: [...rows, [1.5, 1, 1]] }, model)).toThrow(/x1 has the non-integer value 1.5/);
    expect(() => fitOrdinalSem({ columns: ['x1', 'x2', 'x3'], rows: rows.map((r) => [1, r[1], r[2]]) }, model)).toThrow(/x1 has a single answer category/);
    expect(() =>
      fitOrdinalSem({ columns: ['x1', 'x2', 'x3'], rows: [...rows, [3, 1, 1], ...rows], groups: ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] }, model),
    ).toThrow(/x1 has no answers in category 3 in group b/);
  });

  it('seici cfa --ordered all (--parameterization theta, --estimator uls); bad flags exit 2 with one sentence', () => {
    const ok = seici(['cfa', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--ordered', 'all', '--parameterization', 'theta', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(Math.abs(ok.json.fit.chisqScaled - ref.hsTheta.fit.chisqScaled)).toBeLessThan(1e-3);
    expect(Math.abs(ok.json.fit.cfiRobust - ref.hsTheta.fit.cfiRobust)).toBeLessThan(1e-3);
    expect(ok.json.options.estimator).toBe('wlsmv');
    const uls = seici(['cfa', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--ordered', 'x1,x2,x3,x4,x5,x6,x7,x8,x9', '--estimator', 'uls', '--json']);
    expect(uls.status, uls.stderr).toBe(0);
    expect(Math.abs(uls.json.fit.chisq - ref.hsUls.fit.chisq)).toBeLessThan(1e-3);
    const partial = seici(['cfa', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--ordered', 'x1,x2']);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toMatch(/--ordered must cover every observed variable/);
    const est = seici(['cfa', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--ordered', 'all', '--estimator', 'mlr']);
    expect(est.status).toBe(2);
    expect(est.stderr).toMatch(/--estimator must be one of wlsmv, dwls, uls/);
    const par = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--parameterization', 'theta']);
    expect(par.status).toBe(2);
    expect(par.stderr).toMatch(/--parameterization applies to ordered indicators/);
  }, 60_000);
});

describe('WLSMV traces in statistic and case space', () => {
  it('tr(UΓ), tr((UΓ)²), the meat and the baseline traces agree whichever space they are summed in', async () => {
    const { wlsRobustMoments } = await import('../../analysis/sem/ordinal/wls_robust.js');
    const c = ref.hsSchool;
    const r = fitOrdinalSem(fixtureData('r/sem-ordinal-hs.csv', c.model, 'school'), c.model);
    const it = (r as unknown as { internal: any }).internal;
    const gamma = it.samples.map((s: any) => ({ factor: s.gammaFactor, n: s.n, nThresholds: s.nThresholds }));
    const a = wlsRobustMoments(it.groups, it.jacobian, gamma, it.eInv, it.model.nFree, 'statistics');
    const b = wlsRobustMoments(it.groups, it.jacobian, gamma, it.eInv, it.model.nFree, 'cases');
    for (const k of ['traceUG', 'traceUG2', 'baselineTraceUG', 'baselineTraceUG2'] as const) expect(Math.abs(a[k] - b[k]) / Math.abs(a[k])).toBeLessThan(1e-10);
    a.meat.forEach((v: number, k: number) => expect(Math.abs(v - b.meat[k])).toBeLessThan(1e-10 * (1 + Math.abs(v))));
  }, 60_000);
});
