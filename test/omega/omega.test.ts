import { describe, expect, it } from 'vitest';
import { omegaSchmidLeiman } from '../../analysis/index.js';
import { contractCase, seici } from '../helpers/cli.js';
import { BIG5, HS9, completeCases, fixtureData, maxAbsDiff, reference } from '../efa/helpers.js';

// R: psych::omega 2.2.9 (minres, oblimin), the hs1939-omega-3 contract case and
// test/fixtures/r/efa-reference.R. Optimiser output: 1e-3.
describe('seici omega matches psych::omega', () => {
  it('hs1939-omega-3 contract case', () => {
    const { args, expected } = contractCase('hs1939-omega-3');
    const r = seici([...args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.n).toBe(expected.n);
    expect(Math.abs(r.json.omegaH - expected.omegaH)).toBeLessThan(1e-3);
    expect(Math.abs(r.json.omegaTotal - expected.omegaTotal)).toBeLessThan(1e-3);
    expect(Math.abs(r.json.alpha - expected.alpha)).toBeLessThan(1e-6);
  });

  it('Schmid-Leiman general loadings, communalities, omega limit and ECV', () => {
    const o = omegaSchmidLeiman(fixtureData('hs1939.csv', HS9), { items: HS9, nfactors: 3 });
    const ref = reference.omega_hs;
    expect(maxAbsDiff(o.items.map((i) => i.g), ref.g)).toBeLessThan(1e-3);
    expect(maxAbsDiff(o.items.map((i) => i.h2), ref.h2)).toBeLessThan(1e-3);
    expect(Math.abs(o.omegaLimit - ref.omegaLimit)).toBeLessThan(1e-3);
    expect(Math.abs(o.ecv - ref.ecv)).toBeLessThan(1e-3);
    expect(o.diagnostics.converged).toBe(true);
  });

  it('two group factors (equal general loadings) with reverse-worded items flipped', () => {
    const items = BIG5.slice(0, 10);
    // R used the rows complete on all 25 items (efa-reference.R: x[, 1:10] of na.omit(bfi[, big5]))
    const rows = completeCases(fixtureData('bfi.csv', BIG5)).map((r) => r.slice(0, 10));
    const o = omegaSchmidLeiman(rows, { items, nfactors: 2 });
    const ref = reference.omega_bfi_2;
    expect(Math.abs(o.omegaH - ref.omegaH)).toBeLessThan(1e-3);
    expect(Math.abs(o.omegaTotal - ref.omegaTotal)).toBeLessThan(1e-3);
    expect(Math.abs(o.alpha - ref.alpha)).toBeLessThan(1e-6);
    expect(o.items.filter((i) => i.flipped).map((i) => i.item).sort()).toEqual(['A1', 'C4', 'C5']);
    expect(o.diagnostics.warnings.join(' ')).toMatch(/not identified/);
  });

  it('input errors exit 2 with one line', () => {
    const r = seici(['omega', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3', '--nfactors', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--nfactors');
  });
});
