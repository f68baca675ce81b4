import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, seici } from '../helpers/cli.js';

const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/multilevel-references.json'), 'utf8'));

describe('seici cfa --cluster', () => {
  it('fits a model with level blocks and gives cfa\'s keys with level and per-level SRMR', () => {
    const r = seici(['cfa', '--csv', 'demo-twolevel.csv', '--model', 'demo-twolevel.lav', '--cluster', 'cluster', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const want = ref.demo.fit;
    for (const k of ['chisq', 'df', 'pvalue', 'cfi', 'tli', 'rmsea', 'rmseaLower', 'rmseaUpper', 'srmr', 'srmrWithin', 'srmrBetween', 'aic', 'bic', 'logl']) {
      expect(Math.abs(r.json.fit[k] - want[k]), k).toBeLessThanOrEqual(k === 'chisq' || k === 'aic' || k === 'bic' || k === 'logl' ? Math.max(1e-6 * Math.abs(want[k]), 1e-3) : 1e-3);
    }
    expect(r.json.n).toBe(2500);
    expect(r.json.clusters).toBe(200);
    const y2 = r.json.estimates.find((e: any) => e.lhs === 'fb' && e.op === '=~' && e.rhs === 'y2');
    expect(y2.level).toBe(2);
    expect(Math.abs(y2.se - 0.0518)).toBeLessThan(1e-3);
  });

  it('--sei-model cells --cluster: the cells at both levels, ω within and between, ICC(2) per cell and dimension', () => {
    const r = seici(['cfa', '--csv', 'multilevel-panel.csv', '--sei-model', 'cells', '--map', 'multilevel-panel-map-2cells.json', '--cluster', 'unit', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.syntax).toContain('SxA_b =~ SxA_1 + SxA_2 + SxA_3 + SxA_4');
    expect(Math.abs(r.json.fit.chisq - ref.panelTwo.fit.chisq)).toBeLessThan(1e-3);
    const sxa = r.json.reliability.composites.find((c: any) => c.name === 'SxA');
    expect(Math.abs(sxa.omegaWithin - ref.omegaTwo[0].omegaWithin)).toBeLessThan(1e-3);
    expect(Math.abs(sxa.icc2 - ref.omegaTwo[0].icc2)).toBeLessThan(1e-6);
    const structural = r.json.reliability.composites.find((c: any) => c.name === 'structural');
    expect(Math.abs(structural.omegaWithin - ref.omegaComposite.omegaWithin)).toBeLessThan(1e-3);
    expect(r.json.itemLevels).toHaveLength(8);
  });

  it('--equal-loadings: one label per item at both levels', () => {
    const r = seici(['cfa', '--csv', 'multilevel-panel.csv', '--sei-model', 'cells', '--map', 'multilevel-panel-map-2cells.json', '--cluster', 'unit', '--equal-loadings', '--json']);
    expect(r.status).toBe(0);
    const l = (level: number) => r.json.estimates.find((e: any) => e.op === '=~' && e.rhs === 'SxC_3' && e.level === level);
    expect(l(1).label).toBe('l_SxC_3');
    expect(l(1).est).toBe(l(2).est);
    expect(r.json.fit.df).toBe(ref.panelTwo.fit.df + 6);
  });

  it('refuses what it cannot do with one line naming the argument', () => {
    const cases: [string[], RegExp][] = [
      [['--model', 'demo-twolevel.lav'], /has "level:" blocks; give --cluster/],
      [['--model', 'demo-twolevel.lav', '--cluster', 'cluster', '--missing', 'ml'], /--missing ml is not available with --cluster/],
      [['--model', 'demo-twolevel.lav', '--cluster', 'nosuch'], /--cluster/],
      [['--model', 'hs1939-3factor.lav', '--cluster', 'cluster'], /no "level: 1" \/ "level: 2" blocks/],
      [['--sei-model', 'dimensions', '--map', 'multilevel-panel-map.json', '--cluster', 'cluster'], /--sei-model dimensions is not available with --cluster/],
    ];
    for (const [args, message] of cases) {
      const r = seici(['cfa', '--csv', 'demo-twolevel.csv', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
