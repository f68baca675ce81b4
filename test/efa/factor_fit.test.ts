import { describe, expect, it } from 'vitest';
import { factorFit } from '../../analysis/efa/factor_fit.js';
import { inverse, logDeterminant } from '../../analysis/efa/linear_algebra.js';
import { Prng } from '../../analysis/math/random.js';

/** The ML discrepancy tr(M⁻¹R) − ln|M⁻¹R| − p with M = ΛΛ′ with unit diagonal, by a general inverse and LU determinants. */
function directDiscrepancy(r: number[][], lambda: number[][]): number {
  const p = r.length;
  const m = lambda.map((a, i) => lambda.map((b, j) => (i === j ? 1 : a.reduce((s, v, q) => s + v * b[q], 0))));
  const mInv = inverse(m)!;
  let tr = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) tr += mInv[i][j] * r[j][i];
  return tr - (logDeterminant(r).log - logDeterminant(m).log) - p;
}

/** A correlation matrix: a k-factor model's implied matrix plus a little symmetric noise. */
function correlations(lambda: number[][], rng: Prng): number[][] {
  const p = lambda.length;
  const r = lambda.map((a, i) => lambda.map((b, j) => (i === j ? 1 : a.reduce((s, v, q) => s + v * b[q], 0))));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const e = 0.04 * (rng.uniform() - 0.5);
      r[i][j] += e;
      r[j][i] += e;
    }
  }
  return r;
}

describe('factorFit: the Woodbury form of the model inverse', () => {
  const rng = new Prng(5);
  const p = 60;
  const k = 4;
  const lambda = Array.from({ length: p }, (_, i) => Array.from({ length: k }, (_, j) => (j === i % k ? 0.55 + 0.3 * rng.uniform() : 0.1 * (rng.uniform() - 0.5))));
  const r = correlations(lambda, rng);

  it('gives the discrepancy of a general inverse to 1e-10 (every uniqueness well above its floor)', () => {
    const fit = factorFit(r, lambda, 500);
    const direct = directDiscrepancy(r, lambda);
    expect(Math.abs(fit.objective - direct)).toBeLessThan(1e-10 * Math.max(1, Math.abs(direct)));
    expect(fit.df).toBe((p * (p - 1)) / 2 - p * k + (k * (k - 1)) / 2);
    expect(fit.chisq).toBeCloseTo(direct * (500 - 1 - (2 * p + 5) / 6 - (2 * k) / 3), 6);
  });

  it('factors M instead when a uniqueness is below 1e-4 (a Heywood case), with the same answer', () => {
    const heywood = lambda.map((row) => row.slice());
    // item 0's communality 1 − 1e-6
    const h = heywood[0].reduce((s, v) => s + v * v, 0);
    heywood[0] = heywood[0].map((v) => v * Math.sqrt((1 - 1e-6) / h));
    const fit = factorFit(r, heywood, 500);
    const direct = directDiscrepancy(r, heywood);
    expect(Math.abs(fit.objective - direct)).toBeLessThan(1e-8 * Math.max(1, Math.abs(direct)));
  });

  it('reports the root mean square of the off-diagonal residuals', () => {
    const fit = factorFit(r, lambda, 500);
    let ss = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (i !== j) ss += (r[i][j] - lambda[i].reduce((s, v, q) => s + v * lambda[j][q], 0)) ** 2;
    expect(fit.rms).toBeCloseTo(Math.sqrt(ss / (p * (p - 1))), 14);
  });
});
