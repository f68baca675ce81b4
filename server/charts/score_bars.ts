import type { TopLevelSpec } from 'vega-lite';
import { DIMENSION_NAMES, DIMENSIONS, LEVER_NAMES, LEVERS, type DimensionName, type LeverName } from '../../instrument/index.js';
import { finiteOrNull, requireReportable } from './privacy.js';
import { CHART_CONFIG, DIMENSION_LABELS, LEVER_LABELS, ORGANISATION_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

/** Dimension and lever scores as `seici score` reports them. */
export interface DimensionLeverScores {
  readonly dimensions: Readonly<Partial<Record<DimensionName, number | null>>>;
  readonly levers: Readonly<Partial<Record<LeverName, number | null>>>;
}

export interface ScoreBarsData {
  readonly title: string;
  readonly subtitle?: string;
  readonly n: number;
  readonly minGroupSize: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly unit: DimensionLeverScores;
  /** The organisation's scores (mean over reportable units) for comparison. */
  readonly organisation?: DimensionLeverScores;
  /** rwg(j) per dimension, printed beside the dimension's bar. */
  readonly rwgj?: Readonly<Partial<Record<DimensionName, number | null>>>;
}

/** One bar of the chart as it appears in the spec's data. */
export interface ScoreBar {
  readonly group: 'Dimensions' | 'Levers';
  readonly name: string;
  readonly unit: number | null;
  readonly organisation: number | null;
  readonly label: string;
}

export function scoreBars(data: ScoreBarsData): ScoreBar[] {
  const bar = (group: ScoreBar['group'], name: string, unit: number | null, org: number | null, rwg: number | null): ScoreBar => ({
    group,
    name,
    unit,
    organisation: org,
    label: [unit === null ? 'n/a' : unit.toFixed(2), rwg === null ? '' : `rwg(j) ${rwg.toFixed(2).replace(/^0/, '')}`].filter(Boolean).join(' · '),
  });
  return [
    ...DIMENSIONS.map((d) => {
      const key = DIMENSION_NAMES[d];
      return bar('Dimensions', DIMENSION_LABELS[d], finiteOrNull(data.unit.dimensions[key]), finiteOrNull(data.organisation?.dimensions[key]), finiteOrNull(data.rwgj?.[key]));
    }),
    ...LEVERS.map((l) => {
      const key = LEVER_NAMES[l];
      return bar('Levers', LEVER_LABELS[l], finiteOrNull(data.unit.levers[key]), finiteOrNull(data.organisation?.levers[key]), null);
    }),
  ];
}

/**
 * Dimension and lever scores of a unit as horizontal bars, with the organisation's score
 * as a dark tick on each bar and the dimension's agreement rwg(j) printed beside it.
 */
export function scoreBarsSpec(data: ScoreBarsData): TopLevelSpec {
  requireReportable(data.n, data.minGroupSize, data.title);
  const bars = scoreBars(data);
  const order = bars.map((b) => b.name);
  const x = {
    field: 'unit',
    type: 'quantitative' as const,
    title: 'Score',
    scale: { domain: [data.scaleMin, data.scaleMax], nice: false },
    axis: { tickCount: data.scaleMax - data.scaleMin + 1, grid: true },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Dimension and lever scores: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? `n = ${data.n}; bars: this unit, ticks: organisation` },
    config: CHART_CONFIG,
    data: { values: bars as unknown as Record<string, unknown>[] },
    facet: { row: { field: 'group', type: 'nominal', title: null, sort: ['Dimensions', 'Levers'], header: { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelPadding: 4 } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 380,
      height: 96,
      encoding: { y: { field: 'name', type: 'nominal', sort: order, title: null } },
      layer: [
        {
          mark: { type: 'bar', color: UNIT_COLOR, height: 18, cornerRadiusEnd: 2 },
          encoding: { x, x2: { datum: data.scaleMin }, tooltip: [{ field: 'name' }, { field: 'unit', format: '.2f', title: 'Unit' }, { field: 'organisation', format: '.2f', title: 'Organisation' }] },
        },
        {
          transform: [{ filter: 'datum.organisation !== null' }],
          mark: { type: 'tick', color: ORGANISATION_COLOR, thickness: 3, size: 26 },
          encoding: { x: { ...x, field: 'organisation' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 8, fontSize: 11, color: '#1f2933' },
          encoding: {
            x: { datum: data.scaleMax, type: 'quantitative', scale: { domain: [data.scaleMin, data.scaleMax] } },
            text: { field: 'label' },
          },
        },
      ],
    },
  };
}
