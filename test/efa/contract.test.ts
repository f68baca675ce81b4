import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractCase, seici } from '../helpers/cli.js';
import { alignColumns, alignPhi, applyAlignment, maxAbsDiff } from './helpers.js';

// The shared/CONTRACT.md efa cases, R's values from psych 2.2.9 (test/fixtures/cases).
// Tolerances: 1e-3 for optimiser output (loadings, communalities, phi, fit indices), 1e-6 for the
// closed forms (eigenvalues, KMO, Bartlett), 1e-5 relative for the χ²-scale statistics.
const cases = [
  'bfi-efa-5-minres-oblimin',
  'bfi-efa-5-ml-promax',
  'bfi-efa-5-pa-varimax',
  'bfi-efa-2-poly-minres-oblimin',
  'hs1939-efa-3-ml-oblimin',
];

describe.each(cases)('seici efa matches psych::fa: %s', (name) => {
  const { args, expected } = contractCase(name);
  const run = seici([...args, '--json']);
  const got = run.json;

  it('runs and reports n', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(got.n).toBe(expected.n);
  });

  it('loadings, communalities and phi agree after aligning factor order and sign', () => {
    const items = Object.keys(expected.loadings);
    const g = items.map((i) => got.loadings[i]);
    const e = items.map((i) => expected.loadings[i]);
    const a = alignColumns(g, e);
    expect(maxAbsDiff(applyAlignment(g, a), e)).toBeLessThan(1e-3);
    expect(maxAbsDiff(items.map((i) => got.communalities[i]), items.map((i) => expected.communalities[i]))).toBeLessThan(1e-3);
    expect(maxAbsDiff(alignPhi(got.phi, a), expected.phi)).toBeLessThan(1e-3);
  });

  it('eigenvalues, KMO and Bartlett (closed forms) agree to 1e-6', () => {
    expect(maxAbsDiff(got.eigenvalues, expected.eigenvalues)).toBeLessThan(1e-6);
    expect(Math.abs(got.kmo - expected.kmo)).toBeLessThan(1e-6);
    expect(Math.abs(got.bartlett.chisq - expected.bartlett.chisq)).toBeLessThan(1e-6 * expected.bartlett.chisq);
    expect(got.bartlett.df).toBe(expected.bartlett.df);
    expect(Math.abs(got.bartlett.p - expected.bartlett.p)).toBeLessThan(1e-6);
  });

  it('fit statistics agree', () => {
    expect(got.fit.df).toBe(expected.fit.df);
    expect(Math.abs(got.fit.chisq - expected.fit.chisq)).toBeLessThan(1e-5 * expected.fit.chisq + 1e-3);
    expect(Math.abs(got.fit.bic - expected.fit.bic)).toBeLessThan(1e-5 * Math.abs(expected.fit.chisq) + 1e-3);
    expect(Math.abs(got.fit.rmsea - expected.fit.rmsea)).toBeLessThan(1e-3);
    expect(Math.abs(got.fit.tli - expected.fit.tli)).toBeLessThan(1e-3);
  });
});

describe('seici efa input errors', () => {
  const base = ['efa', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3,x4,x5,x6'];
  it.each([
    [[...base, '--nfactors', '6'], '--nfactors'],
    [[...base, '--nfactors', '2', '--rotate', 'spin'], '--rotate'],
    [[...base, '--nfactors', '2', '--fm', 'gls'], '--fm'],
    [['efa', '--csv', 'hs1939.csv', '--items', 'x1,x2,nope', '--nfactors', '1'], 'nope'],
    [['efa', '--csv', 'missing.csv', '--items', 'x1,x2,x3', '--nfactors', '1'], 'missing.csv'],
    [['efa', '--csv', 'hs1939.csv', '--items', 'x1,x2', '--nfactors', '1'], '--items'],
  ])('exits 2 with one line naming the fault (%j)', (args, named) => {
    const r = seici([...args, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(named);
  });

  it('names an item without variance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-efa-'));
    writeFileSync(join(dir, 'const.csv'), 'a,b,c,d\n1,2,3,4\n1,3,2,5\n1,4,4,4\n1,1,1,2\n1,2,5,1\n');
    const r = seici(['efa', '--csv', 'const.csv', '--items', 'a,b,c,d', '--nfactors', '1'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/item a has no variance/);
  });

  it('--cor poly refuses items with more than 8 categories', () => {
    const r = seici(['efa', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3,x4', '--nfactors', '1', '--cor', 'poly']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/whole-number|categories/);
  });

  it('prints a readable table without --json', () => {
    const r = seici([...base, '--nfactors', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('KMO');
    expect(r.stdout).toContain('factor correlations');
  });
});
