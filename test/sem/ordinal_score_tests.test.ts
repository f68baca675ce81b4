import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOrdinalInvarianceLevel, ordinalScoreTests, type OrdinalInvarianceLevel } from '../../analysis/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { fixtureData } from './helpers.js';

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
});
