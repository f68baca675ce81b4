import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, contractCase, seici } from '../helpers/cli.js';
import { expectDeep } from './helpers.js';

// The shared/CONTRACT.md "hypotheses" and "panel" cases (test/fixtures/cases/research-*.json),
// R's values from lm, sandwich 3.0-2, lmtest, plm 2.6-2 and lavaan 0.6-14 (shared/oracle/research.R).
// Closed forms (OLS, HC3, Sobel, ΔR², delta method, Lind–Mehlum, within estimator with clustered
// SEs) to 1e-6; the cross-lagged model is optimiser output: 1e-3, χ²-scale statistics 1e-4 relative.
const closedForm = [
  'research-effects-H1', 'research-effects-H2', 'research-effects-H3', 'research-effects-H4', 'research-effects-H5',
  'research-effects-H6', 'research-effects-H7', 'research-null-H1', 'research-effects-fe', 'research-did-did', 'research-did-event',
];

describe.each(closedForm)('seici matches R: %s', (name) => {
  it('every expected number agrees to 1e-6', () => {
    const { args, expected } = contractCase(name);
    const run = seici([...args, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expectDeep(run.json, expected, 1e-6);
  });
});

describe('seici panel --model clpm matches lavaan::sem', () => {
  it('fit and estimates agree (1e-3; χ², logL, AIC, BIC 1e-4 relative)', () => {
    const { args, expected } = contractCase('research-effects-clpm');
    const run = seici([...args, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const got = run.json;
    expect(got.n).toBe(expected.n);
    expect(got.converged).toBe(true);
    for (const [k, v] of Object.entries(expected.fit) as [string, number][]) {
      const tol = ['chisq', 'aic', 'bic', 'logl'].includes(k) ? 1e-4 * Math.abs(v) : 1e-3;
      expect(Math.abs(got.fit[k] - v), `fit.${k}`).toBeLessThanOrEqual(tol);
    }
    for (const e of expected.estimates) {
      const g = got.estimates.find((x: any) => x.lhs === e.lhs && x.op === e.op && x.rhs === e.rhs)
        ?? got.estimates.find((x: any) => e.op === '~~' && x.lhs === e.rhs && x.op === e.op && x.rhs === e.lhs);
      expect(g, `${e.lhs} ${e.op} ${e.rhs}`).toBeDefined();
      for (const k of ['est', 'se', 'std']) expect(Math.abs(g[k] - e[k]), `${e.lhs} ${e.op} ${e.rhs} ${k}`).toBeLessThanOrEqual(1e-3);
    }
    expect(got.syntax).toContain('TC_2 ~ TC_1 + PQ_1');
  });
});

describe('research commands: bad input exits 2 with one line naming the fault', () => {
  it.each([
    [['hypotheses', '--csv', 'research-effects.csv', '--tests', 'H9'], '--tests'],
    [['hypotheses', '--csv', 'research-effects.csv', '--tests', 'H1', '--bootstrap', 'many'], '--bootstrap'],
    [['hypotheses', '--csv', 'research-effects.csv', '--waves', '1,2'], '--waves'],
    [['hypotheses', '--csv', 'research-effects.csv', '--waves', '1,2,9'], '"9"'],
    [['hypotheses', '--csv', 'research-did.csv', '--tests', 'H1'], 'SC'],
    [['hypotheses', '--csv', 'nope.csv'], 'nope.csv'],
    [['hypotheses', '--csv', 'research-effects.csv', '--unit', 'team'], 'team'],
    [['panel', '--csv', 'research-effects.csv', '--model', 'ols', '--y', 'PQ'], '--model'],
    [['panel', '--csv', 'research-effects.csv', '--model', 'fe', '--y', 'PQ'], '--x'],
    [['panel', '--csv', 'research-effects.csv', '--model', 'fe', '--y', 'PQ', '--x', 'SC,nope'], 'nope'],
    [['panel', '--csv', 'research-did.csv', '--model', 'did', '--y', 'PQ'], '--event-wave'],
    [['panel', '--csv', 'research-effects.csv', '--model', 'clpm', '--y', 'PQ', '--x', 'SC,RC'], '--x'],
    [['panel', '--csv', 'research-did.csv', '--model', 'fe', '--y', 'PQ', '--x', 'treated'], 'treated'],
  ])('%j', (args, named) => {
    const r = seici([...args, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(named);
  });
});

describe('hypotheses reads other column names and explicit waves', () => {
  it('--unit/--wave name the columns and --waves the design\'s three waves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-hyp-'));
    const text = readFileSync(join(FIXTURES, 'research-effects.csv'), 'utf8').replace(/^unit,wave,/, 'team,round,');
    writeFileSync(join(dir, 'p.csv'), text);
    const { expected } = contractCase('research-effects-H4');
    const r = seici(['hypotheses', '--csv', 'p.csv', '--unit', 'team', '--wave', 'round', '--waves', '1,2,3', '--tests', 'H4', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expectDeep(r.json, expected, 1e-6);
    const swapped = seici(['hypotheses', '--csv', 'p.csv', '--unit', 'team', '--wave', 'round', '--waves', '2,1,3', '--tests', 'H4', '--json'], dir);
    expect(swapped.status, swapped.stderr).toBe(0);
    expect(swapped.json.H4.waves).toEqual(['2', '1', '3']);
    expect(swapped.json.H4.models.drift.terms[1].est).not.toBeCloseTo(expected.H4.models.drift.terms[1].est, 3);
  });
});

describe('seici simulate --research feeds the research commands', () => {
  it('writes a unit-wave panel whose planted effects hypotheses finds, and a null panel where it finds none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-research-'));
    const made = seici(['simulate', '--research', '--seed', '5', '--units', '600', '--out', 'sim', '--truth', '--json'], dir);
    expect(made.status, made.stderr).toBe(0);
    expect(made.json.rows).toBe(1800);
    const truth = JSON.parse(readFileSync(join(dir, 'sim/truth.json'), 'utf8'));
    expect(truth.indirect.SC).toBeCloseTo(0.35 * 0.4, 12);
    const h = seici(['hypotheses', '--csv', 'sim/research-panel.csv', '--bootstrap', '500', '--json'], dir);
    expect(h.status, h.stderr).toBe(0);
    expect(Object.values(h.json).map((x: any) => x.supported)).toEqual([true, true, true, true, true, true, true]);
    const d = seici(['panel', '--csv', 'sim/research-panel.csv', '--model', 'did', '--y', 'PQ', '--treated', 'treated', '--event-wave', 'eventWave', '--json'], dir);
    expect(d.status, d.stderr).toBe(0);
    expect(Math.abs(d.json.att.est - truth.treatment.att)).toBeLessThan(2.6 * d.json.att.se);
    expect(seici(['simulate', '--research', '--null-effects', '--seed', '5', '--units', '300', '--out', 'null'], dir).status).toBe(0);
    const n = seici(['hypotheses', '--csv', 'null/research-panel.csv', '--bootstrap', '500', '--json'], dir);
    expect(Object.values(n.json).map((x: any) => x.supported)).toEqual([false, false, false, false, false, false, false]);
  });
});
