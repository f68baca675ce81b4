import { describe, expect, it } from 'vitest';
import { exploratoryFactorAnalysis } from '../../analysis/index.js';
import { BIG5, alignColumns, alignPhi, applyAlignment, fixtureData, maxAbsDiff, reference } from './helpers.js';

// R: psych::fa(x, 5, use = "pairwise") on all 2800 bfi rows (test/fixtures/r/efa-reference.R).
describe('efa with pairwise deletion matches psych (use = "pairwise")', () => {
  const ref = reference.pairwise;
  const fa = exploratoryFactorAnalysis(fixtureData('bfi.csv', BIG5), { items: BIG5, nfactors: 5, missing: 'pairwise' });

  it('uses every row as n, as psych does', () => {
    expect(fa.n).toBe(ref.n);
  });
  it('loadings, phi and communalities (1e-3)', () => {
    const L = BIG5.map((i) => fa.loadings[i]);
    const a = alignColumns(L, ref.loadings);
    expect(maxAbsDiff(applyAlignment(L, a), ref.loadings)).toBeLessThan(1e-3);
    expect(maxAbsDiff(alignPhi(fa.phi, a), ref.phi)).toBeLessThan(1e-3);
    expect(maxAbsDiff(BIG5.map((i) => fa.communalities[i]), ref.communalities)).toBeLessThan(1e-3);
  });
  it('KMO and Bartlett (1e-6) and the fit statistics', () => {
    expect(Math.abs(fa.kmo - ref.kmo)).toBeLessThan(1e-6);
    expect(Math.abs(fa.bartlett.chisq - ref.bartlett) / ref.bartlett).toBeLessThan(1e-9);
    expect(Math.abs(fa.fit.chisq - ref.chisq) / ref.chisq).toBeLessThan(1e-5);
    expect(Math.abs(fa.fit.tli - ref.tli)).toBeLessThan(1e-3);
    expect(Math.abs(fa.fit.rmsea - ref.rmsea)).toBeLessThan(1e-3);
    expect(Math.abs(fa.fit.bic - ref.bic)).toBeLessThan(1e-5 * ref.chisq);
  });
});
