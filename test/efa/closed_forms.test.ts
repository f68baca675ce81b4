import { describe, expect, it } from 'vitest';
import { correlation, kaiserMeyerOlkin, minimumAveragePartial, smoothCorrelation } from '../../analysis/index.js';
import { symmetricEigen } from '../../analysis/efa/symmetric_eigen.js';
import { chiSquareUpperTail, normalCdf, normalQuantile } from '../../analysis/math/index.js';
import { bivariateNormalRectangle } from '../../analysis/data/bivariate_normal.js';
import { BIG5, completeCases, fixtureData, maxAbsDiff, reference } from './helpers.js';

const R = correlation(completeCases(fixtureData('bfi.csv', BIG5))).r;

describe('closed forms agree with R to 1e-6', () => {
  it('KMO per item (psych::KMO MSAi)', () => {
    expect(maxAbsDiff(kaiserMeyerOlkin(R).items, reference.kmo_items)).toBeLessThan(1e-6);
  });

  it('eigenvalues of R (parallel analysis pc.values) and the MAP curve (psych::VSS map)', () => {
    const { values } = symmetricEigen(R);
    expect(maxAbsDiff(Array.from(values), reference.parallel.pc_values)).toBeLessThan(1e-6);
    const map = minimumAveragePartial(R, 8);
    expect(maxAbsDiff(map.values, reference.map)).toBeLessThan(1e-6);
    const best = reference.map.indexOf(Math.min(...reference.map)) + 1;
    expect(map.nfactors).toBe(best);
  });

  it('cor.smooth of a non-positive-definite matrix', () => {
    const s = smoothCorrelation(reference.smooth.input);
    expect(s.smoothed).toBe(true);
    expect(maxAbsDiff(s.r, reference.smooth.output)).toBeLessThan(1e-6);
    expect(smoothCorrelation(R).smoothed).toBe(false);
  });

  it('the eigen solver reproduces A = V diag(λ) V′ with orthonormal V', () => {
    const { values, vectors, n } = symmetricEigen(R);
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let a = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        a += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      worst = Math.max(worst, Math.abs(a - R[i][j]), Math.abs(o - (i === j ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
  });

  it('distribution functions (R: pnorm, qnorm, pchisq, mnormt::sadmvn)', () => {
    expect(normalCdf(-3.2)).toBeCloseTo(0.000687137937915848, 15);
    expect(normalCdf(0.7)).toBeCloseTo(0.758036347776927, 14);
    expect(normalQuantile(0.0123)).toBeCloseTo(-2.24762675579514, 12);
    expect(normalQuantile(0.999)).toBeCloseTo(3.09023230616781, 12);
    expect(chiSquareUpperTail(904.097051036859, 36) / 1.91207887406147e-166).toBeCloseTo(1, 8);
    expect(chiSquareUpperTail(30, 26)).toBeCloseTo(0.267611033392577, 12);
    expect(bivariateNormalRectangle(-1, 0.5, 0.2, 1.3, 0.95)).toBeCloseTo(0.123012998192697, 14);
    expect(bivariateNormalRectangle(-1, 0.5, -Infinity, 1.3, -0.97)).toBeCloseTo(0.53012238060907, 14);
    expect(bivariateNormalRectangle(-Infinity, -0.5, -Infinity, 0.3, 0.2)).toBeCloseTo(0.217213249051493, 14);
  });
});
