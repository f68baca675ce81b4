import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, type Cell } from '../../instrument/index.js';
import {
  breakpointTimelineSpec,
  cellHeatmapSpec,
  misalignmentTrendSpec,
  responseRateSpec,
  scoreBarsSpec,
  screePlotSpec,
  type DimensionLeverScores,
} from '../../server/charts/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { countMarks, itemCount, markGroups, renderTo, texts } from './render_helpers.js';

/** R-computed unit scores of the small SEI fixture (`seici score` contract case). */
const scored = JSON.parse(readFileSync(resolve(FIXTURES, 'cases/sei-small-score.json'), 'utf8')).expected;
type UnitWave = { unit: string; wave: string; n: number; cells: Record<Cell, number>; dimensions: any; levers: any; misalignment: number; drift: number | null; rwgj: any };
const unitWaves = scored.units as UnitWave[];
const MIN_GROUP = 5;
const t04 = unitWaves.find((u) => u.unit === 'T04' && u.wave === '2026Q1')!;

function organisationMean(wave: string): { cells: Record<Cell, number>; scores: DimensionLeverScores } {
  const rows = unitWaves.filter((u) => u.wave === wave && u.n >= MIN_GROUP);
  const mean = (f: (u: UnitWave) => number) => rows.reduce((s, u) => s + f(u), 0) / rows.length;
  const cells = Object.fromEntries(CELLS.map((c) => [c, mean((u) => u.cells[c])])) as Record<Cell, number>;
  const pick = (key: 'dimensions' | 'levers') => Object.fromEntries(Object.keys(t04[key]).map((k) => [k, mean((u) => u[key][k])]));
  return { cells, scores: { dimensions: pick('dimensions'), levers: pick('levers') } };
}

describe('report charts rendered to SVG', () => {
  it('cell heatmap: 9 tiles with their labels and scores, weakest cells outlined', async () => {
    const org = organisationMean('2026Q1');
    const weakest = [...CELLS].sort((a, b) => t04.cells[a] - t04.cells[b]).slice(0, 2);
    const svg = await renderTo(
      'cell-heatmap',
      cellHeatmapSpec({
        title: 'Unit T04 · wave 2026Q1',
        n: t04.n,
        minGroupSize: MIN_GROUP,
        scaleMin: 1,
        scaleMax: 5,
        cells: t04.cells,
        organisation: org.cells,
        highlight: weakest,
      }),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    const rects = markGroups(svg, 'rect');
    expect(itemCount(rects[0])).toBe(9);
    expect(itemCount(rects[2])).toBe(2);
    const t = texts(svg);
    for (const cell of CELLS) {
      expect(t).toContain(t04.cells[cell].toFixed(2));
      const diff = t04.cells[cell] - org.cells[cell];
      expect(t).toContain(`${cell.replace('x', '×')}  ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(2)} vs org`);
    }
    for (const label of ['Structural', 'Relational', 'Translational', 'Accountability', 'Communication', 'Visibility']) expect(t).toContain(label);
    expect(t).toContain('Unit T04 · wave 2026Q1');
  });

  it('cell heatmap: an unscored cell shows n/a on grey', async () => {
    const cells = { ...t04.cells, TxV: null };
    const svg = await renderTo('cell-heatmap-missing', cellHeatmapSpec({ title: 'T04', n: 12, minGroupSize: 5, scaleMin: 1, scaleMax: 5, cells }));
    expect(texts(svg).filter((x) => x === 'n/a')).toHaveLength(1);
    expect(itemCount(markGroups(svg, 'rect')[1])).toBe(1);
  });

  it('refuses unit-level charts below the minimum group size', () => {
    const small = unitWaves.find((u) => u.n < MIN_GROUP)!;
    expect(() => cellHeatmapSpec({ title: small.unit, n: small.n, minGroupSize: MIN_GROUP, scaleMin: 1, scaleMax: 5, cells: small.cells })).toThrow(
      /fewer than the minimum group size 5/,
    );
    expect(() =>
      scoreBarsSpec({ title: small.unit, n: small.n, minGroupSize: MIN_GROUP, scaleMin: 1, scaleMax: 5, unit: { dimensions: small.dimensions, levers: small.levers } }),
    ).toThrow(/cannot be shown/);
  });

  it('dimension and lever bars: six bars, organisation ticks and agreement', async () => {
    const org = organisationMean('2026Q1');
    const svg = await renderTo(
      'score-bars',
      scoreBarsSpec({
        title: 'Unit T04 against the organisation · 2026Q1',
        n: t04.n,
        minGroupSize: MIN_GROUP,
        scaleMin: 1,
        scaleMax: 5,
        unit: { dimensions: t04.dimensions, levers: t04.levers },
        organisation: org.scores,
        rwgj: t04.rwgj,
      }),
    );
    // One facet per group (dimensions, levers), each with three bars and three organisation ticks.
    expect(markGroups(svg, 'rect', 'layer_0').map(itemCount)).toEqual([3, 3]);
    expect(markGroups(svg, 'rect', 'layer_1').map(itemCount)).toEqual([3, 3]);
    const t = texts(svg);
    expect(t).toContain('Dimensions');
    expect(t).toContain('Levers');
    expect(t).toContain(`${t04.dimensions.structural.toFixed(2)} · rwg(j) ${t04.rwgj.structural.toFixed(2).replace(/^0/, '')}`);
    expect(t).toContain(t04.levers.visibility.toFixed(2));
  });

  it('misalignment and drift: lines over waves, waves below the minimum group left out', async () => {
    const waves = ['2025Q3', '2025Q4', '2026Q1', '2026Q2', '2026Q3'];
    const m = [0.42, 0.47, 0.61, 0.79, 0.92];
    const org = [0.5, 0.52, 0.5, 0.55, 0.53];
    const data = {
      title: 'Unit T07 · misalignment and drift',
      minGroupSize: MIN_GROUP,
      waves: waves.map((wave, k) => ({ wave, n: k === 3 ? 4 : 9, misalignment: m[k], drift: m[k] - m[0], organisationMisalignment: org[k] })),
    };
    const svg = await renderTo('misalignment-trend', misalignmentTrendSpec(data));
    const lines = markGroups(svg, 'line');
    expect(lines).toHaveLength(3);
    const symbols = markGroups(svg, 'symbol');
    expect(symbols.reduce((s, g) => s + itemCount(g), 0)).toBe(3 * 4);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['2025Q3', '2025Q4', '2026Q1', '2026Q3', 'Misalignment M', 'Drift from baseline', 'Organisation median M']));
    expect(t).not.toContain('2026Q2');
    expect(t).toContain('expected optimum ≈ 0.5');
  });

  it('misalignment from the R-scored fixture: T01\'s second wave (n = 4) is invisible', async () => {
    const rows = unitWaves.filter((u) => u.unit === 'T01');
    const svg = await renderTo(
      'misalignment-fixture',
      misalignmentTrendSpec({ title: 'T01', minGroupSize: MIN_GROUP, waves: rows.map((u) => ({ wave: u.wave, n: u.n, misalignment: u.misalignment, drift: u.drift })) }),
    );
    expect(texts(svg)).toContain('2026Q1');
    expect(texts(svg)).not.toContain('2026Q3');
  });

  it('breakpoint timeline: one bar per breakpoint with its cells, wave rules', async () => {
    const breakpoints = [
      { unit: 'T07', signal: 'decisionLatency', cells: ['SxA', 'SxV'], start: '2026-02-02', end: '2026-03-09', periods: 6, peak: 6.5 },
      { unit: 'T07', signal: 'reworkRate', cells: ['TxA', 'TxV'], start: '2026-03-16', end: '2026-04-13', periods: 5, peak: 0.31 },
      { unit: 'T07', signal: 'rcDrop', cells: ['RxC', 'RxA'], start: '2026-04-06', end: '2026-05-18', periods: 7, peak: 0.7 },
      { unit: 'T07', signal: 'decisionLatency', cells: ['SxA', 'SxV'], start: '2026-05-25', end: '2026-06-15', periods: 4, peak: 5 },
    ];
    const svg = await renderTo(
      'breakpoint-timeline',
      breakpointTimelineSpec({
        title: 'Unit T07 · breakpoints',
        breakpoints,
        from: '2026-01-01',
        to: '2026-07-01',
        waves: [
          { name: 'Wave 1', date: '2026-01-19' },
          { name: 'Wave 2', date: '2026-04-20' },
        ],
      }),
    );
    expect(countMarks(svg, 'rect')).toBe(4);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Decision latency', 'Rework rate', 'Relational coordination drop', 'S×A, S×V', 'T×A, T×V', 'Wave 1', 'Wave 2']));
    expect(itemCount(markGroups(svg, 'rule')[0])).toBe(2);
  });

  it('breakpoint timeline without breakpoints says so', async () => {
    const svg = await renderTo('breakpoint-timeline-empty', breakpointTimelineSpec({ title: 'Unit T02 · breakpoints', breakpoints: [] }));
    expect(texts(svg)).toContain('No breakpoints in this period.');
  });

  it('scree plot: observed and parallel-analysis lines from psych::fa.parallel on bfi', async () => {
    const pa = JSON.parse(readFileSync(new URL('./fixtures/bfi-parallel.json', import.meta.url), 'utf8'));
    const svg = await renderTo(
      'scree-plot',
      screePlotSpec({ title: 'bfi · 25 items', eigenvalues: pa.factorEigenvalues, parallel: pa.parallelFactor, suggestedFactors: pa.nfact }),
    );
    expect(markGroups(svg, 'line')).toHaveLength(2);
    expect(markGroups(svg, 'symbol').reduce((s, g) => s + itemCount(g), 0)).toBe(50);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Observed', 'Parallel analysis', '6 factors', 'Parallel analysis suggests 6 factors']));
  });

  it('response rates: one bar per unit, units below the minimum group size marked', async () => {
    const units = [
      { unit: 'Payments', invited: 14, responded: 11 },
      { unit: 'Risk', invited: 9, responded: 4 },
      { unit: 'Onboarding', invited: 20, responded: 13 },
      { unit: 'Data Platform', invited: 6, responded: 6 },
      { unit: 'Customer Care', invited: 25, responded: 9 },
    ];
    const svg = await renderTo('response-rate', responseRateSpec({ title: 'Wave 2026Q3 · response rates', minGroupSize: MIN_GROUP, units, target: 0.6 }));
    expect(countMarks(svg, 'rect', 'layer_0_layer_0')).toBe(5);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['11/14 (79%)', '4/9 (44%)', '6/6 (100%)', 'Below minimum group size', 'Reportable', 'target 60%']));
    expect(() => responseRateSpec({ title: 'x', minGroupSize: 5, units: [{ unit: 'A', invited: 3, responded: 4 }] })).toThrow(/0 <= responded <= invited/);
  });
});
