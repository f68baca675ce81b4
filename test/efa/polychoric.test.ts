import { describe, expect, it } from 'vitest';
import { polychoricCorrelation } from '../../analysis/index.js';
import { completeCases, fixtureData, maxAbsDiff, reference } from './helpers.js';

// R: psych::polychoric 2.2.9 with its defaults (test/fixtures/r/efa-reference.R). Brent's search is
// the same iteration as R's optimize, so the estimates agree far inside 1e-6.
const AC = ['A1', 'A2', 'A3', 'A4', 'A5', 'C1', 'C2', 'C3', 'C4', 'C5'];
const data = completeCases(fixtureData('bfi.csv', AC));

describe('polychoricCorrelation matches psych::polychoric', () => {
  it('global thresholds (every item uses the same categories)', () => {
    const p = polychoricCorrelation(data);
    expect(p.globalThresholds).toBe(true);
    expect(p.categories).toBe(6);
    expect(maxAbsDiff(p.tau, reference.poly_global.tau)).toBeLessThan(1e-9);
    expect(maxAbsDiff(p.rho, reference.poly_global.rho)).toBeLessThan(1e-6);
    expect(p.smoothed).toBe(false);
  });

  it('pairwise thresholds with the .5 correction when items differ in their categories', () => {
    const mixed = data.map((row) => [Math.min(row[0], 4), row[1], row[2], row[3], row[4]]);
    const p = polychoricCorrelation(mixed);
    expect(p.globalThresholds).toBe(false);
    expect(p.diagnostics.warnings.join(' ')).toMatch(/pair by pair/);
    expect(maxAbsDiff(p.rho, reference.poly_local.rho)).toBeLessThan(1e-6);
  });

  it('rejects non-integer codes and constant items with an InputError', () => {
    expect(() => polychoricCorrelation([[1.5, 2], [2, 3], [1, 1]])).toThrow(/whole-number/);
    expect(() => polychoricCorrelation([[1, 2], [1, 3], [1, 1]])).toThrow(/no variance/);
  });

  it('recovers a known latent correlation from discretised bivariate normal data', () => {
    // deterministic grid of normal scores (quasi-random), rho = .6, cut at fixed thresholds
    const rho = 0.6;
    const rows: number[][] = [];
    let s = 12345;
    const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
    for (let i = 0; i < 20000; i++) {
      const z1 = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
      const z2 = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
      const y = rho * z1 + Math.sqrt(1 - rho * rho) * z2;
      const cut = (v: number) => (v < -1 ? 1 : v < 0 ? 2 : v < 0.8 ? 3 : 4);
      rows.push([cut(z1), cut(y), cut(z2)]);
    }
    const p = polychoricCorrelation(rows);
    expect(Math.abs(p.rho[0][1] - rho)).toBeLessThan(0.03);
    expect(Math.abs(p.rho[0][2])).toBeLessThan(0.03);
  });
});
