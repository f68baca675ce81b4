import { describe, expect, it } from 'vitest';
import { correlation, extractFactors, factorAnalysis } from '../../analysis/index.js';
import { BIG5, HS9, alignColumns, alignPhi, applyAlignment, completeCases, fixtureData, maxAbsDiff, reference } from './helpers.js';

// R values: test/fixtures/r/efa-reference.R (psych 2.2.9). minres and ML are optimiser output
// (1e-3, and they are in fact within ~1e-5 because this optimiser converges further than R's
// L-BFGS-B); principal axis is a fixed iteration, so it agrees to 1e-6.
const bfi = completeCases(fixtureData('bfi.csv', BIG5));
const R = correlation(bfi).r;
const hs = completeCases(fixtureData('hs1939.csv', HS9));
const hR = correlation(hs).r;

describe('extractFactors matches psych::fa (rotate = "none")', () => {
  it.each([
    ['minres', 1e-3],
    ['ml', 1e-3],
    ['pa', 1e-6],
  ] as const)('%s on 25 bfi items, 5 factors', (method, tol) => {
    const f = extractFactors(R, 5, { method });
    const ref = reference[`unrotated_${method}`];
    expect(f.diagnostics.converged).toBe(true);
    expect(maxAbsDiff(f.loadings, ref.loadings)).toBeLessThan(tol);
    expect(maxAbsDiff(f.communalities, ref.communalities)).toBeLessThan(tol);
    expect(maxAbsDiff(f.values, ref.values)).toBeLessThan(tol);
    // minres/ML are in practice much closer than the stated tolerance
    if (method !== 'pa') expect(maxAbsDiff(f.loadings, ref.loadings)).toBeLessThan(5e-5);
  });

  it('one-factor ML on Holzinger-Swineford: loadings, uniquenesses and fit', () => {
    const f = extractFactors(hR, 1, { method: 'ml' });
    const ref = reference.hs_ml_1;
    expect(maxAbsDiff(f.loadings.map((r) => r[0]), ref.loadings)).toBeLessThan(1e-3);
    expect(maxAbsDiff(f.uniquenesses, ref.uniquenesses)).toBeLessThan(1e-3);
    const fa = factorAnalysis(hR, 1, { method: 'ml', rotate: 'none', n: hs.length });
    expect(fa.fit.df).toBe(ref.df);
    expect(Math.abs(fa.fit.chisq - ref.chisq) / ref.chisq).toBeLessThan(1e-5);
    expect(Math.abs(fa.fit.tli - ref.tli)).toBeLessThan(1e-3);
    expect(Math.abs(fa.fit.rmsea - ref.rmsea)).toBeLessThan(1e-3);
    expect(Math.abs(fa.fit.bic - ref.bic)).toBeLessThan(1e-3);
  });

  it('accepts a covariance matrix and answers in its metric (ML is scale invariant)', () => {
    const sd = [2, 0.5, 3, 1, 1.5, 4, 0.8, 1.2, 2.5];
    const cov = hR.map((row, i) => row.map((v, j) => v * sd[i] * sd[j]));
    const a = extractFactors(hR, 1, { method: 'ml' });
    const b = extractFactors(cov, 1, { method: 'ml' });
    b.loadings.forEach((row, i) => expect(row[0]).toBeCloseTo(a.loadings[i][0] * sd[i], 8));
    b.uniquenesses.forEach((u, i) => expect(u).toBeCloseTo(a.uniquenesses[i] * sd[i] ** 2, 8));
  });

  it('rejects a bad number of factors or a non-square matrix with an InputError', () => {
    expect(() => extractFactors(hR, 9)).toThrow(/nfactors/);
    expect(() => extractFactors(hR, 0)).toThrow(/nfactors/);
    expect(() => extractFactors([[1, 0.2]], 1)).toThrow(/square/);
    expect(() => extractFactors([[1, NaN], [NaN, 1]], 1)).toThrow(/missing/);
  });

  it('names the first entry that is not a finite number (a hole, null, a string, infinity) or the first non-positive variance', () => {
    const base = () => hR.map((row) => [...row]) as unknown[][];
    const at = (i: number, j: number, v: unknown) => {
      const m = base();
      m[i][j] = v;
      return m as number[][];
    };
    const holed = base();
    delete holed[4][2];
    expect(() => extractFactors(holed as number[][], 2)).toThrow('the matrix to factor has a missing or infinite value at row 5, column 3.');
    expect(() => extractFactors(at(3, 7, null), 2)).toThrow('at row 4, column 8.');
    expect(() => extractFactors(at(8, 0, '0.3'), 2)).toThrow('at row 9, column 1.');
    expect(() => extractFactors(at(6, 6, -Infinity), 2)).toThrow('at row 7, column 7.');
    // rows in order: a non-positive variance on row 2 before a missing value on row 6, and the other way round
    const both = at(5, 1, NaN);
    both[1][1] = 0;
    expect(() => extractFactors(both, 2)).toThrow('the matrix to factor has a non-positive variance on row 2.');
    const missingFirst = at(0, 3, undefined);
    missingFirst[1][1] = -1;
    expect(() => extractFactors(missingFirst, 2)).toThrow('at row 1, column 4.');
  });

  it('reports principal-axis non-convergence in the diagnostics', () => {
    const f = extractFactors(R, 5, { method: 'pa', maxIter: 2, minErr: 1e-12 });
    expect(f.diagnostics.converged).toBe(false);
    expect(f.diagnostics.iterations).toBe(2);
    expect(f.diagnostics.warnings.join(' ')).toMatch(/maximum of 2 iterations/);
  });

  it('reports a Heywood case in the diagnostics', () => {
    // three variables whose correlations force a communality above 1 for the first: r12 r13 / r23 > 1
    const r = [
      [1, 0.9, 0.8],
      [0.9, 1, 0.6],
      [0.8, 0.6, 1],
    ];
    const f = extractFactors(r, 1, { method: 'ml' });
    expect(f.diagnostics.warnings.join(' ')).toMatch(/Heywood/);
  });
});

describe('rotations match psych::fa / GPArotation (minres, 3 factors, Holzinger-Swineford)', () => {
  it.each(['quartimin', 'geomin', 'varimax', 'promax'] as const)('%s', (rotate) => {
    const fa = factorAnalysis(hR, 3, { method: 'minres', rotate, n: hs.length });
    const ref = reference[`hs_minres_${rotate === 'geomin' ? 'geominQ' : rotate}`];
    const a = alignColumns(fa.loadings, ref.loadings);
    expect(maxAbsDiff(applyAlignment(fa.loadings, a), ref.loadings)).toBeLessThan(1e-3);
    expect(maxAbsDiff(alignPhi(fa.phi, a), ref.phi)).toBeLessThan(1e-3);
    expect(maxAbsDiff(fa.communalities, ref.communalities)).toBeLessThan(1e-3);
  });
});
