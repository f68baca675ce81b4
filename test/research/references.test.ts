import { describe, expect, it } from 'vitest';
import {
  bootstrapUnits, completeUnits, crossLaggedPanel, differenceInDifferences, eventStudy, fixedEffects, regression,
  testH1, testH2, testH3, testH4, testH5, testH6, testH7, threeWaveData, withinEstimator,
} from '../../analysis/index.js';
import { designColumns } from '../../analysis/research/design.js';
import { weightedCoefficients } from '../../analysis/research/weighted_least_squares.js';
import { expectDeep, expectTerms, fixturePanel, near, references as R } from './helpers.js';

// Further R references (test/fixtures/r/research-references.R): lm, sandwich's vcovHC(HC3) and
// vcovCL(HC1, the Stata CR1), plm's within estimator with vcovHC(arellano, sss), lavaan's sem.
const TOL = 1e-6;

describe('regression kernel against lm and sandwich (pooled PQ ~ SC + RC + TC, clustered by unit)', () => {
  const panel = fixturePanel('research-effects.csv');
  const rows = panel.unit.map((_, i) => i).filter((i) => ['PQ', 'SC', 'RC', 'TC'].every((v) => Number.isFinite(panel.columns[v][i])));
  const data = Object.fromEntries(['PQ', 'SC', 'RC', 'TC'].map((v) => [v, Float64Array.from(rows, (i) => panel.columns[v][i])]));
  const fit = regression(data, { outcome: 'PQ', predictors: ['SC', 'RC', 'TC'] }, { clusters: rows.map((i) => panel.unit[i]) });

  it('estimates, classical/HC3/CR1 SEs, t, p, confint, R², F equal R to 1e-6', () => {
    expect(fit.n).toBe(R.pooled.n);
    expectTerms(fit.terms, R.pooled.terms, TOL, 'terms');
    near(fit.r2, R.pooled.r2, TOL, 'r2');
    near(fit.adjR2, R.pooled.adjR2, TOL, 'adjR2');
    near(fit.sigma, R.pooled.sigma, TOL, 'sigma');
    expectDeep(fit.f, R.pooled.f, TOL, 'f');
    R.pooled.vcov.forEach((row: number[], i: number) => row.forEach((v, j) => near(fit.covariance[i][j], v, 1e-9, `vcov[${i}][${j}]`)));
  });

  it('a rank-deficient design is an input error naming the collinear columns', () => {
    const bad = { ...data, SC2: Float64Array.from(data.SC, (v, i) => 2 * v - data.RC[i]) };
    expect(() => regression(bad, { outcome: 'PQ', predictors: ['SC', 'RC', 'SC2'] }, { label: 'test model' }))
      .toThrow(/test model has a rank-deficient design: SC2 is a linear combination of SC, RC\./);
    const constant = { ...data, K: new Float64Array(data.SC.length).fill(3) };
    expect(() => regression(constant, { outcome: 'PQ', predictors: ['SC', 'K'] })).toThrow(/K is a linear combination of \(Intercept\)/);
  });

  it('weighted normal equations with unit weights give the QR estimates', () => {
    const d = designColumns(data, { outcome: 'PQ', predictors: ['SC', 'RC', 'TC'] });
    const b = weightedCoefficients(d.columns, d.y, new Float64Array(d.y.length).fill(1))!;
    fit.terms.forEach((t, j) => near(b[j], t.est, 1e-10, t.term));
  });
});

describe('the hypotheses on the null panel equal R', () => {
  const data = threeWaveData(fixturePanel('research-null.csv'));
  const N = R.null;
  it('H2: models, index and conditional indirect effects', () => {
    const h = testH2(data, { bootstrap: 50 });
    expect(h.n).toBe(N.H2.n);
    expectTerms(h.models.a.terms, N.H2.a.terms, TOL, 'a');
    expectTerms(h.models.b.terms, N.H2.b.terms, TOL, 'b');
    h.moderatedMediation.forEach((m, k) => near(m.index, N.H2.index[k], TOL, `index ${m.x}`));
    h.conditionalIndirect.forEach((c, k) => near(c.est, N.H2.conditional[k], TOL, `conditional ${c.x} ${c.dynamism}`));
    expect(h.supported).toBe(false);
  });
  it('H3: levers model and a simple slope', () => {
    const h = testH3(data);
    expect(h.n).toBe(N.H3.n);
    expectTerms(h.models.levers.terms, N.H3.levers.terms, TOL, 'levers');
    const s = h.simpleSlopes.filter((x) => x.focal === 'accountability' && x.moderator === 'communication');
    s.forEach((x, k) => {
      near(x.est, N.H3.slopeAccountabilityAtCommunication.est[k], TOL, `slope ${x.at}`);
      near(x.se, N.H3.slopeAccountabilityAtCommunication.se[k], TOL, `slope se ${x.at}`);
    });
  });
  it('H4, H5, H6', () => {
    const h4 = testH4(data);
    expectTerms(h4.models.drift.terms, N.H4.drift.terms, TOL, 'drift');
    expectTerms(h4.models.rework.terms, N.H4.rework.terms, TOL, 'rework');
    const h5 = testH5(data);
    expect(h5.n).toBe(N.H5.n);
    expectTerms(h5.models.step2.terms, N.H5.step2.terms, TOL, 'step2');
    expectDeep(h5.deltaR2, N.H5.deltaR2, TOL, 'deltaR2');
    expectDeep(h5.difference, N.H5.difference, TOL, 'difference');
    const h6 = testH6(data);
    expect(h6.n).toBe(N.H6.n);
    expectTerms(h6.models.pq.terms, N.H6.pq.terms, TOL, 'pq');
    expectTerms(h6.models.drift.terms, N.H6.drift.terms, TOL, 'drift');
  });
  it('H7: turning point (delta method vs R\'s numerical gradient) and Lind–Mehlum', () => {
    const h = testH7(data);
    expectTerms(h.models.quadratic.terms, N.H7.quadratic.terms, TOL, 'quadratic');
    near(h.turningPoint.est, N.H7.turningPoint.est, TOL, 'turning point');
    near(h.turningPoint.se, N.H7.turningPoint.se, 1e-5 * N.H7.turningPoint.se, 'turning point se'); // R's gradient is a forward difference
    near(h.lindMehlum.t, N.H7.lindMehlum.t, TOL, 'LM t');
    near(h.lindMehlum.p, N.H7.lindMehlum.p, TOL, 'LM p');
    near(h.lindMehlum.slopeLower.t, N.H7.lindMehlum.tLower, TOL, 'slope t at the lower bound');
    near(-h.lindMehlum.slopeUpper.t, N.H7.lindMehlum.tUpper, TOL, 'slope t at the upper bound');
    expect([h.lindMehlum.lower, h.lindMehlum.upper]).toEqual([N.H7.lindMehlum.lower, N.H7.lindMehlum.upper]);
    expect(h.supported).toBe(false);
  });
});

describe('panel estimators equal plm with vcovHC(arellano, sss)', () => {
  it('one-way FE on the did panel', () => {
    const r = fixedEffects(fixturePanel('research-did.csv'), { y: 'PQ', x: ['workload', 'staffing'] });
    expect([r.n, r.units, r.dfResidual]).toEqual([R.feDid.n, R.feDid.units, R.feDid.df]);
    near(r.r2Within, R.feDid.r2Within, TOL, 'r2Within');
    expectTerms(r.terms, R.feDid.terms, TOL, 'terms');
  });
  it('two-way FE with covariates only (unbalanced)', () => {
    const p = fixturePanel('research-effects.csv');
    const rows = p.unit.map((_, i) => i).filter((i) => ['PQ', 'SC', 'RC', 'TC'].every((v) => Number.isFinite(p.columns[v][i])));
    const col = (v: string) => Float64Array.from(rows, (i) => p.columns[v][i]);
    const r = withinEstimator(rows.map((i) => p.unit[i]), rows.map((i) => p.wave[i]), col('PQ'), ['SC', 'RC', 'TC'].map(col), ['SC', 'RC', 'TC'], 'twoways');
    expect([r.n, r.units, r.dfResidual]).toEqual([R.twowaysEffects.n, R.twowaysEffects.units, R.twowaysEffects.df]);
    near(r.r2Within, R.twowaysEffects.r2Within, TOL, 'r2Within');
    expectTerms(r.terms, R.twowaysEffects.terms, TOL, 'terms');
  });
  it('staggered difference-in-differences and event study', () => {
    const p = fixturePanel('r/research-staggered.csv');
    const d = differenceInDifferences(p, { y: 'PQ', x: ['workload'], treated: 'treated', eventWave: 'eventWave' });
    expect([d.n, d.units]).toEqual([R.didStaggered.n, R.didStaggered.units]);
    expectTerms(d.terms, R.didStaggered.terms, TOL, 'did');
    near(d.att.est, R.didStaggered.terms[0].est, TOL, 'att');
    const e = eventStudy(p, { y: 'PQ', x: ['workload', 'staffing'], treated: 'treated', eventWave: 'eventWave' });
    expect([e.n, e.units]).toEqual([R.eventStaggered.n, R.eventStaggered.units]);
    expectTerms(e.terms, R.eventStaggered.terms, TOL, 'event');
  });
  it('an event study without never-treated units is refused, naming the absorbed dummy', () => {
    const p = fixturePanel('research-did.csv');
    const all = { ...p, columns: { ...p.columns, treated: new Float64Array(p.unit.length).fill(1), eventWave: new Float64Array(p.unit.length).fill(4) } };
    expect(() => eventStudy(all, { y: 'PQ', treated: 'treated', eventWave: 'eventWave' })).toThrow(/event model: rel-3 does not vary within units once wave effects are removed/);
  });
  it('CLPM of SC and TC on the null panel equals lavaan::sem', () => {
    const r = crossLaggedPanel(fixturePanel('research-null.csv'), 'SC', 'TC');
    expect(r.n).toBe(R.clpmNull.n);
    for (const k of ['chisq', 'logl', 'aic', 'bic']) near((r.fit as any)[k], R.clpmNull.fit[k], 1e-4 * Math.abs(R.clpmNull.fit[k]), k);
    for (const k of ['df', 'cfi', 'tli', 'rmsea', 'srmr']) near((r.fit as any)[k], R.clpmNull.fit[k], 1e-3, k);
    for (const e of R.clpmNull.estimates) {
      const g = r.estimates.find((x) => x.lhs === e.lhs && x.op === e.op && x.rhs === e.rhs);
      expect(g, `${e.lhs} ${e.op} ${e.rhs}`).toBeDefined();
      for (const k of ['est', 'se', 'std'] as const) near(g![k], e[k], 1e-3, `${e.lhs} ${e.op} ${e.rhs} ${k}`);
    }
  });
});

describe('the bootstrap of H1 (effects panel)', () => {
  const data = threeWaveData(fixturePanel('research-effects.csv'));
  it('replays exactly: R refitting lm on seici\'s own resamples gives the same percentile limits', () => {
    const h = testH1(data, { bootstrap: R.bootstrapReplay.replicates, seed: R.bootstrapReplay.seed });
    h.indirect.forEach((e, k) => {
      near(e.ciLower, R.bootstrapReplay.lower[k], 1e-9, `${e.x} lower`);
      near(e.ciUpper, R.bootstrapReplay.upper[k], 1e-9, `${e.x} upper`);
    });
  });
  it('H2 replays exactly: R recentring and refitting each of seici\'s resamples gives the same limits', () => {
    const h = testH2(data, { bootstrap: R.bootstrapReplayH2.replicates, seed: R.bootstrapReplayH2.seed });
    const got = [...h.moderatedMediation, ...h.conditionalIndirect];
    got.forEach((e, k) => {
      near(e.ciLower, R.bootstrapReplayH2.lower[k], 1e-9, `${k} lower`);
      near(e.ciUpper, R.bootstrapReplayH2.upper[k], 1e-9, `${k} upper`);
    });
  });
  it('agrees with R\'s own percentile bootstrap (B = 5000) within Monte Carlo error', () => {
    const h = testH1(data, { bootstrap: 5000, seed: 3 });
    // SE of a 2.5% quantile of B draws ≈ √(p(1−p)/B)/f(q), f the density at q (normal with the
    // bootstrap SD s); two independent runs differ by √2 of that; allow 4 such SEs.
    const se = (s: number) => Math.sqrt((0.025 * 0.975) / 5000) / (Math.exp(-0.5 * 1.959964 ** 2) / (Math.sqrt(2 * Math.PI) * s));
    h.indirect.forEach((e, k) => {
      const tol = 4 * Math.SQRT2 * se(R.bootstrapR.sd[k]);
      near(e.ciLower, R.bootstrapR.lower[k], tol, `${e.x} lower`);
      near(e.ciUpper, R.bootstrapR.upper[k], tol, `${e.x} upper`);
    });
  });
  it('is reproducible for a seed and counts every resample', () => {
    const { columns } = completeUnits(data, ['SC', 'RC', 'TC', 'PQ']);
    const stat = (w: Uint32Array) => [Array.from(w).reduce((s, c, i) => s + c * columns.SC[i], 0)];
    const a = bootstrapUnits(columns.SC.length, 1, stat, { replicates: 300, seed: 9 });
    const b = bootstrapUnits(columns.SC.length, 1, stat, { replicates: 300, seed: 9 });
    expect(a).toEqual(b);
    expect(a[0].valid).toBe(300);
  });
});
