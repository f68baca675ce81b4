import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSem, type GroupEqual } from '../../analysis/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { fimlCorrectedTest } from '../../analysis/sem/fiml_corrected.js';
import { expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14, missing = "ml", estimator = "MLR": test/fixtures/r/sem-robust-fiml.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-robust-fiml.json'), 'utf8'));

const CASES = [
  ['hs1939', 'hs1939.csv'],
  ['hs1939Fiml', 'r/sem-hs1939-missing.csv'],
  ['hs1939FimlSchool', 'r/sem-hs1939-missing.csv'],
  ['hs1939FimlSchoolMetric', 'r/sem-hs1939-missing.csv'],
  ['hs1939FimlSchoolScalar', 'r/sem-hs1939-missing.csv'],
  ['bfi', 'bfi.csv'],
  ['bfiFiml', 'bfi.csv'],
  ['bfiFimlGender', 'bfi.csv'],
] as const;

describe('robust CFI/TLI/RMSEA of MLR, under FIML from the FIML-corrected test (lavaan lav_fit_fiml_corrected)', () => {
  for (const [name, csv] of CASES) {
    it(`${name}: cfi.robust, tli.robust, rmsea.robust with its interval and close-fit p-value`, () => {
      const c = ref[name];
      const missing = name.includes('Fiml') ? 'ml' : 'listwise';
      const groupEqual = (c.groupEqual === undefined ? [] : [c.groupEqual].flat()) as GroupEqual[];
      const r = fitSem(fixtureData(csv, c.model, c.group ?? undefined), c.model, { estimator: 'mlr', missing, groupEqual });
      expect(r.n).toBe(c.n);
      expect(r.diagnostics.warnings.filter((w) => /robust/.test(w))).toEqual([]);
      expectFit(r.fit as never, c.fit);
    });
  }

  for (const name of ['hs1939FimlSchoolMetric', 'bfiFiml'] as const) {
    it(`${name}: the corrected statistics and their scaling factors equal lavaan's`, () => {
      const c = ref[name];
      const data = fixtureData(name.startsWith('bfi') ? 'bfi.csv' : 'r/sem-hs1939-missing.csv', c.model, c.group ?? undefined);
      const groupEqual = (c.groupEqual === undefined ? [] : [c.groupEqual].flat()) as GroupEqual[];
      const r = fitSem(data, c.model, { estimator: 'mlr', missing: 'ml', groupEqual });
      const { model, evaluation, data: est } = r.internal;
      // each group's rows with at least one observed model variable, in the fit's group order
      const idx = model.observed.map((v) => data.columns.indexOf(v));
      const onModel = data.rows.map((row) => idx.map((j) => row[j]));
      const rows = est.samples.map((s) => onModel.filter((row, i) => (data.groups ? data.groups[i] === s.label : true) && row.some((v) => !Number.isNaN(v))));
      const k = fimlCorrectedTest(model, evaluation, rows, est.samples, r.fit.df, r.fit.baselineDf)!;
      const want = c.corrected;
      for (const key of ['chisq', 'scalingFactor', 'baselineChisq', 'baselineScalingFactor'] as const)
        expect(Math.abs(k[key] - want[key]) / Math.abs(want[key]), `${key}: ${k[key]} vs lavaan ${want[key]}`).toBeLessThan(1e-5);
      expect([k.df, k.baselineDf]).toEqual([want.df, want.baselineDf]);
    });
  }
});
