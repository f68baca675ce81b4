import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOrdinalInvarianceLevel, ordinalInvariance, ordinalScoreTests, type OrdinalInvarianceLevel } from '../../analysis/index.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14 lavTestScore(fit)$uni and modindices(fit, op = "~1") on semTools 0.5.6 measEq.syntax
// WLSMV fits (Wu & Estabrook, std.lv, delta): test/fixtures/r/sem-ordinal-score.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-ordinal-score.json'), 'utf8'));

describe('score tests of ordinal invariance models (lavTestScore, modindices)', () => {
  for (const [name, csv] of [['hsSchool', 'r/sem-ordinal-hs.csv'], ['bfiGender', 'bfi.csv']] as const) {
    for (const level of ['thresholds', 'loadings', 'intercepts'] as OrdinalInvarianceLevel[]) {
      it(`${name} ${level}: every univariate statistic equals lavaan's within 1e-3`, () => {
        const c = ref[name];
        const want = c[level];
        const fit = fitOrdinalInvarianceLevel(fixtureData(csv, c.model, c.group), c.model, level);
        const tests = ordinalScoreTests(fit);
        const eq = tests.filter((t) => t.kind === 'equality');
        expect(eq.length).toBe(want.univariate.length);
        for (const u of want.univariate) {
          const got = eq.find((t) => t.lhs === u.lhs && t.op === u.op && t.rhs === u.rhs && t.group === String(u.group));
          expect(got, `${u.lhs}${u.op}${u.rhs} in ${u.group}`).toBeDefined();
          expect(Math.abs(got!.x2 - u.x2), `${u.lhs}${u.op}${u.rhs}: ${got!.x2} vs ${u.x2}`).toBeLessThan(1e-3);
        }
        const fixed = tests.filter((t) => t.kind === 'fixed');
        expect(fixed.length).toBe(want.intercepts.length);
        for (const m of want.intercepts) {
          const got = fixed.find((t) => t.lhs === m.lhs && t.group === String(m.group));
          expect(got, `${m.lhs}~1 in ${m.group}`).toBeDefined();
          // lavaan's own two groups' statistics for the same release differ by up to 2e-4 (its optimum's precision)
          expect(Math.abs(got!.x2 - m.mi), `${m.lhs}~1 in ${m.group}: ${got!.x2} vs ${m.mi}`).toBeLessThan(1e-3 * Math.max(1, m.mi));
          expect(Math.abs(got!.epc - m.epc)).toBeLessThan(1e-3);
        }
      }, 60_000);
    }
  }

  const hs = ref.hsSchool;
  const hsData = () => fixtureData('r/sem-ordinal-hs.csv', hs.model, hs.group);
  const none = { loadings: [], thresholds: [], intercepts: [] };

  it('releases as semTools writes them: all of an item\'s thresholds (intercept and scale fixed), an intercept in the later group', () => {
    const a = fitOrdinalInvarianceLevel(hsData(), hs.model, 'loadings', { ...none, thresholds: ['x4'] });
    expect(a.fit.npar).toBe(hs.partial.loadingsX4Thresholds.npar);
    expectFit(a.fit as never, hs.partial.loadingsX4Thresholds, 'loadings, x4|*');
    const b = fitOrdinalInvarianceLevel(hsData(), hs.model, 'intercepts', { ...none, intercepts: ['x7'] });
    expect(b.fit.npar).toBe(hs.partial.interceptsX7.npar);
    expectFit(b.fit as never, hs.partial.interceptsX7, 'intercepts, x7~1');
    const mi = ordinalScoreTests(b).filter((t) => t.kind === 'fixed' && t.group === 'Grant-White');
    expect(mi.map((t) => t.lhs).sort()).toEqual(hs.partial.interceptsX7.mi.map((m: { lhs: string }) => m.lhs).sort());
    for (const m of hs.partial.interceptsX7.mi) {
      const got = mi.find((t) => t.lhs === m.lhs)!;
      expect(Math.abs(got.x2 - m.mi), `${m.lhs}~1`).toBeLessThan(1e-3 * Math.max(1, m.mi));
    }
  }, 60_000);

  it('ordinalInvariance with partial: releases the strongest intercept until the comparison holds; the final model equals lavaan\'s', () => {
    const r = ordinalInvariance(hsData(), hs.model, { partial: true });
    expect(r.options.partial).toBe(true);
    const step = r.partial!.find((p) => p.level === 'intercepts')!;
    expect(step.freed).toEqual(['x7~1', 'x3~1']);
    // the first release is chosen on the unreleased fit: lavaan's largest modindex there
    const first = ref.hsSchool.intercepts.intercepts.filter((m: { group: string }) => m.group === 'Grant-White').sort((x: { mi: number }, y: { mi: number }) => y.mi - x.mi)[0];
    expect(Math.abs(step.scores[0] - first.mi)).toBeLessThan(1e-3 * first.mi);
    expect(step.holds).toBe(true);
    const last = r.models.find((m) => m.level === 'intercepts')!;
    expect(last.freed).toEqual(['x7~1', 'x3~1']);
    expect(last.npar).toBe(hs.partial.interceptsX7X3.npar);
    expectFit(last as never, hs.partial.interceptsX7X3, 'intercepts, x7~1 x3~1');
    expect(r.comparisons[2].holds).toBe(true);
    // without the search the intercepts level fails and nothing is freed
    const plain = ordinalInvariance(hsData(), hs.model);
    expect(plain.partial).toBeUndefined();
    expect(plain.comparisons[2].holds).toBe(false);
    expect(plain.models.every((m) => m.freed.length === 0)).toBe(true);
  }, 120_000);

  it('seici invariance --ordered all --partial', () => {
    const out = seici(['invariance', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--ordered', 'all', '--partial', '--json']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.json.partial[0].freed).toEqual(['x7~1', 'x3~1']);
    expect(Math.abs(out.json.models[3].chisqScaled - hs.partial.interceptsX7X3.chisqScaled)).toBeLessThan(1e-4 * hs.partial.interceptsX7X3.chisqScaled);
    const text = seici(['invariance', '--csv', 'r/sem-ordinal-hs.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--ordered', 'all', '--partial']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/partial intercepts: freed x7~1 \(score 18\.5\d\), x3~1 \(score 16\.9\d\); holds/);
  }, 120_000);
});
