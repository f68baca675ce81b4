import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../analysis/errors.js';
import { ALERT_COLOR, CHART_CONFIG, MUTED_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

export interface ScreePlotData {
  readonly title: string;
  readonly subtitle?: string;
  /** Eigenvalues of the item correlation matrix, descending. */
  readonly eigenvalues: readonly number[];
  /** Parallel analysis: the eigenvalues of random data (mean or 95th percentile), same length or shorter. */
  readonly parallel?: readonly number[];
  /** Number of factors suggested (e.g. observed above the parallel line); marked with a rule. */
  readonly suggestedFactors?: number;
  /** Show at most this many factors (default 30). */
  readonly maxFactors?: number;
  /** Draw the eigenvalue-1 (Kaiser) line; default true. */
  readonly kaiserLine?: boolean;
}

export interface ScreePoint {
  readonly factor: number;
  readonly series: 'Observed' | 'Parallel analysis';
  readonly eigenvalue: number;
}

export function screePoints(data: ScreePlotData): ScreePoint[] {
  const max = data.maxFactors ?? 30;
  const points: ScreePoint[] = [];
  const add = (values: readonly number[], series: ScreePoint['series'], name: string) => {
    values.slice(0, max).forEach((v, k) => {
      if (!Number.isFinite(v)) throw new InputError(name, `${name}[${k}] must be a finite number; got ${v}.`);
      points.push({ factor: k + 1, series, eigenvalue: v });
    });
  };
  add(data.eigenvalues, 'Observed', 'eigenvalues');
  if (data.parallel) add(data.parallel, 'Parallel analysis', 'parallel');
  return points;
}

/**
 * The scree plot: observed eigenvalues by factor number (solid line with points) against
 * the parallel-analysis eigenvalues of random data (dashed), with the eigenvalue-1 line
 * and the suggested number of factors marked.
 */
export function screePlotSpec(data: ScreePlotData): TopLevelSpec {
  if (data.eigenvalues.length < 2) throw new InputError('eigenvalues', `eigenvalues must hold at least 2 values; got ${data.eigenvalues.length}.`);
  const points = screePoints(data);
  const shown = Math.min(data.eigenvalues.length, data.maxFactors ?? 30);
  const series = ['Observed', 'Parallel analysis'];
  const x = { field: 'factor', type: 'quantitative' as const, title: 'Factor', scale: { domain: [0.5, shown + 0.5], nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  const k = data.suggestedFactors;
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Scree plot with parallel analysis: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? (k !== undefined ? `Parallel analysis suggests ${k} factor${k === 1 ? '' : 's'}` : 'Eigenvalues of the item correlation matrix') },
    config: CHART_CONFIG,
    width: 420,
    height: 240,
    layer: [
      ...(data.kaiserLine ?? true
        ? [{ data: { values: [{ y: 1 }] }, mark: { type: 'rule' as const, color: MUTED_COLOR, strokeDash: [2, 3] }, encoding: { y: { field: 'y', type: 'quantitative' as const } } }]
        : []),
      ...(k !== undefined && k >= 1
        ? [
            {
              data: { values: [{ factor: k + 0.5, label: `${k} factor${k === 1 ? '' : 's'}` }] },
              layer: [
                { mark: { type: 'rule' as const, color: ALERT_COLOR, strokeDash: [4, 3] }, encoding: { x: { ...x, title: 'Factor' } } },
                { mark: { type: 'text' as const, y: 0, dy: 8, align: 'left' as const, dx: 4, fontSize: 10, color: ALERT_COLOR }, encoding: { x, text: { field: 'label' } } },
              ],
            },
          ]
        : []),
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: 'line', point: { size: 36, filled: true }, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'eigenvalue', type: 'quantitative', title: 'Eigenvalue' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: series, range: [UNIT_COLOR, MUTED_COLOR] },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 300, orient: 'right', direction: 'vertical' },
          },
          strokeDash: { field: 'series', type: 'nominal', scale: { domain: series, range: [[1, 0], [6, 3]] } },
          tooltip: [{ field: 'series' }, { field: 'factor' }, { field: 'eigenvalue', format: '.3f' }],
        },
      },
    ],
  };
}
