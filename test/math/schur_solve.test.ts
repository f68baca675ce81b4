import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse, choleskySolve } from '../../analysis/math/cholesky.js';
import { Prng } from '../../analysis/math/random.js';
import { schurFactor, schurInverse, schurSolve } from '../../analysis/math/schur_solve.js';

/**
 * A symmetric positive-definite matrix shaped like an ordinal model's Gauss–Newton matrix: `d`
 * variables each coupled to a few of `m` dense ones but never to each other, interleaved.
 */
function arrowMatrix(rng: Prng, d: number, m: number, links: number): Float64Array {
  const n = d + m;
  // a random variable order, so that D is not simply a leading block
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const dense = order.slice(0, m);
  const sparse = order.slice(m);
  // A = JᵀJ for J with one row per variable: sparse rows touch themselves and `links` dense variables
  const rows: Float64Array[] = [];
  for (const k of sparse) {
    const r = new Float64Array(n);
    r[k] = 1 + rng.uniform();
    for (let t = 0; t < links; t++) r[dense[Math.floor(rng.uniform() * m)]] += rng.normal();
    rows.push(r);
  }
  for (let t = 0; t < 2 * m; t++) {
    const r = new Float64Array(n);
    for (const j of dense) r[j] = rng.normal();
    rows.push(r);
  }
  const a = new Float64Array(n * n);
  for (const r of rows) for (let i = 0; i < n; i++) if (r[i] !== 0) for (let j = 0; j < n; j++) a[i * n + j] += r[i] * r[j];
  return a;
}

const worst = (a: Float64Array, b: Float64Array) => {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return w;
};

describe('SPD solve and inverse through the Schur complement of a diagonal block', () => {
  for (const [d, m, links] of [[0, 5, 0], [6, 1, 1], [40, 12, 2], [300, 60, 3]] as const) {
    it(`${d} uncoupled + ${m} dense variables: equals the dense Cholesky solve and inverse`, () => {
      const rng = new Prng(d * 31 + m);
      const n = d + m;
      const a = arrowMatrix(rng, d, m, links);
      const f = schurFactor(a, n)!;
      expect(f).not.toBeNull();
      // every uncoupled variable is found (the dense ones may add one more when d is 0)
      expect(f.diagonal.length).toBeGreaterThanOrEqual(d);
      const b = Float64Array.from({ length: n }, () => rng.normal());
      const l = cholesky(a, n)!;
      expect(worst(schurSolve(f, b), choleskySolve(l, n, b))).toBeLessThan(1e-10);
      expect(worst(schurInverse(f), choleskyInverse(l, n))).toBeLessThan(1e-10);
    });
  }

  it('returns null for a matrix that is not positive definite, in D or in S', () => {
    const n = 4;
    const a = new Float64Array([2, 0, 1, 0, 0, 1, 0, 0, 1, 0, -1, 0, 0, 0, 0, 3]);
    expect(schurFactor(a, n)).toBeNull();
    const b = new Float64Array([1, 0, 2, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1]);
    expect(schurFactor(b, n)).toBeNull();
  });
});
