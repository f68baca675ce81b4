import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapSem, fitSem } from '../../analysis/index.js';
import { FIXTURES, seici } from '../helpers/cli.js';
import { fixtureData } from './helpers.js';

// lavaan 0.6.14, se = "bootstrap" (1000 resamples), percentile intervals: test/fixtures/r/sem-bootstrap.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-bootstrap.json'), 'utf8'));
const B = 300;

describe('bootstrap standard errors and percentile intervals (lavaan se = "bootstrap")', () => {
  const data = fixtureData('hs1939.csv', ref.model);
  const r = bootstrapSem(data, ref.model, {}, { replicates: B, seed: 1 });

  it('matches lavaan within Monte Carlo error, the indirect effect (:=) included', () => {
    // Monte Carlo SDs: of an SE from B resamples ≈ SE/√(2B); of a 2.5% quantile ≈ 0.0845·SE·√(1000/B).
    // Both sides draw at random, so the tolerances are 4 SDs of the difference of two such estimates.
    const seTol = (se: number) => 4 * se * Math.sqrt(1 / (2 * (B - 1)) + 1 / (2 * (ref.replicates - 1)));
    const qTol = (se: number) => 4 * 0.0845 * se * Math.sqrt(1000 / B + 1000 / ref.replicates);
    for (const e of ref.estimates) {
      const g = r.estimates.find((x) => x.lhs === e.lhs && x.op === e.op && x.rhs === e.rhs)!;
      expect(g, `${e.lhs} ${e.op} ${e.rhs}`).toBeDefined();
      expect(Math.abs(g.est - e.est)).toBeLessThan(1e-3);
      if (e.se === 0) {
        expect(g.se).toBe(0);
        continue;
      }
      expect(Math.abs(g.se - e.se), `${e.lhs} ${e.op} ${e.rhs} se: ${g.se} vs lavaan ${e.se}`).toBeLessThan(seTol(e.se));
      expect(Math.abs(g.ciLower - e.ciLower), `${e.lhs}${e.op}${e.rhs} lower`).toBeLessThan(qTol(e.se));
      expect(Math.abs(g.ciUpper - e.ciUpper), `${e.lhs}${e.op}${e.rhs} upper`).toBeLessThan(qTol(e.se));
    }
    expect(r.bootstrap.valid).toBe(B);
  });

  it('is reproducible by seed and keeps the ML point estimates and fit', () => {
    const again = bootstrapSem(data, ref.model, {}, { replicates: 20, seed: 9 });
    const twice = bootstrapSem(data, ref.model, {}, { replicates: 20, seed: 9 });
    expect(again.estimates.map((e) => e.se)).toEqual(twice.estimates.map((e) => e.se));
    const ml = fitSem(data, ref.model);
    expect(again.fit.chisq).toBe(ml.fit.chisq);
    expect(again.estimates.map((e) => e.est)).toEqual(ml.estimates.map((e) => e.est));
  });

  it('seici cfa --se bootstrap gives intervals for := parameters; bad --bootstrap exits 2', () => {
    const ok = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'r/sem-bootstrap.lav', '--se', 'bootstrap', '--bootstrap', '20', '--seed', '3', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    const ind = ok.json.estimates.find((e: { op: string }) => e.op === ':=');
    expect(ind.ciLower).toBeLessThan(ind.est);
    expect(ind.ciUpper).toBeGreaterThan(ind.est);
    expect(ok.json.bootstrap).toEqual({ replicates: 20, valid: 20, seed: 3, level: 0.95 });
    const bad = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'r/sem-bootstrap.lav', '--se', 'bootstrap', '--bootstrap', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--bootstrap/);
  });
});
