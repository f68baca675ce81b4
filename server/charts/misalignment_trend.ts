import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../analysis/errors.js';
import { finiteOrNull } from './privacy.js';
import { ALERT_COLOR, CHART_CONFIG, MUTED_COLOR, ORGANISATION_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

/** The shared-items series across a version boundary (a teal distinct from the unit's and the organisation's colours). */
const SHARED_COLOR = '#0f766e';

export interface MisalignmentWave {
  /** Wave name as `seici score` reports it. */
  readonly wave: string;
  readonly n: number;
  /** Misalignment M: SD of the unit-wave's three dimension z-scores. */
  readonly misalignment: number | null;
  /** Drift: M minus M at the unit's baseline wave. */
  readonly drift: number | null;
  /** The organisation's median M in the wave, for comparison. */
  readonly organisationMisalignment?: number | null;
  /** M on the items shared with another instrument version (the two waves either side of a version boundary). */
  readonly sharedMisalignment?: number | null;
}

export interface MisalignmentTrendData {
  readonly title: string;
  readonly subtitle?: string;
  readonly minGroupSize: number;
  /** Waves in time order. Waves with fewer than minGroupSize respondents are left out. */
  readonly waves: readonly MisalignmentWave[];
  /** The modest dispersion at which the model expects performance to peak (default 0.5 SD). */
  readonly expectedOptimum?: number;
  /** The first wave on a new instrument version: a rule is drawn there with `label` (e.g. "v2 from here · 69 shared items"). */
  readonly versionBoundary?: { readonly wave: string; readonly label: string };
}

/** One point of the trend as it appears in the spec's data. */
export interface TrendPoint {
  readonly wave: string;
  readonly series: 'Misalignment M' | 'Drift from baseline' | 'Organisation median M' | 'M on shared items';
  readonly value: number;
}

export function trendPoints(data: MisalignmentTrendData): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const w of data.waves) {
    if (!(w.n >= data.minGroupSize)) continue;
    const m = finiteOrNull(w.misalignment);
    const d = finiteOrNull(w.drift);
    const o = finiteOrNull(w.organisationMisalignment);
    if (m !== null) points.push({ wave: w.wave, series: 'Misalignment M', value: m });
    if (d !== null) points.push({ wave: w.wave, series: 'Drift from baseline', value: d });
    if (o !== null) points.push({ wave: w.wave, series: 'Organisation median M', value: o });
    const shared = finiteOrNull(w.sharedMisalignment);
    if (shared !== null) points.push({ wave: w.wave, series: 'M on shared items', value: shared });
  }
  return points;
}

/**
 * Misalignment M and drift over waves as a line chart (one line per series, points on each
 * wave), with the organisation's median M for comparison, a zero line for drift and a
 * dotted reference at the expected optimum dispersion (≈0.5 SD, H7). Waves in which the
 * unit is below the minimum group size are omitted entirely. Across an instrument-version
 * boundary, the two waves either side carry M on the shared items as a series of its own, and a
 * dashed rule marks the first wave of the new version with its label.
 */
export function misalignmentTrendSpec(data: MisalignmentTrendData): TopLevelSpec {
  if (!Number.isInteger(data.minGroupSize) || data.minGroupSize < 1) {
    throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least 1; got ${data.minGroupSize}.`);
  }
  const optimum = data.expectedOptimum ?? 0.5;
  const shown = data.waves.filter((w) => w.n >= data.minGroupSize).map((w) => w.wave);
  const points0 = trendPoints(data);
  const hasShared = points0.some((p) => p.series === 'M on shared items');
  const series = ['Misalignment M', 'Drift from baseline', 'Organisation median M', ...(hasShared ? ['M on shared items'] : [])];
  const boundary = data.versionBoundary && shown.includes(data.versionBoundary.wave) ? data.versionBoundary : null;
  const x = { field: 'wave', type: 'ordinal', sort: shown, title: 'Wave', axis: { labelAngle: 0 } } as const;
  const points = points0;
  if (points.length === 0) {
    // Nothing to draw (M needs more than one published unit): say so rather than draw empty axes.
    return {
      $schema: VEGA_LITE_SCHEMA,
      description: `Misalignment and drift over waves: ${data.title}`,
      title: { text: data.title, subtitle: data.subtitle ?? 'M = SD of the standardized dimension scores; drift = change in M since the baseline wave' },
      config: CHART_CONFIG,
      width: 420,
      height: 60,
      data: { values: [{ text: 'No misalignment to show: it needs other published units to standardize against.' }] },
      mark: { type: 'text', fontSize: 13, color: '#52606d', align: 'left', x: 0, y: 30 },
      encoding: { text: { field: 'text' } },
    };
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Misalignment and drift over waves: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? 'M = SD of the standardized dimension scores; drift = change in M since the baseline wave' },
    config: CHART_CONFIG,
    width: 420,
    height: 220,
    layer: [
      {
        data: { values: [{ y: 0 }] },
        mark: { type: 'rule', color: MUTED_COLOR, strokeWidth: 1 },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: [{ y: optimum, label: `expected optimum ≈ ${optimum}` }] },
        layer: [
          { mark: { type: 'rule', color: MUTED_COLOR, strokeDash: [2, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
          {
            mark: { type: 'text', align: 'right', baseline: 'top', dy: 3, fontSize: 10, color: '#52606d', x: 'width' },
            encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: 'line', point: { size: 50, filled: true }, strokeWidth: 2.5 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'SD units' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: series, range: [UNIT_COLOR, ALERT_COLOR, ORGANISATION_COLOR, SHARED_COLOR] },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 300, orient: 'right', direction: 'vertical' },
          },
          strokeDash: { field: 'series', type: 'nominal', scale: { domain: series, range: [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]] } },
          tooltip: [{ field: 'wave' }, { field: 'series' }, { field: 'value', format: '.2f' }],
        },
      },
      ...(boundary
        ? [
            {
              data: { values: [{ wave: boundary.wave, label: boundary.label }] },
              layer: [
                { mark: { type: 'rule' as const, color: MUTED_COLOR, strokeDash: [4, 4], strokeWidth: 1.5 }, encoding: { x } },
                { mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, y: 2, fontSize: 10, color: '#52606d' }, encoding: { x, text: { field: 'label', type: 'nominal' as const } } },
              ],
            },
          ]
        : []),
    ],
  };
}
