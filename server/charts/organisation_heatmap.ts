import type { TopLevelSpec } from 'vega-lite';
import { CELLS, cellDimension, cellLever, type Cell } from '../../instrument/index.js';
import { InputError } from '../../analysis/errors.js';
import { finiteOrNull, requireReportable } from './privacy.js';
import { CHART_CONFIG, DIMENSION_LABELS, LEVER_LABELS, VEGA_LITE_SCHEMA } from './theme.js';

/** One published unit (or roll-up) of a wave: its name, respondents and nine cell scores. */
export interface OrganisationHeatmapUnit {
  readonly name: string;
  readonly n: number;
  readonly cells: Readonly<Partial<Record<Cell, number | null>>>;
}

export interface OrganisationHeatmapData {
  readonly title: string;
  readonly subtitle?: string;
  readonly minGroupSize: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** Published units only; each is checked against the minimum group size. */
  readonly units: readonly OrganisationHeatmapUnit[];
}

/** One tile: a unit's score on a cell. */
export interface OrganisationTile {
  readonly unit: string;
  readonly cell: string;
  readonly cellName: string;
  readonly score: number | null;
  readonly label: string;
}

/** The cell's column heading: `S×V` (its full name is in the tooltip). */
function cellHeading(cell: Cell): string {
  return cell.replace('x', '×');
}

export function organisationTiles(data: OrganisationHeatmapData): OrganisationTile[] {
  const names = new Set<string>();
  for (const u of data.units) {
    requireReportable(u.n, data.minGroupSize, u.name);
    if (names.has(u.name)) throw new InputError('units', `units names "${u.name}" twice; each row needs its own name.`);
    names.add(u.name);
  }
  return data.units.flatMap((u) =>
    CELLS.map((cell) => {
      const score = finiteOrNull(u.cells[cell]);
      return {
        unit: u.name,
        cell: cellHeading(cell),
        cellName: `${DIMENSION_LABELS[cellDimension(cell)]} × ${LEVER_LABELS[cellLever(cell)]}`,
        score,
        label: score === null ? 'n/a' : score.toFixed(1),
      };
    }),
  );
}

/**
 * The organisation-wide heatmap of a wave: one row per published unit, one column per SEI cell
 * (S×A … T×V), colour the cell score on the diverging red-blue scale around the scale's midpoint
 * (the unit heatmap's scale), the score printed in each tile. Only published units may be
 * passed: each must have at least the minimum group size of respondents.
 */
export function organisationHeatmapSpec(data: OrganisationHeatmapData): TopLevelSpec {
  if (!(data.scaleMax > data.scaleMin)) throw new InputError('scaleMax', `scaleMax must exceed scaleMin; got ${data.scaleMin} and ${data.scaleMax}.`);
  const tiles = organisationTiles(data);
  const mid = (data.scaleMin + data.scaleMax) / 2;
  const strong = (data.scaleMax - data.scaleMin) * 0.3;
  const units = data.units.map((u) => u.name);
  const x = { field: 'cell', type: 'nominal', sort: CELLS.map(cellHeading), title: null, axis: { orient: 'top', labelAngle: 0, domain: false, ticks: false, labelPadding: 6 } } as const;
  const y = { field: 'unit', type: 'nominal', sort: units, title: null, axis: { domain: false, ticks: false, labelPadding: 6, labelLimit: 220 } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Cell scores of every published unit: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? `Published units only (at least ${data.minGroupSize} respondents); scale ${data.scaleMin}–${data.scaleMax}` },
    config: CHART_CONFIG,
    width: 9 * 52,
    height: Math.max(40, units.length * 28),
    data: { values: tiles as unknown as Record<string, unknown>[] },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2, cornerRadius: 2 },
        encoding: {
          color: {
            field: 'score',
            type: 'quantitative',
            title: 'Cell score',
            scale: { scheme: 'redblue', domain: [data.scaleMin, mid, data.scaleMax] },
            legend: { orient: 'right', direction: 'vertical', gradientLength: 140 },
          },
          tooltip: [{ field: 'unit', title: 'Unit' }, { field: 'cellName', title: 'Cell' }, { field: 'label', title: 'Score' }],
        },
      },
      { transform: [{ filter: 'datum.score === null' }], mark: { type: 'rect', fill: '#e4e7eb', stroke: 'white', strokeWidth: 2, cornerRadius: 2 } },
      {
        mark: { type: 'text', fontSize: 11, baseline: 'middle' },
        encoding: {
          text: { field: 'label' },
          color: { condition: { test: `datum.score !== null && abs(datum.score - ${mid}) > ${strong}`, value: 'white' }, value: '#1f2933' },
        },
      },
    ],
  };
}
