import { describe, expect, it } from 'vitest';
import { fitSem } from '../../analysis/index.js';
import { fixtureData, fixtureText } from './helpers.js';

// lavaan 0.6.14: test/fixtures/r/sem-user-exogenous.R
const reference = JSON.parse(fixtureText('r/sem-user-exogenous.json')) as Record<string, { model: string; fit: Record<string, number> }>;

describe('a predictor the user names in a variance or covariance (lavaan: not a fixed.x covariate)', () => {
  for (const [name, { model, fit: want }] of Object.entries(reference)) {
    it(`${name}: χ², df, the baseline model, CFI and TLI equal lavaan's`, () => {
      const fit = fitSem(fixtureData('r/sem-user-exogenous.csv', model), model).fit;
      expect(fit.df).toBe(want.df);
      expect(fit.baselineDf).toBe(want['baseline.df']);
      expect(Math.abs(fit.baselineChisq - want['baseline.chisq']) / want['baseline.chisq']).toBeLessThan(1e-6);
      expect(Math.abs(fit.chisq - want.chisq)).toBeLessThan(1e-6 * Math.max(1, want.chisq));
      expect(Math.abs(fit.cfi - want.cfi)).toBeLessThan(1e-6);
      expect(Math.abs(fit.tli - want.tli)).toBeLessThan(1e-6);
    });
  }
});
