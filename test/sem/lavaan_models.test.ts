import { describe, expect, it } from 'vitest';
import { fitSem, InputError, measurementInvariance, modificationIndices } from '../../analysis/index.js';
import { expectEstimates, expectFit, fixtureData, references } from './helpers.js';

// Models the contract cases lack, against lavaan 0.6.14 (test/fixtures/r/sem-references.R).
describe('models beyond the contract cases match lavaan', () => {
  const cases: [string, string, string][] = [
    ['politicalDemocracy', 'political-democracy.csv', 'structural regressions, residual covariances, equality labels'],
    ['politicalDemocracyFree', 'political-democracy.csv', 'the tutorial model without labels'],
    ['crossLoading', 'hs1939.csv', 'a cross-loading'],
    ['latentMean', 'hs1939.csv', 'a latent mean identified by a fixed intercept (~1)'],
    ['equalLabels', 'hs1939.csv', 'loadings and residual variances equal by label'],
    ['equalIntercepts', 'hs1939.csv', 'intercepts equal by label (misspecified; needs the quasi-Newton fallback)'],
    ['mimic', 'hs1939.csv', 'a regression on an observed covariate (fixed.x)'],
    ['pathModel', 'hs1939.csv', 'a path model among observed variables (fixed.x covariates in the baseline)'],
    ['defined', 'hs1939.csv', 'defined parameters (:=) with delta-method standard errors'],
    ['secondOrder', 'hs1939.csv', 'a second-order factor'],
    ['heywood', 'r/sem-heywood.csv', 'a Heywood case'],
    ['observedOutcome', 'hs1939.csv', 'an observed outcome regressed on two factors'],
    ['fimlSingle', 'r/sem-hs1939-missing.csv', 'full-information ML with 10% missing'],
  ];
  for (const [name, csv, what] of cases) {
    it(`${name}: ${what}`, () => {
      const ref = references[name];
      const r = fitSem(fixtureData(csv, ref.model), ref.model, { missing: name.startsWith('fiml') ? 'ml' : 'listwise' });
      expect(r.converged).toBe(true);
      expect(r.n).toBe(ref.n);
      expectFit(r.fit as unknown as Record<string, unknown>, ref.fit);
      expectEstimates(r.estimates, ref.estimates);
      // R² of indicators and latent outcomes (lavaan::inspect(fit, "r2"))
      for (const [v, want] of Object.entries(ref.r2 ?? {})) {
        const got = r.r2.find((x) => x.variable === v);
        expect(got, `r2 of ${v}`).toBeDefined();
        if (want === null) expect(got!.r2, `r2 of ${v} (lavaan: NA)`).toBeNaN();
        else expect(Math.abs(got!.r2 - (want as number)), `r2 of ${v}`).toBeLessThan(1e-3);
      }
    });
  }

  it('two groups with group.partial: x3~1 and visual=~x2 exempt from equal loadings and intercepts', () => {
    const ref = references.groupPartial;
    const r = fitSem(fixtureData('hs1939.csv', ref.model, 'school'), ref.model, {
      groupEqual: ['loadings', 'intercepts'],
      groupPartial: ['x3~1', 'visual =~ x2'],
    });
    expectFit(r.fit as unknown as Record<string, unknown>, ref.fit);
    expectEstimates(r.estimates, ref.estimates);
  });

  it('two groups with per-group modifiers c(...)', () => {
    const ref = references.groupModifiers;
    const r = fitSem(fixtureData('hs1939.csv', ref.model, 'school'), ref.model);
    expectFit(r.fit as unknown as Record<string, unknown>, ref.fit);
    expectEstimates(r.estimates, ref.estimates);
  });

  it('rejects a group-partial parameter the model does not have', () => {
    const model = 'visual =~ x1 + x2 + x3';
    expect(() => fitSem(fixtureData('hs1939.csv', model, 'school'), model, { groupEqual: ['loadings'], groupPartial: ['visual=~x9'] })).toThrow(
      /groupPartial names "visual=~x9", which is not a parameter of the model/,
    );
  });

  for (const [name, equal] of [
    ['fimlSchool', []],
    ['fimlSchoolScalar', ['loadings', 'intercepts']],
  ] as const) {
    it(`${name}: full-information ML in two groups${equal.length ? ' with equal loadings and intercepts' : ''}`, () => {
      const ref = references[name];
      const r = fitSem(fixtureData('r/sem-hs1939-missing.csv', ref.model, 'school'), ref.model, { missing: 'ml', groupEqual: [...equal] });
      expect(r.converged).toBe(true);
      expect(r.n).toBe(ref.n);
      expectFit(r.fit as unknown as Record<string, unknown>, ref.fit);
      expectEstimates(r.estimates, ref.estimates);
    });
  }

  it('PoliticalDemocracy without labels: chi-square 38.125 on 35 df', () => {
    const ref = references.politicalDemocracyFree;
    const r = fitSem(fixtureData('political-democracy.csv', ref.model), ref.model);
    expect(r.fit.chisq).toBeCloseTo(38.125, 3);
    expect(r.fit.df).toBe(35);
  });

  it('reports the Heywood case in diagnostics', () => {
    const ref = references.heywood;
    const r = fitSem(fixtureData('r/sem-heywood.csv', ref.model), ref.model);
    const theta = r.estimates.find((e) => e.lhs === 'a1' && e.op === '~~')!;
    expect(theta.est).toBeLessThan(0);
    expect(Math.abs(theta.est - ref.thetaA1)).toBeLessThan(1e-3);
    expect(r.diagnostics.warnings.some((w) => /Heywood case: the residual variance of a1 is negative/.test(w))).toBe(true);
  });
});

describe('measurement invariance under full-information ML', () => {
  it('bfi by gender: every level matches lavaan with missing = "ml"', () => {
    const ref = references.fimlInvarianceBfi;
    const r = measurementInvariance(fixtureData('bfi-keyed.csv', ref.model, 'gender'), ref.model, { missing: 'ml' });
    expect(r.models.map((m) => m.level)).toEqual(ref.models.map((m: any) => m.level));
    ref.models.forEach((m: any, i: number) => {
      const { npar, ...want } = m;
      expectFit(r.models[i] as unknown as Record<string, unknown>, want, m.level);
      expect(npar).toBeGreaterThan(0);
    });
  });
});

describe('modification indices', () => {
  it('match lavaan::modindices for the three-factor model', () => {
    const ref = references.modindices;
    const r = fitSem(fixtureData('hs1939.csv', ref.model), ref.model);
    const mi = modificationIndices(r, { kinds: ['fixed'] });
    const key = (e: any) => `${e.lhs}|${e.op}|${e.rhs}`;
    const mine = new Map(mi.map((m) => [key(m), m]));
    for (const w of ref.rows) {
      const g = mine.get(key(w));
      expect(g, key(w)).toBeDefined();
      expect(Math.abs(g!.mi - w.mi), `${key(w)} mi`).toBeLessThan(1e-3);
      expect(Math.abs(g!.epc - w.epc), `${key(w)} epc`).toBeLessThan(1e-3);
    }
    expect(mi.length).toBe(ref.rows.length);
  });

  it('equality releases match lavaan::lavTestScore in the scalar model', () => {
    const ref = references.scoreTests;
    const r = fitSem(fixtureData('hs1939.csv', ref.model, 'school'), ref.model, { groupEqual: ['loadings', 'intercepts'] });
    const mi = modificationIndices(r, { kinds: ['equality'] });
    for (const w of ref.rows) {
      const g = mi.find((m) => `${m.lhs}${m.op}${m.rhs}` === w.parameter);
      expect(g, w.parameter).toBeDefined();
      expect(Math.abs(g!.mi - w.x2), `${w.parameter}: ${g!.mi} vs ${w.x2}`).toBeLessThan(1e-3);
    }
  });
});

describe('identification', () => {
  it('rejects a model with more parameters than moments', () => {
    const model = 'f =~ x1 + x2\nx1 ~~ x2';
    expect(() => fitSem(fixtureData('hs1939.csv', model), model)).toThrow(/not identified: it has 5 free parameters but the data give only 3/);
  });
  it('rejects a factor without a scale, naming the parameter', () => {
    const model = 'visual =~ NA*x1 + x2 + x3\ntextual =~ x4 + x5 + x6';
    let err: unknown;
    try {
      fitSem(fixtureData('hs1939.csv', model), model);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).argument).toBe('model');
    expect((err as Error).message).toMatch(/model is not identified: parameter "visual/);
  });
});
