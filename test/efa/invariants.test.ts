import { describe, expect, it } from 'vitest';
import { correlation, exploratoryFactorAnalysis, extractFactors, factorAnalysis, ROTATIONS } from '../../analysis/index.js';
import { commonPart } from '../../analysis/efa/factor_fit.js';
import { BIG5, completeCases, fixtureData, maxAbsDiff } from './helpers.js';

// Properties that hold without an R value.
const R = correlation(completeCases(fixtureData('bfi.csv', BIG5))).r;

/** Population correlation matrix of a factor model: ΛΦΛ′ with unit diagonal. */
function population(lambda: number[][], phi: number[][]): number[][] {
  const c = commonPart(lambda, phi);
  return c.map((row, i) => row.map((v, j) => (i === j ? 1 : v)));
}

const lambda = [
  [0.8, 0, 0], [0.7, 0, 0], [0.6, 0, 0], [0.5, 0.3, 0],
  [0, 0.75, 0], [0, 0.65, 0], [0, 0.55, 0], [0, 0, 0.7],
  [0, 0, 0.6], [0, 0, 0.5], [0.3, 0, 0.45], [0, 0.2, 0.6],
];
const phi = [
  [1, 0.3, 0.2],
  [0.3, 1, 0.4],
  [0.2, 0.4, 1],
];

describe('factor-model invariants', () => {
  it('ML: ΛΛ′ + Ψ reproduces a correlation matrix that a 3-factor model fits exactly', () => {
    const P = population(lambda, phi);
    const f = extractFactors(P, 3, { method: 'ml' });
    expect(f.diagnostics.converged).toBe(true);
    const implied = commonPart(f.loadings).map((row, i) => row.map((v, j) => (i === j ? v + f.uniquenesses[i] : v)));
    expect(maxAbsDiff(implied, P)).toBeLessThan(1e-6);
    const fa = factorAnalysis(P, 3, { method: 'ml', rotate: 'oblimin', n: 500 });
    expect(fa.fit.chisq).toBeLessThan(1e-6);
  });

  it('ML at convergence: the implied matrix has unit diagonal and its residuals are within the model’s fit', () => {
    const f = extractFactors(R, 5, { method: 'ml' });
    const implied = commonPart(f.loadings).map((row, i) => row.map((v, j) => (i === j ? v + f.uniquenesses[i] : v)));
    implied.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 12));
    // the root mean square residual of a model with RMSEA ≈ .05 is small but not zero
    let ss = 0;
    for (let i = 0; i < R.length; i++) for (let j = 0; j < i; j++) ss += (R[i][j] - implied[i][j]) ** 2;
    const rms = Math.sqrt(ss / ((R.length * (R.length - 1)) / 2));
    expect(rms).toBeLessThan(0.03);
    expect(rms).toBeGreaterThan(0);
  });

  it.each(ROTATIONS)('rotation %s leaves ΛΦΛ′ and the communalities unchanged; Φ has unit diagonal', (rotate) => {
    for (const method of ['minres', 'ml', 'pa'] as const) {
      const fa = factorAnalysis(R, 5, { method, rotate, n: 2436 });
      const rotated = commonPart(fa.loadings, fa.phi);
      const unrotated = commonPart(fa.unrotated);
      expect(maxAbsDiff(rotated, unrotated)).toBeLessThan(1e-9);
      const h2 = rotated.map((row, i) => row[i]);
      expect(maxAbsDiff(h2, fa.communalities)).toBeLessThan(1e-9);
      fa.phi.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 9));
      // structure = pattern Φ; sum of pattern ∘ structure per row = communality
      const h2b = fa.loadings.map((row, i) => row.reduce((a, v, j) => a + v * fa.structure[i][j], 0));
      expect(maxAbsDiff(h2b, fa.communalities)).toBeLessThan(1e-9);
      // psych's presentation: factors ordered by variance accounted for, columns summing positive
      for (let j = 1; j < 5; j++) expect(fa.ssLoadings[j]).toBeLessThanOrEqual(fa.ssLoadings[j - 1] + 1e-12);
      for (let j = 0; j < 5; j++) expect(fa.loadings.reduce((a, row) => a + row[j], 0)).toBeGreaterThan(0);
    }
  });
});

describe('degenerate input', () => {
  it('a duplicated item: the analysis still runs, KMO is reported as undefined with a warning', async () => {
    const data = completeCases(fixtureData('bfi.csv', BIG5.slice(0, 10))).map((r) => [...r, r[0]]);
    const items = [...BIG5.slice(0, 10), 'A1copy'];
    const fa = exploratoryFactorAnalysis(data, { items, nfactors: 2 });
    expect(Number.isNaN(fa.kmo)).toBe(true);
    expect(fa.diagnostics.warnings.join(' ')).toMatch(/singular/);
    expect(fa.loadings.A1copy[0]).toBeCloseTo(fa.loadings.A1[0], 2);
  });
});

describe('a pairwise correlation matrix that is not positive definite', () => {
  it('is reported in diagnostics', () => {
    // Three items answered in disjoint pairs: the pairwise correlations (+1, +1, −1) cannot all hold at once.
    const rows: number[][] = [];
    for (let i = 0; i < 30; i++) {
      const v = (i % 5) + 1;
      const w = ((i * 3) % 5) + 1;
      const u = ((i * 7) % 5) + 1;
      if (i % 3 === 0) rows.push([v, v, NaN, w]);
      else if (i % 3 === 1) rows.push([NaN, v, v, u]);
      else rows.push([v, NaN, 6 - v, w]);
    }
    const result = exploratoryFactorAnalysis(rows, { items: ['a', 'b', 'c', 'd'], nfactors: 1, missing: 'pairwise' });
    expect(result.eigenvalues[result.eigenvalues.length - 1]).toBeLessThan(0);
    expect(result.diagnostics.warnings.some((w: string) => /not positive definite/.test(w))).toBe(true);
  });
});
