import { describe, expect, it } from 'vitest';
import type { UnitRecord } from '../../server/queries/units.js';
import { formatNumber } from '../../server/web/console_views.js';
import { unitTree } from '../../server/web/pages.js';
import type { LoadingRow, ScaleAnalysis } from '../../analysis/index.js';
import { loadingViews, scaleReportRows, type ScaleReport } from '../../server/web/reports/scale_report.js';

function unit(key: string, parentKey: string | null): UnitRecord {
  return { id: 0, key, name: key.toUpperCase(), parentKey, context: null, attributes: {}, createdAt: '2026-01-01T00:00:00.000Z' };
}

function loading(item: string, cell: LoadingRow['cell'], primaryFactor: number): LoadingRow {
  return { item, cell, loadings: [0.6, 0.1], communality: 0.4, primaryFactor, primaryLoading: 0.6, crossLoading: 0.1, verdict: 'keep', reason: 'fine' };
}

describe('console view models', () => {
  it('formats numbers with a true minus sign, no negative zero and a dash for missing values', () => {
    expect(formatNumber(-1.5)).toBe('−1.50');
    expect(formatNumber(-0.004)).toBe('0.00');
    expect(formatNumber(0.1234, 3)).toBe('0.123');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Infinity)).toBe('–');
  });

  it('builds the unit hierarchy, with units whose parent is unknown as roots', () => {
    const tree = unitTree([unit('org', null), unit('a', 'org'), unit('a1', 'a'), unit('b', 'org'), unit('lost', 'gone')]);
    expect(tree.map((n) => n.unit.key)).toEqual(['org', 'lost']);
    expect(tree[0].children.map((n) => n.unit.key)).toEqual(['a', 'b']);
    expect(tree[0].children[0].children.map((n) => n.unit.key)).toEqual(['a1']);
  });

  it('marks items that load primarily with another cell than their own', () => {
    const views = loadingViews([loading('S1', 'SxA', 1), loading('S2', 'SxA', 1), loading('S3', 'SxA', 2), loading('R1', 'RxA', 2), loading('R2', 'RxA', 2)]);
    expect(views.map((v) => [v.item, v.cellFactor, v.strays])).toEqual([
      ['S1', 1, false],
      ['S2', 1, false],
      ['S3', 1, true],
      ['R1', 2, false],
      ['R2', 2, false],
    ]);
  });

  it('writes the scale report as one tidy CSV with empty cells for missing numbers', () => {
    const analysis: ScaleAnalysis = {
      n: 10,
      nItems: 2,
      items: [{ item: 'S1', cell: 'SxA', reverse: false, n: 10, mean: 4, sd: 1, floor: 0, ceiling: 0.1, rTotal: 0.7, rDrop: 0.5, alphaIfDropped: NaN }],
      reliability: [{ scale: 'SxA', kind: 'cell', nItems: 2, n: 10, alpha: 0.8, alphaStd: 0.8, averageR: 0.66, omegaTotal: null, nOmega: null }],
      parallel: { error: 'too few rows' },
      efa: { error: 'too few rows' },
      cfa: [{ model: 'Structural', error: 'not identified' }],
      invariance: [],
      requirements: [],
      seconds: 0.1,
    };
    const report: ScaleReport = {
      wave: { id: 1, name: 'W', analysisId: 1, analysedAt: null },
      minGroupSize: 5,
      units: 2,
      computedAt: '2026-01-01T00:00:00.000Z',
      analysis,
      agreement: [],
      unitAgreement: [{ unitKey: 'u1', n: 5, rwgj: { structural: 0.8, relational: null, translational: 0.9 } }],
    };
    const rows = scaleReportRows(report);
    expect(rows[0]).toEqual(['table', 'row', 'column', 'value']);
    expect(rows.every((r) => r.length === 4)).toBe(true);
    expect(rows).toContainEqual(['items', 'S1', 'alphaIfDropped', '']);
    expect(rows).toContainEqual(['items', 'S1', 'mean', '4']);
    expect(rows).toContainEqual(['reliability', 'SxA', 'omegaTotal', '']);
    expect(rows).toContainEqual(['parallel', 'all', 'error', 'too few rows']);
    expect(rows).toContainEqual(['cfa', 'Structural', 'error', 'not identified']);
    expect(rows).toContainEqual(['unit_rwgj', 'u1', 'relational', '']);
  });
});
