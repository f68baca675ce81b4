import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitOrdinalSem, itemSkewness, NINE_CELL_MODEL, ordinalInvariance, ordinalMeasurement, ordinalReadingRule, reverseKey, scaleAnalysis, seiModelSyntax, simulatePanel, type OrdinalFitRow, type OrdinalInvarianceTable } from '../../analysis/index.js';
import { ConsoleViews } from '../../server/web/console_views.js';
import { scaleReportRows } from '../../server/web/reports/scale_report.js';
import type { Cell } from '../../analysis/sei_model.js';
import { FIXTURES } from '../helpers/cli.js';

// psych 2.2.9: test/fixtures/r/item-skewness.R
const skewRef = JSON.parse(readFileSync(resolve(FIXTURES, 'r/item-skewness.json'), 'utf8'));

describe('itemSkewness (psych::skew, type 3)', () => {
  it('equals psych::skew with and without missing answers', () => {
    const col = (v: (number | null)[]) => v.map((x) => [x === null ? NaN : x]);
    expect(Math.abs(itemSkewness(col(skewRef.x), 0) - skewRef.skewX)).toBeLessThan(1e-12);
    expect(Math.abs(itemSkewness(col(skewRef.y), 0) - skewRef.skewY)).toBeLessThan(1e-12);
    expect(itemSkewness([[3], [3], [3]], 0)).toBeNaN();
  });
});

describe('ordinalReadingRule', () => {
  it('reads the ordinal fit with ≤ 4 categories, or ≤ 7 with a quarter of the items skewed; ML otherwise', () => {
    expect(ordinalReadingRule(4, 0, 20).read).toBe('ordinal');
    expect(ordinalReadingRule(7, 5, 20).read).toBe('ordinal');
    expect(ordinalReadingRule(7, 4, 20).read).toBe('ml');
    expect(ordinalReadingRule(11, 20, 20).read).toBe('ml');
    expect(ordinalReadingRule(7, 0, 20).rule).toMatch(/Rhemtulla, Brosseau-Liard & Savalei, 2012/);
  });
});

describe('the scale-developer run\'s ordinal path', () => {
  // 27 items (3 per cell), two contexts of 250, answers piled towards the top of the 7-point scale
  const panel = simulatePanel({ contexts: ['north', 'south'], unitsPerContext: 25, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['w1'], itemsPerCell: 3, missing: 0.01, cellMeans: { SxA: 1.2, SxC: 1.2, SxV: 1.2, RxA: 1.2, RxC: 1.2, RxV: 1.2, TxA: 1.2, TxC: 1.2, TxV: 1.2 } }, 5);
  const items = panel.items.map((id) => ({ id, cell: panel.map.items[id].cell as Cell, reverse: panel.map.items[id].reverse ?? false }));
  const rows = panel.answers as number[][];
  const contexts = [...panel.context];
  const analysis = scaleAnalysis({ scaleMin: 1, scaleMax: 7, items, rows, contexts, seed: 3 }, { ordinal: true });
  const keyed = reverseKey(rows, items.flatMap((it, j) => (it.reverse ? [j] : [])), { min: 1, max: 7 });
  const ids = items.map((i) => i.id);

  it('holds WLSMV fits equal to calling the library directly, per dimension and for the nine-cell model', () => {
    const o = analysis.ordinal!;
    expect(o.estimator).toBe('WLSMV');
    expect(o.cfa.map((c) => c.model)).toEqual(['Structural: three correlated cell factors', 'Relational: three correlated cell factors', 'Translational: three correlated cell factors', NINE_CELL_MODEL]);
    const nine = o.cfa[3] as OrdinalFitRow;
    const direct = fitOrdinalSem({ columns: ids, rows: keyed }, seiModelSyntax(items.map((i) => ({ item: i.id, cell: i.cell })), 'cells'), { estimator: 'wlsmv' });
    expect(nine.n).toBe(direct.n);
    expect(nine.chisqScaled).toBe(direct.fit.chisqScaled);
    expect(nine.cfiScaled).toBe(direct.fit.cfiScaled);
    expect(nine.rmseaRobust).toBe(direct.fit.rmseaRobust);
    expect(nine.df).toBe(direct.fit.df);
    const s = o.cfa[0] as OrdinalFitRow;
    const sDirect = fitOrdinalSem({ columns: ids, rows: keyed }, seiModelSyntax(items.filter((i) => i.cell.startsWith('S')).map((i) => ({ item: i.id, cell: i.cell })), 'cells'), { estimator: 'wlsmv' });
    expect([s.chisqScaled, s.tliScaled, s.cfiRobust]).toEqual([sDirect.fit.chisqScaled, sDirect.fit.tliScaled, sDirect.fit.cfiRobust]);
    // listwise on each model's items: the nine-cell model keeps fewer rows than a dimension's
    expect(nine.n).toBeLessThan(s.n);
    expect(o.categories).toBe(7);
    expect(o.skewedItems).toBe(keyed[0].map((_, j) => itemSkewness(keyed, j)).filter((v) => Math.abs(v) >= 1).length);
  });

  it('holds ordinal invariance across contexts equal to ordinalInvariance, and says why it could not be tested', () => {
    // the skewed panel leaves the lowest answer empty in a context: lavaan refuses that, and the run reports it
    const refused = analysis.ordinal!.invariance[1] as { scale: string; error: string };
    expect(() => ordinalInvariance({ columns: ids, rows: keyed, groups: contexts }, seiModelSyntax(items.filter((i) => i.cell.startsWith('R')).map((i) => ({ item: i.id, cell: i.cell })), 'cells'))).toThrow(refused.error);
    expect(refused.error).toMatch(/has no answers in category 1 in group/);
    // a symmetric panel: every category answered in both contexts
    const even = simulatePanel({ contexts: ['north', 'south'], unitsPerContext: 20, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['w1'], itemsPerCell: 3, missing: 0, spread: 2.2 }, 8);
    const evenRows = reverseKey(even.answers as number[][], items.flatMap((it, j) => (it.reverse ? [j] : [])), { min: 1, max: 7 });
    const o = ordinalMeasurement(items, evenRows, even.context, { invariance: true });
    const t = o.invariance[1] as OrdinalInvarianceTable;
    expect(t.scale).toBe('Relational');
    const direct = ordinalInvariance({ columns: ids, rows: evenRows, groups: [...even.context] }, seiModelSyntax(items.filter((i) => i.cell.startsWith('R')).map((i) => ({ item: i.id, cell: i.cell })), 'cells'));
    expect(t.models.map((m) => m.level)).toEqual(['configural', 'thresholds', 'loadings', 'intercepts']);
    expect(t.models.map((m) => m.chisqScaled)).toEqual(direct.models.map((m) => m.chisqScaled));
    expect(t.comparisons.map((c) => c.p)).toEqual(direct.comparisons.map((c) => c.p));
    expect(t.groupSizes).toEqual(direct.groupSizes);
  });

  it('is left out unless asked for', () => {
    expect(scaleAnalysis({ scaleMin: 1, scaleMax: 7, items, rows: rows.slice(0, 40), contexts: contexts.slice(0, 40), seed: 3 }).ordinal).toBeUndefined();
  });

  it('shows in the report next to ML, with the reading rule, and in its CSV', () => {
    const report = { wave: { id: 1, name: 'W1', analysisId: 1, analysedAt: null }, minGroupSize: 5, units: 50, computedAt: '2026-11-30T00:00:00Z', analysis, agreement: [], unitAgreement: [] };
    const html = new ConsoleViews(resolve('views/console')).render('scale_report', { report, cells: [], aggregates: [], loadings: [], flagged: [], factors: [] });
    const nine = analysis.ordinal!.cfa[3] as OrdinalFitRow;
    const table = html.slice(html.indexOf('data-testid="ordinal-cfa"'), html.indexOf('</table>', html.indexOf('data-testid="ordinal-cfa"')));
    expect(table).toContain(NINE_CELL_MODEL);
    expect(table).toContain(`<td class="num">${nine.n}</td><td class="num">${nine.chisqScaled.toFixed(2)}</td>`);
    expect(table).toContain(nine.cfiScaled.toFixed(3));
    expect(html).toContain('data-testid="ordinal-rule"');
    expect(html).toMatch(/Rhemtulla, Brosseau-Liard &amp; Savalei, 2012/);
    expect(html.match(/data-testid="ordinal-invariance-error"/g)).toHaveLength(3);
    expect(html).toContain('Ordinal invariance of Relational could not be tested: ordered variable');
    const csv = scaleReportRows(report as never);
    expect(csv).toContainEqual(['ordinal_cfa', NINE_CELL_MODEL, 'cfiScaled', String(nine.cfiScaled)]);
    expect(csv.find((r) => r[0] === 'ordinal' && r[2] === 'read')?.[3]).toBe(analysis.ordinal!.read);
  });
});
