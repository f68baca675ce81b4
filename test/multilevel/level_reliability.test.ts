import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitTwoLevel, InputError, levelReliability, type TwoLevelData } from '../../analysis/index.js';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/multilevel-references.json'), 'utf8'));
const map = JSON.parse(readFileSync(resolve(FIXTURES, 'multilevel-panel-map.json'), 'utf8'));
const table = readTable(resolve(FIXTURES, 'multilevel-panel.csv'));
const items = Object.keys(map.items).filter((i) => i.startsWith('SxA') || i.startsWith('SxC'));
const data: TwoLevelData = { columns: items, rows: numericMatrix(table, items, '--csv'), clusters: stringColumn(table, 'unit', '--cluster') };
const reverse = items.filter((i) => map.items[i].reverse);
const scale = { min: map.scaleMin, max: map.scaleMax };
const cell = (c: string) => ({ name: c, items: items.filter((i) => map.items[i].cell === c), reverse });

// ω is a closed form of optimiser output (1e-3); the ICCs are closed forms of the data (1e-6)
describe('levelReliability: Geldhof, Preacher & Zyphur (2014) ω per level against the formula in R', () => {
  it('one factor per level: ω within, ω between and ICC(2) of the cell score', () => {
    const fit = fitTwoLevel(data, ref.panelOne.model);
    const r = levelReliability(fit, data, [cell('SxA')], scale);
    const [c] = r.composites;
    expect(Math.abs(c.omegaWithin - ref.omegaOne.omegaWithin)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(c.omegaBetween - ref.omegaOne.omegaBetween)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(c.icc2 - ref.omegaOne.icc2)).toBeLessThanOrEqual(1e-6);
    expect(c.units).toBe(80);
    // the simulated units have no item-specific unit variance: negative level-2 residuals push ω between over 1
    expect(r.diagnostics.warnings.some((w) => /ω between of SxA/.test(w))).toBe(true);
  });

  it('two correlated cells: each cell, and their composite with the factor covariance', () => {
    const fit = fitTwoLevel(data, ref.panelTwo.model);
    const r = levelReliability(fit, data, [cell('SxA'), cell('SxC'), { name: 'SxA+SxC', items, reverse }], scale);
    ref.omegaTwo.forEach((want: any, k: number) => {
      expect(r.composites[k].name).toBe(want.cell);
      expect(Math.abs(r.composites[k].omegaWithin - want.omegaWithin)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(r.composites[k].omegaBetween - want.omegaBetween)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(r.composites[k].icc2 - want.icc2)).toBeLessThanOrEqual(1e-6);
    });
    const comp = r.composites[2];
    expect(Math.abs(comp.omegaWithin - ref.omegaComposite.omegaWithin)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(comp.omegaBetween - ref.omegaComposite.omegaBetween)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(comp.icc2 - ref.omegaComposite.icc2)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(comp.icc1 - ref.omegaComposite.icc1)).toBeLessThanOrEqual(1e-6);
  });

  it('names the item or argument at fault', () => {
    const fit = fitTwoLevel(data, ref.panelOne.model);
    expect(() => levelReliability(fit, data, [{ name: 'x', items: ['SxC_1'] }], scale)).toThrow(/item SxC_1 is not an observed variable of level 1/);
    expect(() => levelReliability(fit, data, [cell('SxA')])).toThrow(InputError);
  });
});
