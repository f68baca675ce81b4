import { describe, expect, it } from 'vitest';
import { addTransposeProduct, multiplyAdd, weightedGram } from '../../analysis/math/blocked_products.js';
import { Prng } from '../../analysis/math/random.js';

const random = (rng: Prng, size: number, zeros = 0) => Float64Array.from({ length: size }, () => (rng.uniform() < zeros ? 0 : rng.normal()));
const close = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(1e-12);
};

describe('blocked products equal the plain triple loops', () => {
  // sizes that exercise every remainder of the 4 × 2 and 2 × 4 register tiles and several cache blocks
  for (const [n, k] of [[1, 3], [2, 1], [5, 7], [7, 300], [103, 517], [198, 260]] as const) {
    it(`weightedGram ${n} × ${k}`, () => {
      const rng = new Prng(n * 1000 + k);
      const A = random(rng, n * k, 0.2);
      const w = Float64Array.from({ length: k }, () => rng.uniform());
      const from = Math.min(1, k - 1);
      const got = weightedGram(A, w, n, k, from, k);
      const want = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = from; c < k; c++) want[i * n + j] += w[c] * A[i * k + c] * A[j * k + c];
      close(got, want);
    });
    it(`multiplyAdd and addTransposeProduct ${n} × ${k}`, () => {
      const rng = new Prng(n * 7 + k);
      const A = random(rng, n * n, 0.3);
      const B = random(rng, n * k);
      const start = random(rng, n * k);
      const got = multiplyAdd(Float64Array.from(start), A, B, n, n, k);
      const want = Float64Array.from(start);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let a = 0; a < k; a++) want[i * k + a] += A[i * n + j] * B[j * k + a];
      close(got, want);
      const C = random(rng, n * k, 0.3);
      const t = addTransposeProduct(new Float64Array(k * k), B, C, n, k, 0.7);
      const tw = new Float64Array(k * k);
      for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) tw[a * k + b] += 0.7 * B[i * k + a] * C[i * k + b];
      close(t, tw);
      const s = addTransposeProduct(new Float64Array(k * k), B, B, n, k, 1.5, true);
      const sw = new Float64Array(k * k);
      for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sw[a * k + b] += 1.5 * B[i * k + a] * B[i * k + b];
      close(s, sw);
    });
  }
});
