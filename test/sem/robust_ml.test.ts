import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSem } from '../../analysis/index.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { expectEstimates, expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14, estimator = "MLR": test/fixtures/r/sem-robust.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-robust.json'), 'utf8'));

describe('robust ML (lavaan estimator = "MLR", complete data and FIML)', () => {
  for (const [name, csv, group] of [
    ['hs1939', 'hs1939.csv', undefined],
    ['hs1939School', 'hs1939.csv', 'school'],
    ['bfi', 'bfi.csv', undefined],
    ['hs1939Fiml', 'r/sem-hs1939-missing.csv', undefined],
    ['hs1939FimlSchool', 'r/sem-hs1939-missing.csv', 'school'],
    ['bfiFiml', 'bfi.csv', undefined],
  ] as const) {
    it(`${name}: sandwich SEs, Yuan–Bentler scaled chi-square, scaled and robust CFI/TLI/RMSEA`, () => {
      const c = ref[name];
      const missing = name.includes('Fiml') ? 'ml' : 'listwise';
      const r = fitSem(fixtureData(csv, c.model, group), c.model, { estimator: 'mlr', missing });
      expect(r.n).toBe(c.n);
      expect(r.options.estimator).toBe('mlr');
      // under FIML the robust CFI/TLI/RMSEA come from the FIML-corrected test (fiml_corrected.ts; test/sem/robust_fiml.test.ts)
      expectFit(r.fit as never, c.fit);
      expectEstimates(r.estimates, c.estimates);
      // the scaling factor is a ratio of traces: it must hold tighter than the 1e-3 of the indices
      expect(Math.abs(r.fit.scalingFactor! - c.fit.scalingFactor)).toBeLessThan(1e-4);
    });
  }

  it('leaves the ML fit itself unchanged', () => {
    const c = ref.hs1939;
    const ml = fitSem(fixtureData('hs1939.csv', c.model), c.model);
    const mlr = fitSem(fixtureData('hs1939.csv', c.model), c.model, { estimator: 'mlr' });
    expect(mlr.fit.chisq).toBeCloseTo(ml.fit.chisq, 8);
    expect(ml.fit.chisqScaled).toBeUndefined();
  });

  it('seici cfa --estimator mlr, with --missing ml too; an unknown estimator exits 2', () => {
    const ok = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--estimator', 'mlr', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(Math.abs(ok.json.fit.chisqScaled - ref.hs1939.fit.chisqScaled)).toBeLessThan(1e-3);
    const fiml = seici(['cfa', '--csv', 'r/sem-hs1939-missing.csv', '--model', 'hs1939-3factor.lav', '--estimator', 'mlr', '--missing', 'ml', '--json']);
    expect(fiml.status, fiml.stderr).toBe(0);
    expect(Math.abs(fiml.json.fit.scalingFactor - ref.hs1939Fiml.fit.scalingFactor)).toBeLessThan(1e-4);
    const bad = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--estimator', 'wls']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--estimator must be one of ml, mlr/);
  });
});
