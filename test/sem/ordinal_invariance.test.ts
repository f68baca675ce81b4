import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ordinalInvariance } from '../../analysis/index.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { expectFit, fixtureData } from './helpers.js';

// semTools 0.5.6 measEq.syntax (Wu & Estabrook, std.lv, delta) + lavaan 0.6.14 WLSMV + lavTestLRT:
// test/fixtures/r/sem-ordinal-invariance.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-ordinal-invariance.json'), 'utf8'));

describe('ordinal invariance (Wu & Estabrook identification, WLSMV, scaled-shifted difference tests)', () => {
  for (const [name, csv] of [['hsSchool', 'r/sem-ordinal-hs.csv'], ['bfiGender', 'bfi.csv']] as const) {
    it(`${name}: each level's fit and each lavTestLRT difference equal lavaan's`, () => {
      const c = ref[name];
      const r = ordinalInvariance(fixtureData(csv, c.model, c.group), c.model);
      expect(r.n).toBe(c.n);
      expect(r.models.map((m) => m.level)).toEqual(['configural', 'thresholds', 'loadings', 'intercepts']);
      r.models.forEach((m, i) => {
        const want = c.models[i];
        expect(m.converged).toBe(true);
        expect(m.npar).toBe(want.npar);
        expectFit(m as never, want, `models[${m.level}]`);
        // lavaan reports the cat-ML robust indices only while the thresholds are free
        expect(m.cfiRobust === undefined).toBe(want.cfiRobust === null);
      });
      r.comparisons.forEach((cmp, i) => {
        const want = c.comparisons[i];
        expect(cmp.from).toBe(want.from);
        expect(cmp.dfDiff).toBe(want.dfDiff);
        expect(Math.abs(cmp.chisqDiff - want.chisqDiff)).toBeLessThan(1e-3);
        expect(Math.abs(cmp.p - want.p)).toBeLessThan(1e-4);
        expect(cmp.holds).toBe(cmp.deltaCfi >= -0.01 && cmp.deltaRmsea <= 0.015);
      });
    }, 120_000);
  }

  it('seici invariance --ordered all; levels of the continuous path are refused with one sentence', () => {
    const ok = seici(['invariance', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--ordered', 'all', '--levels', 'configural,thresholds', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(Math.abs(ok.json.comparisons[0].chisqDiff - ref.hsSchool.comparisons[0].chisqDiff)).toBeLessThan(1e-3);
    const bad = seici(['invariance', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--ordered', 'all', '--levels', 'configural,metric']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/with --ordered, --levels must name levels among configural, thresholds, loadings, intercepts; got "metric"/);
    const est = seici(['invariance', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--estimator', 'wlsmv']);
    expect(est.status).toBe(2);
    expect(est.stderr).toMatch(/--estimator applies to ordered indicators/);
  }, 120_000);
});
