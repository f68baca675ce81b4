import { describe, expect, it } from 'vitest';
import { agreement, scoreUnits, simulatePanel } from '../../analysis/index.js';
import { codeLabels, columnsFromRows, groupMembers, labelsOf, rowsFromColumns } from '../../analysis/data/columns.js';

describe('column-stored data', () => {
  const panel = simulatePanel({ unitsPerContext: 30, unitSize: { mean: 10, min: 1, max: 25 }, waves: ['W1', 'W2', 'W3'], missing: 0.05, drift: { share: 0.2 } }, 11);
  const unit = panel.unit.map((u, i) => (i % 97 === 0 ? null : u));
  const wave = panel.wave.map((w, i) => (i % 113 === 0 ? null : w));

  it('scoreUnits gives the same result, bit for bit, from columns and codes as from rows and strings', () => {
    const fromRows = scoreUnits({ items: panel.items, answers: panel.answers, unit, wave }, panel.map, { minGroupSize: 3 });
    const fromColumns = scoreUnits(
      { items: panel.items, answers: columnsFromRows(panel.answers, panel.items.length), unit: codeLabels(unit), wave: codeLabels(wave) },
      panel.map,
      { minGroupSize: 3 },
    );
    expect(fromRows.units.length).toBeGreaterThan(50);
    expect(JSON.stringify(fromColumns)).toBe(JSON.stringify(fromRows));
  });

  it('agreement gives the same result, bit for bit, from columns and codes as from rows and strings', () => {
    const x = panel.answers.map((r) => r.slice(0, 7));
    const fromRows = agreement(x, unit, { scalePoints: 7 });
    const fromColumns = agreement(columnsFromRows(x, 7), codeLabels(unit), { scalePoints: 7 });
    expect(fromRows.dropped).toBeGreaterThan(0);
    expect(JSON.stringify(fromColumns)).toBe(JSON.stringify(fromRows));
  });

  it('round-trips rows and labels, and groups members in order', () => {
    const rows = [[1, NaN], [3, 4], [5, 6]];
    expect(rowsFromColumns(columnsFromRows(rows, 2))).toEqual(rows);
    const coded = codeLabels(['b', null, 'a', 'b']);
    expect(coded.levels).toEqual(['b', 'a']);
    expect(Array.from(coded.codes)).toEqual([0, -1, 1, 0]);
    expect(labelsOf(coded)).toEqual(['b', null, 'a', 'b']);
    const g = groupMembers(coded.codes, 2);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3]);
    expect(Array.from(g.members)).toEqual([0, 3, 2]);
  });
});
