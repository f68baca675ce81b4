import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSem, scaleReliability } from '../../analysis/index.js';
import { numericMatrix, readTable } from '../../cli/io/csv.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { expectEstimates, expectFit, fixtureData } from './helpers.js';

// lavaan 0.6.14's answers in its corner cases: test/fixtures/r/sem-fidelity.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-fidelity.json'), 'utf8'));

describe('omega total uses lavaan\'s unbounded one-factor fit (Heywood case)', () => {
  const c = ref.omegaHeywood;
  const data = numericMatrix(readTable(resolve(FIXTURES, c.csv)), c.items, '--items');
  const r = scaleReliability(data, { items: c.items, bootstrap: 0 });

  it('equals lavaan\'s omega, loadings and (negative) residual variances within 1e-3', () => {
    expect(Math.abs(r.omegaTotal! - c.omegaTotal)).toBeLessThan(1e-3);
    // psych's bounded value differs by more than the tolerance, so the test tells the two apart
    expect(Math.abs(r.omegaTotal! - c.psychOmega)).toBeGreaterThan(1e-3);
    c.items.forEach((it: string, j: number) => {
      expect(Math.abs(r.omegaModel!.loadings[it] - c.loadings[j])).toBeLessThan(1e-3);
      expect(Math.abs(r.omegaModel!.residualVariances[it] - c.residualVariances[j])).toBeLessThan(1e-3);
    });
    expect(r.omegaModel!.residualVariances.a1).toBeLessThan(0);
  });

  it('warns of the Heywood case, naming the item', () => {
    expect(r.diagnostics.warnings.join(' ')).toMatch(/Heywood case: the residual variance of a1 is negative/);
  });

  it('agrees with seici cfa --std-lv on the same items', () => {
    const fit = fitSem(fixtureData(c.csv, 'f =~ a1 + a2 + a3'), 'f =~ a1 + a2 + a3', { stdLv: true });
    const theta = fit.estimates.find((e) => e.lhs === 'a1' && e.op === '~~' && e.rhs === 'a1')!.est;
    expect(Math.abs(theta - r.omegaModel!.residualVariances.a1)).toBeLessThan(1e-6);
  });

  it('is the closed form of a just-identified three-item model', () => {
    // λ₁² = r₁₂r₁₃/r₂₃ = 1.28, so θ₁ = −0.28; λ₂² = r₁₂r₂₃/r₁₃ = 0.5, λ₃² = 0.5
    const cor = [
      [1, 0.8, 0.8],
      [0.8, 1, 0.5],
      [0.8, 0.5, 1],
    ];
    const lambda = [Math.sqrt(1.28), Math.sqrt(0.5), Math.sqrt(0.5)];
    const theta = [-0.28, 0.5, 0.5];
    const sum = lambda[0] + lambda[1] + lambda[2];
    const omega = (sum * sum) / (sum * sum + theta[0] + theta[1] + theta[2]);
    const items = ['a', 'b', 'c'];
    // rows whose N-divisor covariance matrix is exactly `cor`: ±√3 times the rows of its Cholesky factor
    const l = [
      [1, 0, 0],
      [0.8, 0.6, 0],
      [0.8, -0.14 / 0.6, Math.sqrt(1 - 0.64 - (0.14 / 0.6) ** 2)],
    ];
    const rows: number[][] = [];
    for (let k = 0; k < 3; k++) for (const s of [1, -1]) rows.push(l.map((li) => s * Math.sqrt(3) * li[k]));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(rows.reduce((s, y) => s + y[i] * y[j], 0) / rows.length).toBeCloseTo(cor[i][j], 12);
    const r3 = scaleReliability(rows, { items, bootstrap: 0 });
    expect(Math.abs(r3.omegaTotal! - omega)).toBeLessThan(1e-6);
    expect(Math.abs(r3.omegaModel!.residualVariances.a - theta[0])).toBeLessThan(1e-6);
  });
});

describe('FIML with a missing exogenous covariate (fixed.x)', () => {
  const model = ref.fixedX.model as string;

  it('drops the rows missing a covariate and matches lavaan\'s missing = "ml"', () => {
    const r = fitSem(fixtureData('r/sem-fixedx.csv', model), model, { missing: 'ml' });
    expect(r.n).toBe(ref.fixedX.n);
    expect(r.droppedMissingCovariate).toBe(ref.fixedX.dropped);
    expect(r.diagnostics.warnings.join(' ')).toMatch(/13 rows were left out because an exogenous covariate/);
    expectFit(r.fit as never, ref.fixedX.fit);
    expectEstimates(r.estimates, ref.fixedX.estimates);
  });

  it('keeps them with fixedX false and matches lavaan\'s fixed.x = FALSE', () => {
    const r = fitSem(fixtureData('r/sem-fixedx.csv', model), model, { missing: 'ml', fixedX: false });
    expect(r.n).toBe(ref.randomX.n);
    expect(r.droppedMissingCovariate).toBeUndefined();
    expectFit(r.fit as never, ref.randomX.fit);
    expectEstimates(r.estimates, ref.randomX.estimates);
  });

  it('leaves listwise deletion as it was', () => {
    const r = fitSem(fixtureData('r/sem-fixedx.csv', model), model);
    expect(r.n).toBe(ref.listwiseX.n);
    expectFit(r.fit as never, ref.listwiseX.fit);
    expectEstimates(r.estimates, ref.listwiseX.estimates);
  });

  it('seici cfa --fixed-x reports the dropped rows', () => {
    const file = resolve(FIXTURES, 'r/sem-fixedx.lav');
    const on = seici(['cfa', '--csv', 'r/sem-fixedx.csv', '--model', file, '--missing', 'ml', '--json']);
    expect(on.status, on.stderr).toBe(0);
    expect(on.json.droppedMissingCovariate).toBe(ref.fixedX.dropped);
    const off = seici(['cfa', '--csv', 'r/sem-fixedx.csv', '--model', file, '--missing', 'ml', '--fixed-x', 'false', '--json']);
    expect(off.status, off.stderr).toBe(0);
    expect(off.json.n).toBe(ref.randomX.n);
    const bad = seici(['cfa', '--csv', 'r/sem-fixedx.csv', '--model', file, '--fixed-x', 'maybe']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--fixed-x must be one of true, false/);
  });
});

describe('a latent variable named like a data column', () => {
  it('is refused as lavaan refuses it (exit 2, one sentence)', () => {
    expect(ref.latentClash.message).toMatch(/collide with observed/);
    const file = resolve(FIXTURES, 'r/sem-latent-clash.lav');
    const r = seici(['cfa', '--csv', 'hs1939.csv', '--model', file]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--model names a latent variable "x1" like a column of hs1939\.csv/);
  });
});
