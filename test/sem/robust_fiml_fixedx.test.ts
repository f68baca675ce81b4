import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSem, type GroupEqual } from '../../analysis/index.js';
import { fimlCorrectedTest } from '../../analysis/sem/fiml_corrected.js';
import { FIXTURES } from '../helpers/cli.js';
import { expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14, missing = "ml", estimator = "MLR", fixed.x = TRUE: test/fixtures/r/sem-robust-fiml-fixedx.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-robust-fiml-fixedx.json'), 'utf8'));

function fit(name: string) {
  const c = ref[name];
  const groupEqual = (c.groupEqual === null ? [] : [c.groupEqual].flat()) as GroupEqual[];
  const data = fixtureData(c.csv, c.model, c.group ?? undefined);
  const missing = name.startsWith('hsComplete') ? 'listwise' : 'ml';
  return { c, data, r: fitSem(data, c.model, { estimator: 'mlr', missing, groupEqual }) };
}

describe('MLR under FIML with fixed exogenous covariates: scaled χ² and robust CFI/TLI/RMSEA as lavaan', () => {
  // hsComplete*: complete data (no FIML), where the scaled χ²'s saturated part leaves the covariate out too
  for (const name of ['hsAge', 'hsAgeSchool', 'hsAgeSchoolMetric', 'fixedX', 'bfiAge', 'hsCompleteAge', 'hsCompleteAgeSchool']) {
    it(`${name}: χ², scaled χ², scaling factors, scaled and robust indices`, () => {
      const { c, r } = fit(name);
      expect(r.n).toBe(c.n);
      expect(r.options.fixedX).toBe(true);
      expect(r.diagnostics.warnings.filter((w) => /robust/.test(w))).toEqual([]);
      expectFit(r.fit as never, c.fit);
      // the χ² and the baseline's parts (the saturated and independence models' closed forms) to 1e-6
      for (const key of ['chisq', 'baselineChisq', 'baselineScalingFactor'] as const)
        expect(Math.abs(r.fit[key]! - c.fit[key]) / Math.abs(c.fit[key]), `${key}: ${r.fit[key]} vs lavaan ${c.fit[key]}`).toBeLessThan(1e-6);
      // the model's scaling factor holds tr(A⁻¹B) at the estimates, and lavaan's A is a numerical
      // Hessian: 1e-5 (hsAgeSchool differs by 2.9e-6 with χ² equal to 4e-10)
      for (const key of ['chisqScaled', 'scalingFactor'] as const)
        expect(Math.abs(r.fit[key]! - c.fit[key]) / Math.abs(c.fit[key]), `${key}: ${r.fit[key]} vs lavaan ${c.fit[key]}`).toBeLessThan(1e-5);
      expect([r.fit.df, r.fit.baselineDf]).toEqual([c.fit.df, c.fit.baselineDf]);
    });
  }

  for (const name of ['hsAge', 'hsAgeSchoolMetric', 'fixedX', 'bfiAge']) {
    it(`${name}: the FIML-corrected statistics and their scaling factors equal lavaan's`, () => {
      const { c, data, r } = fit(name);
      const { model, evaluation, data: est } = r.internal;
      const idx = model.observed.map((v) => data.columns.indexOf(v));
      const onModel = data.rows.map((row) => idx.map((j) => row[j]));
      const exo = ['age', 'ageyr', 'grade'].map((v) => model.observed.indexOf(v)).filter((j) => j >= 0);
      // each group's rows with an observed model variable and every covariate observed, in the fit's group order
      const rows = est.samples.map((s) =>
        onModel.filter((row, i) => (data.groups ? data.groups[i] === s.label : true) && row.some((v) => !Number.isNaN(v)) && exo.every((j) => !Number.isNaN(row[j]))),
      );
      const k = fimlCorrectedTest(model, evaluation, rows, est.samples, r.fit.df, r.fit.baselineDf, exo)!;
      const want = c.corrected;
      for (const key of ['chisq', 'scalingFactor', 'baselineChisq', 'baselineScalingFactor'] as const)
        expect(Math.abs(k[key] - want[key]) / Math.abs(want[key]), `${key}: ${k[key]} vs lavaan ${want[key]}`).toBeLessThan(1e-6);
      expect([k.df, k.baselineDf]).toEqual([want.df, want.baselineDf]);
    });
  }
});
