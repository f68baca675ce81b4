import { describe, expect, it } from 'vitest';
import { contractCase, seici } from '../helpers/cli.js';
import { expectEstimates, expectFit } from './helpers.js';

// The shared/CONTRACT.md cases for cfa, invariance and validity, run through the built CLI
// against lavaan 0.6.14 / semTools 0.5.6 (test/fixtures/cases, made by shared/oracle).
describe('seici cfa matches lavaan', () => {
  for (const name of ['hs1939-cfa-3factor', 'hs1939-cfa-3factor-stdlv', 'hs1939-cfa-3factor-school', 'bfi-cfa-5factor', 'bfi-cfa-5factor-fiml']) {
    it(name, () => {
      const c = contractCase(name);
      const r = seici([...c.args, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.json.n).toBe(c.expected.n);
      expect(r.json.converged).toBe(true);
      expectFit(r.json.fit, c.expected.fit);
      expectEstimates(r.json.estimates, c.expected.estimates);
    });
  }
});

describe('seici invariance matches lavaan', () => {
  for (const name of ['hs1939-invariance-school', 'bfi-invariance-gender']) {
    it(name, () => {
      const c = contractCase(name);
      const r = seici([...c.args, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.json.n).toBe(c.expected.n);
      expect(r.json.models.map((m: any) => m.level)).toEqual(c.expected.models.map((m: any) => m.level));
      c.expected.models.forEach((m: any, i: number) => expectFit(r.json.models[i], m, m.level));
      c.expected.comparisons.forEach((m: any, i: number) => {
        const g = r.json.comparisons[i];
        expect([g.from, g.to, g.dfDiff, g.holds]).toEqual([m.from, m.to, m.dfDiff, m.holds]);
        expectFit(g, { chisqDiff: m.chisqDiff, p: m.p, deltaCfi: m.deltaCfi, deltaRmsea: m.deltaRmsea }, `${m.from}->${m.to}`);
      });
    });
  }
});

describe('seici validity matches semTools', () => {
  it('bfi-validity-5factor', () => {
    const c = contractCase('bfi-validity-5factor');
    const r = seici([...c.args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    c.expected.factors.forEach((f: any, i: number) => {
      expect(r.json.factors[i].factor).toBe(f.factor);
      for (const k of ['ave', 'cr', 'sqrtAve']) expect(Math.abs(r.json.factors[i][k] - f[k])).toBeLessThan(1e-3);
    });
    c.expected.htmt.forEach((h: any, i: number) => {
      expect([r.json.htmt[i].a, r.json.htmt[i].b]).toEqual([h.a, h.b]);
      expect(Math.abs(r.json.htmt[i].value - h.value)).toBeLessThan(1e-6);
    });
    expect(r.json.fornellLarcker).toBe(c.expected.fornellLarcker);
  });
});

describe('bad input', () => {
  it('names a model variable the CSV lacks', () => {
    const r = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'bfi-5factor.lav', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--model names "A2"/);
  });
  it('names a missing model file', () => {
    const r = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'nope.lav']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--model nope.lav: no such file/);
  });
  it('rejects an unknown invariance level', () => {
    const r = seici(['invariance', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--group', 'school', '--levels', 'configural,weak']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--levels/);
  });
});

describe('SEI models from an item map and modification indices on the command line', () => {
  it('invariance --sei-model cells --map fits the nine-cell model across rounds', () => {
    const r = seici(['invariance', '--csv', 'sei-small.csv', '--sei-model', 'cells', '--map', 'sei-small-map.json', '--group', 'round', '--levels', 'configural,metric', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.groups).toEqual(['2026Q1', '2026Q3']);
    // 36 items, 9 factors: metric adds 27 equal loadings
    expect(r.json.comparisons[0].dfDiff).toBe(27);
  });
  it('cfa --modindices lists the largest score tests (lavaan::modindices order)', () => {
    const r = seici(['cfa', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--modindices', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.modificationIndices.map((m: any) => `${m.lhs}${m.op}${m.rhs}`)).toEqual(['visual=~x9', 'x7~~x8']);
    expect(r.json.modificationIndices[0].mi).toBeCloseTo(36.411, 3);
  });
  it('asks for a model when neither --model nor --sei-model is given', () => {
    const r = seici(['validity', '--csv', 'hs1939.csv']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--model is required/);
  });
});
