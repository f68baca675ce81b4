import { describe, expect, it } from 'vitest';
import { fitSem, type SemOptions } from '../../analysis/index.js';
import { evaluateModel, type EstimationData } from '../../analysis/sem/objective.js';
import type { ModelStructure } from '../../analysis/sem/model_matrices.js';
import { observedInformation } from '../../analysis/sem/observed_information.js';
import { fixtureData, references } from './helpers.js';

const HS = 'visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9';
// structural regressions (B ≠ 0) and a residual covariance
const HS_REG = `${HS}\nspeed ~ visual + textual\nx1 ~~ x4`;

/** ½∂²F/∂θ∂θᵀ by central differences of the analytic gradient (step 1e-5·max(1, |θ|)). */
function numericInformation(model: ModelStructure, data: EstimationData, x: Float64Array): Float64Array {
  const q = model.nFree;
  const h = new Float64Array(q * q);
  const xp = Float64Array.from(x);
  for (let k = 0; k < q; k++) {
    const step = 1e-5 * Math.max(1, Math.abs(x[k]));
    xp[k] = x[k] + step;
    const up = evaluateModel(model, data, xp, true)!.gradient!;
    xp[k] = x[k] - step;
    const down = evaluateModel(model, data, xp, true)!.gradient!;
    xp[k] = x[k];
    for (let j = 0; j < q; j++) h[j * q + k] = (up[j] - down[j]) / (4 * step);
  }
  return h;
}

describe('analytic observed information (lavaan information = "observed")', () => {
  const cases: [string, string, string, string | undefined, SemOptions][] = [
    ['FIML, one group', 'r/sem-hs1939-missing.csv', HS, undefined, { missing: 'ml' }],
    ['FIML with regressions and a residual covariance', 'r/sem-hs1939-missing.csv', HS_REG, undefined, { missing: 'ml' }],
    ['FIML by school, equal loadings and intercepts (free latent means)', 'r/sem-hs1939-missing.csv', HS, 'school', { missing: 'ml', groupEqual: ['loadings', 'intercepts'] }],
    ['complete data with regressions', 'hs1939.csv', HS_REG, undefined, {}],
    ['complete data with regressions and means', 'hs1939.csv', HS_REG, undefined, { meanstructure: true }],
  ];
  for (const [name, csv, model, group, options] of cases) {
    it(`${name}: equals the numerical Hessian of the analytic gradient`, () => {
      const r = fitSem(fixtureData(csv, model, group), model, options);
      const { model: structure, data, x } = r.internal;
      const analytic = observedInformation(structure, data, x)!;
      const numeric = numericInformation(structure, data, x);
      let scale = 0;
      for (const v of numeric) scale = Math.max(scale, Math.abs(v));
      for (let k = 0; k < analytic.length; k++) expect(Math.abs(analytic[k] - numeric[k])).toBeLessThan(1e-7 * scale);
      // symmetric by construction
      const q = structure.nFree;
      for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) expect(analytic[a * q + b]).toBe(analytic[b * q + a]);
    });
  }

  it('gives lavaan\'s FIML standard errors to 1e-5 (one group and two groups with equal loadings and intercepts)', () => {
    for (const [name, group, groupEqual] of [['fimlSingle', undefined, []], ['fimlSchoolScalar', 'school', ['loadings', 'intercepts']]] as const) {
      const ref = references[name];
      const r = fitSem(fixtureData('r/sem-hs1939-missing.csv', ref.model, group), ref.model, { missing: 'ml', groupEqual: [...groupEqual] });
      expect(r.options.information).toBe('observed');
      const key = (e: { lhs: string; op: string; rhs: string; group?: string }) => `${e.lhs}|${e.op}|${e.rhs}|${e.group ?? ''}`;
      const got = new Map(r.estimates.map((e) => [key(e), e]));
      let compared = 0;
      for (const e of ref.estimates) {
        if (!(e.se > 0)) continue;
        expect(Math.abs(got.get(key(e))!.se - e.se), `${name} ${key(e)}`).toBeLessThan(1e-5);
        compared++;
      }
      expect(compared).toBeGreaterThan(20);
    }
  });
});
