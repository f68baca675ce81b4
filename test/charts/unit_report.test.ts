import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS } from '../../instrument/index.js';
import { unitReportCharts, type UnitWaveScores } from '../../server/charts/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { countMarks, renderTo, texts } from './render_helpers.js';

/** R-computed `seici score` output for the small SEI fixture (10 teams, 2 waves, 1-5 scale). */
const rows = JSON.parse(readFileSync(resolve(FIXTURES, 'cases/sei-small-score.json'), 'utf8')).expected.units as UnitWaveScores[];
const options = { scaleMin: 1, scaleMax: 5, minGroupSize: 5 };

describe('unit report charts from scored unit-waves', () => {
  it('compares the unit with the mean of the reportable units of its wave', async () => {
    const charts = unitReportCharts(rows, { ...options, unit: 'T04', wave: '2026Q3' });
    const unit = rows.find((r) => r.unit === 'T04' && r.wave === '2026Q3')!;
    const peers = rows.filter((r) => r.wave === '2026Q3' && r.n >= 5);
    expect(peers.length).toBeLessThan(rows.filter((r) => r.wave === '2026Q3').length);
    const svg = await renderTo('unit-report-heatmap', charts.heatmap);
    for (const cell of CELLS) {
      const org = peers.reduce((s, p) => s + (p.cells[cell] as number), 0) / peers.length;
      const diff = (unit.cells[cell] as number) - org;
      expect(texts(svg)).toContain(`${cell.replace('x', '×')}  ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(2)} vs org`);
    }
    const sorted = [...CELLS].sort((a, b) => (unit.cells[a] as number) - (unit.cells[b] as number));
    expect(charts.weakestCells).toEqual(sorted.slice(0, 2));
    expect(countMarks(svg, 'rect', 'layer_2')).toBe(2);
    await renderTo('unit-report-bars', charts.scoreBars);
  });

  it('leaves waves below the minimum group size out of the trend and refuses them as the report wave', async () => {
    const t01 = rows.filter((r) => r.unit === 'T01');
    expect(t01.map((r) => r.n)).toEqual([8, 4]);
    const charts = unitReportCharts(rows, { ...options, unit: 'T01', wave: '2026Q1' });
    const svg = await renderTo('unit-report-trend', charts.misalignment);
    expect(texts(svg)).not.toContain('2026Q3');
    expect(() => unitReportCharts(rows, { ...options, unit: 'T01', wave: '2026Q3' })).toThrow(
      'Unit T01 has no reportable scores in wave 2026Q3 (missing or below the minimum group size 5).',
    );
  });
});
