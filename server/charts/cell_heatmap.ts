import type { TopLevelSpec } from 'vega-lite';
import { CELLS, cellDimension, cellLever, type Cell } from '../../instrument/index.js';
import { InputError } from '../../analysis/errors.js';
import { finiteOrNull, requireReportable } from './privacy.js';
import { CHART_CONFIG, DIMENSION_LABELS, LEVER_LABELS, VEGA_LITE_SCHEMA } from './theme.js';

export interface CellHeatmapData {
  readonly title: string;
  readonly subtitle?: string;
  /** Respondents behind the scores, checked against `minGroupSize`. */
  readonly n: number;
  readonly minGroupSize: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** Cell scores; null or a missing key when the cell could not be scored. */
  readonly cells: Readonly<Partial<Record<Cell, number | null>>>;
  /** Optional organisation scores: each tile then also shows the unit's difference from them. */
  readonly organisation?: Readonly<Partial<Record<Cell, number | null>>>;
  /** Cells to outline, e.g. the weakest cells that the suggested interventions address. */
  readonly highlight?: readonly Cell[];
}

/** One tile of the heatmap as it appears in the spec's data. */
export interface HeatmapTile {
  readonly cell: Cell;
  readonly dimension: string;
  readonly lever: string;
  readonly score: number | null;
  readonly label: string;
  readonly detail: string;
  readonly highlight: boolean;
}

/** The nine tiles of a cell heatmap, dimension rows by lever columns. */
export function heatmapTiles(data: CellHeatmapData): HeatmapTile[] {
  return CELLS.map((cell) => {
    const score = finiteOrNull(data.cells[cell]);
    const org = finiteOrNull(data.organisation?.[cell]);
    const diff = score !== null && org !== null ? score - org : null;
    return {
      cell,
      dimension: DIMENSION_LABELS[cellDimension(cell)],
      lever: LEVER_LABELS[cellLever(cell)],
      score,
      label: score === null ? 'n/a' : score.toFixed(2),
      detail: diff === null ? cell.replace('x', '×') : `${cell.replace('x', '×')}  ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(2)} vs org`,
      highlight: data.highlight?.includes(cell) ?? false,
    };
  });
}

/**
 * The 3×3 SEI cell heatmap: rows are the coherence dimensions, columns the governance
 * levers, colour the cell score on a diverging red-blue scale centred on the scale's
 * midpoint (colour-blind safe), with the score printed in each tile. Unscored cells are grey.
 */
export function cellHeatmapSpec(data: CellHeatmapData): TopLevelSpec {
  requireReportable(data.n, data.minGroupSize, data.title);
  if (!(data.scaleMax > data.scaleMin)) throw new InputError('scaleMax', `scaleMax must exceed scaleMin; got ${data.scaleMin} and ${data.scaleMax}.`);
  const mid = (data.scaleMin + data.scaleMax) / 2;
  const strong = (data.scaleMax - data.scaleMin) * 0.3;
  const rows = Object.values(DIMENSION_LABELS);
  const cols = Object.values(LEVER_LABELS);
  const x = { field: 'lever', type: 'nominal', sort: cols, title: null, axis: { orient: 'top', labelAngle: 0, domain: false, ticks: false, labelPadding: 6 } } as const;
  const y = { field: 'dimension', type: 'nominal', sort: rows, title: null, axis: { domain: false, ticks: false, labelPadding: 6 } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `SEI cell heatmap: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? `n = ${data.n}; scale ${data.scaleMin}–${data.scaleMax}` },
    config: CHART_CONFIG,
    width: 360,
    height: 240,
    data: { values: heatmapTiles(data) as unknown as Record<string, unknown>[] },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 3, cornerRadius: 3 },
        encoding: {
          color: {
            field: 'score',
            type: 'quantitative',
            title: 'Cell score',
            scale: { scheme: 'redblue', domain: [data.scaleMin, mid, data.scaleMax] },
            legend: { orient: 'right', direction: 'vertical', gradientLength: 160 },
          },
          tooltip: [
            { field: 'cell', title: 'Cell' },
            { field: 'label', title: 'Score' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.score === null' }],
        mark: { type: 'rect', fill: '#e4e7eb', stroke: 'white', strokeWidth: 3, cornerRadius: 3 },
      },
      {
        transform: [{ filter: 'datum.highlight' }],
        mark: { type: 'rect', fill: null, stroke: '#1f2933', strokeWidth: 2.5, strokeDash: [5, 3], cornerRadius: 3 },
      },
      {
        mark: { type: 'text', fontSize: 18, fontWeight: 600, baseline: 'middle', dy: -6 },
        encoding: {
          text: { field: 'label' },
          color: { condition: { test: `datum.score !== null && abs(datum.score - ${mid}) > ${strong}`, value: 'white' }, value: '#1f2933' },
        },
      },
      {
        mark: { type: 'text', fontSize: 10, baseline: 'middle', dy: 14 },
        encoding: {
          text: { field: 'detail' },
          color: { condition: { test: `datum.score !== null && abs(datum.score - ${mid}) > ${strong}`, value: 'white' }, value: '#3e4c59' },
        },
      },
    ],
  };
}
