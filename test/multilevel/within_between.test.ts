import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, withinBetween } from '../../analysis/index.js';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/multilevel-references.json'), 'utf8'));

function expectClose(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `${what}[${i}]: got ${g}, R ${want[i]}`).toBeLessThanOrEqual(1e-6));
}

describe('withinBetween matches psych::statsBy 2.2.9', () => {
  for (const [name, csv] of [
    ['demoStatsBy', 'demo-twolevel.csv'],
    ['panelStatsBy', 'multilevel-panel.csv'],
  ] as const) {
    it(`${name}: rwg, rbg, ICC1, ICC2, F, etabg, etawg within 1e-6`, () => {
      const want = ref[name];
      const t = readTable(resolve(FIXTURES, csv));
      const r = withinBetween(numericMatrix(t, want.items, '--csv'), stringColumn(t, want.group, '--group'), want.items);
      want.within.forEach((row: number[], i: number) => expectClose(r.within[i], row, `within[${i}]`));
      want.between.forEach((row: number[], i: number) => expectClose(r.between[i], row, `between[${i}]`));
      expectClose(r.levels.map((l) => l.icc1), want.icc1, 'icc1');
      expectClose(r.levels.map((l) => l.icc2), want.icc2, 'icc2');
      expectClose(r.levels.map((l) => l.F), want.F, 'F');
      expectClose(r.levels.map((l) => l.etaBetween), want.etaBetween, 'etaBetween');
      expectClose(r.levels.map((l) => l.etaWithin), want.etaWithin, 'etaWithin');
      expectClose(r.levels.map((l) => l.etaSquared), want.etaBetween.map((e: number) => e * e), 'etaSquared');
    });
  }

  it('a missing answer leaves the unit mean in the between part and drops the row from the within part', () => {
    const rows = [
      [1, 2], [2, NaN], [3, 5],
      [4, 4], [6, 7], [5, 9],
      [2, 1], [1, 3], [3, 2],
    ];
    const units = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];
    const r = withinBetween(rows, units, ['x', 'y']);
    expect(r.levels[1].n).toBe(8);
    expect(r.levels[0].n).toBe(9);
    expect(Number.isFinite(r.within[0][1])).toBe(true);
  });

  it('names the argument at fault', () => {
    expect(() => withinBetween([[1], [2]], ['a', 'a'], ['x'])).toThrow(InputError);
    expect(() => withinBetween([[1], [2]], ['a', 'a'], ['x'])).toThrow(/units must name at least 2 different units; got 1/);
    expect(() => withinBetween([[1]], ['a', 'b'], ['x'])).toThrow(/one unit per row/);
  });
});
