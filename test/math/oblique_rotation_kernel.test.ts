import { describe, expect, it } from 'vitest';
import { obliqueRotationKernel } from '../../analysis/math/oblique_rotation_kernel.js';
import { obliminCriterion, rotateOblique } from '../../analysis/efa/rotate_oblique.js';
import { Prng } from '../../analysis/math/random.js';

/** A p × k loading matrix with a simple structure blurred by noise and mixed by a random rotation. */
function loadings(p: number, k: number, rng: Prng): number[][] {
  const mix = Array.from({ length: k }, () => Array.from({ length: k }, () => rng.uniform() - 0.5));
  for (let j = 0; j < k; j++) mix[j][j] += 1.5;
  return Array.from({ length: p }, (_, i) => {
    const pure = Array.from({ length: k }, (_, j) => (j === i % k ? 0.7 : 0) + 0.1 * (rng.uniform() - 0.5));
    return Array.from({ length: k }, (_, j) => pure.reduce((s, v, m) => s + v * mix[m][j], 0));
  });
}

describe('the oblique rotation (oblimin family) in WebAssembly', () => {
  const rng = new Prng(17);

  it('is available in Node', () => {
    expect(obliqueRotationKernel()).not.toBeNull();
  });

  it.each([
    [12, 3, 0],
    [36, 9, 0],
    [135, 9, 0],
    [40, 5, 0.5],
    [30, 4, -0.3],
  ])('gives the JavaScript loops’ pattern, Φ and iterations to the last bit, p = %i, k = %i, γ = %f', (p, k, gamma) => {
    const a = loadings(p, k, rng);
    const wasm = rotateOblique(a, obliminCriterion(gamma));
    const js = rotateOblique(a, obliminCriterion(gamma), { code: 'javascript' });
    expect(wasm.iterations).toBe(js.iterations);
    expect(wasm.converged).toBe(js.converged);
    expect(wasm.loadings).toEqual(js.loadings);
    expect(wasm.phi).toEqual(js.phi);
    // and it rotated: Φ has unit diagonal and some correlation off it
    expect(wasm.phi[0][0]).toBeCloseTo(1, 12);
    expect(Math.max(...wasm.phi.flatMap((row, i) => row.filter((_, j) => j !== i).map(Math.abs)))).toBeGreaterThan(1e-3);
  });

  it('starts each rotation afresh (the kernel memory holds the previous one)', () => {
    const a = loadings(20, 4, rng);
    const first = rotateOblique(a, obliminCriterion(0));
    rotateOblique(loadings(50, 6, rng), obliminCriterion(0));
    expect(rotateOblique(a, obliminCriterion(0))).toEqual(first);
  });

  it('inverts like the JavaScript Gauss-Jordan and reports a singular matrix', () => {
    const kernel = obliqueRotationKernel()!;
    const [t, scratch, out] = kernel.workspace([9, 9, 9]);
    t.set([0, 2, 1, 1, 1, 0, 3, 0, 1]);
    expect(kernel.inverse(t, scratch, out, 3)).toBe(true);
    const product = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((s, m) => s + t[i * 3 + m] * out[m * 3 + j], 0)));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(product[i][j]).toBeCloseTo(i === j ? 1 : 0, 12);
    t.set([1, 2, 3, 2, 4, 6, 0, 1, 1]);
    expect(kernel.inverse(t, scratch, out, 3)).toBe(false);
  });

  it('projects the gradient and takes a step with unit-length columns as the JavaScript loops do, to the last bit', () => {
    const kernel = obliqueRotationKernel()!;
    const k = 7;
    const [t, g, gp, cs, out, norms] = kernel.workspace([k * k, k * k, k * k, k, k * k, k]);
    for (let i = 0; i < k * k; i++) {
      t[i] = rng.uniform() - 0.3;
      g[i] = rng.uniform() - 0.6;
    }
    const ss = kernel.projectedGradient(t, g, gp, cs, k);
    // the same sums in the same order: column sums of T ∘ G, then row by row
    const sums = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sums[j] += t[i * k + j] * g[i * k + j];
    let expected = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const v = g[i * k + j] - t[i * k + j] * sums[j];
        expect(gp[i * k + j]).toBe(v);
        expected += v * v;
      }
    }
    expect(ss).toBe(expected);
    kernel.step(t, gp, 0.37, out, norms, k);
    const lengths = new Array<number>(k).fill(0);
    const raw = Array.from({ length: k * k }, (_, i) => t[i] - 0.37 * gp[i]);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) lengths[j] += raw[i * k + j] * raw[i * k + j];
    expect(Array.from(out)).toEqual(raw.map((v, i) => v / Math.sqrt(lengths[i % k])));
    // unit-length columns
    for (let j = 0; j < k; j++) expect(Array.from({ length: k }, (_, i) => out[i * k + j] ** 2).reduce((a, b) => a + b)).toBeCloseTo(1, 14);
  });
});
