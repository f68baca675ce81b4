import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { numericMatrix, readTable } from '../../cli/io/csv.js';
import { mahalanobisDistances, simulatePanel } from '../../analysis/index.js';
import { covariance } from '../../analysis/data/covariance.js';
import { choleskyRows } from '../../analysis/math/cholesky.js';
import { SubmatrixQuadraticForms } from '../../analysis/math/submatrix_quadratic.js';
import { Prng } from '../../analysis/math/random.js';

/**
 * The definition, row by row: x̄ and S from the complete rows, then a Cholesky factor of S_oo for
 * the row's answered items o and D² = ‖L⁻¹(x_o − x̄_o)‖². `mahalanobisDistances` gets the same
 * numbers from one factor of S (Schur complements of the missing items): 1e-9 relative.
 */
function definition(rows: readonly (readonly number[])[]): number[] {
  const { means, cov } = covariance(rows, { missing: 'listwise', divisor: 'n-1' });
  return rows.map((row) => {
    const o = row.flatMap((v, j) => (Number.isNaN(v) ? [] : [j]));
    if (o.length < 2) return NaN;
    const L = choleskyRows(o.map((a) => o.map((b) => cov[a][b])), 1e-10);
    if (L === null) return NaN;
    const z: number[] = [];
    let sum = 0;
    o.forEach((j, i) => {
      let v = row[j] - means[j];
      for (let k = 0; k < i; k++) v -= L[i][k] * z[k];
      z.push(v / L[i][i]);
      sum += z[i] * z[i];
    });
    return sum;
  });
}

function expectRelative(got: Float64Array, want: number[]): void {
  want.forEach((w, i) => {
    if (Number.isNaN(w)) expect(Number.isNaN(got[i]), `row ${i + 1}`).toBe(true);
    else expect(Math.abs(got[i] - w), `row ${i + 1}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(1e-9 * w);
  });
}

describe('Mahalanobis distances from one factor of S (Schur complements of the missing items)', () => {
  it('equal the per-pattern factors on bfi (25 items, 2,800 rows, missing answers) to 1e-9', () => {
    const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/screening-references.json'), 'utf8'));
    const bfi = numericMatrix(readTable(resolve(FIXTURES, 'bfi.csv')), ref.items, 'items');
    expect(bfi.some((r) => r.some(Number.isNaN))).toBe(true);
    expectRelative(mahalanobisDistances(bfi).d2, definition(bfi));
  });

  it('equal them with 72 items and 2% missing, where nearly every incomplete row has its own pattern', () => {
    const panel = simulatePanel({ unitsPerContext: 40, waves: ['W1'], missing: 0.02 }, 16);
    const rows = panel.answers.map((r) => r.slice(0, 72));
    expect(rows[0]).toHaveLength(72);
    const incomplete = rows.filter((r) => r.some(Number.isNaN));
    expect(incomplete.length).toBeGreaterThan(rows.length / 2);
    const res = mahalanobisDistances(rows);
    expect(res.warnings).toEqual([]);
    expectRelative(res.d2, definition(rows));
  });

  it('fall back to a factor per pattern when S is singular: rows without the redundant item still get a distance', () => {
    const rng = new Prng(3);
    const rows = Array.from({ length: 300 }, () => {
      const a = 1 + rng.int(7);
      const b = 1 + rng.int(7);
      const c = 1 + rng.int(7);
      return [a, b, c, 1 + rng.int(7), a + b];
    });
    for (let i = 0; i < 40; i++) rows[i][4] = NaN; // the redundant item missing: S_oo is positive definite
    const res = mahalanobisDistances(rows);
    expect(res.warnings.join(' ')).toContain('singular');
    const want = definition(rows);
    expect(want.slice(0, 40).every(Number.isFinite)).toBe(true);
    expect(want.slice(40).every(Number.isNaN)).toBe(true);
    expectRelative(res.d2, want);
  });
});

describe('SubmatrixQuadraticForms', () => {
  it('d_oᵀ(A_oo)⁻¹d_o equals the direct solve for every subset of a 6 × 6 matrix', () => {
    const rng = new Prng(9);
    const n = 6;
    const g = Array.from({ length: n * (n + 2) }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n + 2; k++) a[i * n + j] += g[k * n + i] * g[k * n + j];
    const forms = SubmatrixQuadraticForms.of(a, n)!;
    const d0 = Array.from({ length: n }, () => rng.normal());
    for (let mask = 0; mask < 1 << n; mask++) {
      const o = [...Array(n).keys()].filter((j) => !(mask & (1 << j)));
      if (o.length === 0) continue;
      const missing = Int32Array.from([...Array(n).keys()].filter((j) => mask & (1 << j)));
      const L = choleskyRows(o.map((x) => o.map((y) => a[x * n + y])))!;
      let want = 0;
      const z: number[] = [];
      o.forEach((j, i) => {
        let v = d0[j];
        for (let k = 0; k < i; k++) v -= L[i][k] * z[k];
        z.push(v / L[i][i]);
        want += z[i] * z[i];
      });
      const got = forms.evaluate(Float64Array.from(d0), missing, missing.length);
      expect(Math.abs(got - want), `mask ${mask}`).toBeLessThanOrEqual(1e-9 * want);
    }
  });

  it('is null for a matrix that is not positive definite', () => {
    expect(SubmatrixQuadraticForms.of(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });
});
