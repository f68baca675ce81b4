import { describe, expect, it } from 'vitest';
import { matrixSumsKernel } from '../../analysis/math/matrix_sums_kernel.js';
import { Prng } from '../../analysis/math/random.js';
import { transposedProduct } from '../../analysis/efa/linear_algebra.js';

/** A symmetric p × p matrix with a unit diagonal and entries in (−1, 1), as rows. */
function symmetric(p: number, rng: Prng): number[][] {
  const r = Array.from({ length: p }, () => new Array<number>(p).fill(1));
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) r[i][j] = r[j][i] = 2 * rng.uniform() - 1;
  return r;
}

/** The JavaScript loop of analysis/efa/factor_fit.ts, its rows taken in order or backwards. */
function residualSquares(r: number[][], lam: Float64Array, p: number, k: number, backwards = false): number {
  let sum = 0;
  for (let step = 1; step < p; step++) {
    const i = backwards ? p - step : step;
    for (let j = 0; j < i; j++) {
      let c = 0;
      for (let m = 0; m < k; m++) c += lam[i * k + m] * lam[j * k + m];
      const e = r[i][j] - c;
      sum += e * e;
    }
  }
  return sum;
}

/** The JavaScript loop of analysis/efa/sampling_adequacy.ts, its rows taken in order or backwards. */
function antiImageSums(r: number[][], inv: Float64Array, d: Float64Array, p: number, backwards = false): number[] {
  let sumR = 0;
  let sumQ = 0;
  const colR = new Float64Array(p);
  const colQ = new Float64Array(p);
  for (let step = 0; step < p; step++) {
    const i = backwards ? p - 1 - step : step;
    for (let j = 0; j < p; j++) {
      if (i === j) continue;
      const rij = r[i][j] * r[i][j];
      const qv = inv[i * p + j] / (d[i] * d[j]);
      const qij = qv * qv;
      sumR += rij;
      sumQ += qij;
      colR[j] += rij;
      colQ[j] += qij;
    }
  }
  return [sumR, sumQ, ...colR, ...colQ];
}

describe('the matrix-sums kernel', () => {
  const rng = new Prng(2026);
  const kernel = matrixSumsKernel();

  it('is available in Node (WebAssembly)', () => {
    expect(kernel).not.toBeNull();
  });

  it.each([
    [16, 1],
    [17, 9],
    [36, 9],
    [135, 9],
    [271, 12],
  ])('gives the fit’s residual sum of squares of the JavaScript loop to the last bit, p = %i, k = %i', (p, k) => {
    const r = symmetric(p, rng);
    const lam = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.3);
    const w = kernel!.workspace(p, k);
    for (let i = 0; i < p; i++) w.r.set(r[i], i * p);
    w.b.set(lam);
    kernel!.residualSquares(p, k);
    expect(Object.is(w.out[0], residualSquares(r, lam, p, k))).toBe(true);
    // the comparison sees the order of the additions: the same terms added rows last to first give other bits
    if (p >= 36) expect(w.out[0]).not.toBe(residualSquares(r, lam, p, k, true));
  });

  it.each([16, 17, 36, 135, 271])('gives KMO’s sums of the JavaScript loop to the last bit, overall and by column, p = %i', (p) => {
    const r = symmetric(p, rng);
    const inv = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) inv[i * p + j] = inv[j * p + i] = i === j ? 1 + 3 * rng.uniform() : rng.uniform() - 0.5;
    const d = Float64Array.from({ length: p }, (_, i) => Math.sqrt(inv[i * p + i]));
    const w = kernel!.workspace(p, 0);
    for (let i = 0; i < p; i++) w.r.set(r[i], i * p);
    w.b.set(inv);
    w.d.set(d);
    w.out.fill(0);
    kernel!.antiImageSums(p);
    const expected = antiImageSums(r, inv, d, p);
    expect(w.out.length).toBe(2 + 2 * p);
    expect(Array.from(w.out).every((v, i) => Object.is(v, expected[i]))).toBe(true);
    if (p >= 36) {
      const backwards = antiImageSums(r, inv, d, p, true);
      expect(Array.from(w.out).every((v, i) => Object.is(v, backwards[i]))).toBe(false);
    }
  });

  it.each([
    [16, 9],
    [135, 9],
    [271, 12],
  ])('gives X′Y of the JavaScript loop to the last bit, p = %i, k = %i (also through efa’s transposedProduct)', (p, k) => {
    const x = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.5);
    const y = Float64Array.from({ length: p * k }, () => rng.uniform() - 0.5);
    const expected = new Float64Array(k * k);
    for (let i = 0; i < p; i++) for (let m = 0; m < k; m++) for (let q = 0; q < k; q++) expected[m * k + q] += x[i * k + m] * y[i * k + q];
    const got = kernel!.transposedProduct(x, y, p, k);
    expect(Array.from(got).every((v, i) => Object.is(v, expected[i]))).toBe(true);
    expect(Array.from(transposedProduct(x, y, p, k)).every((v, i) => Object.is(v, expected[i]))).toBe(true);
    // a second call with other matrices starts from zero again
    expect(Array.from(kernel!.transposedProduct(y, x, p, k)).every((v, i) => Object.is(v, got[(i % k) * k + Math.floor(i / k)]))).toBe(true);
    // and the comparison sees the order: the rows added last to first give other bits somewhere
    const backwards = new Float64Array(k * k);
    for (let i = p - 1; i >= 0; i--) for (let m = 0; m < k; m++) for (let q = 0; q < k; q++) backwards[m * k + q] += x[i * k + m] * y[i * k + q];
    expect(Array.from(got).every((v, i) => Object.is(v, backwards[i]))).toBe(false);
  });
});
