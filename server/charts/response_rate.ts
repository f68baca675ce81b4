import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../analysis/errors.js';
import { CHART_CONFIG, MUTED_COLOR, ORGANISATION_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

export interface ResponseRateData {
  readonly title: string;
  readonly subtitle?: string;
  readonly minGroupSize: number;
  readonly units: readonly { readonly unit: string; readonly invited: number; readonly responded: number }[];
  /** A target response rate in [0, 1], drawn as a rule. */
  readonly target?: number;
}

export const STATUS_REPORTABLE = 'Reportable';
export const STATUS_BELOW_MINIMUM = 'Below minimum group size';

export interface ResponseRateBar {
  readonly unit: string;
  readonly rate: number;
  readonly status: typeof STATUS_REPORTABLE | typeof STATUS_BELOW_MINIMUM;
  readonly label: string;
}

export function responseRateBars(data: ResponseRateData): ResponseRateBar[] {
  return data.units.map((u, k) => {
    if (!Number.isInteger(u.invited) || !Number.isInteger(u.responded) || u.invited < 0 || u.responded < 0 || u.responded > u.invited) {
      throw new InputError('units', `Unit ${k + 1} (${u.unit}) needs whole counts with 0 <= responded <= invited; got ${u.responded} of ${u.invited}.`);
    }
    const rate = u.invited === 0 ? 0 : u.responded / u.invited;
    return {
      unit: u.unit,
      rate,
      status: u.responded >= data.minGroupSize ? STATUS_REPORTABLE : STATUS_BELOW_MINIMUM,
      label: `${u.responded}/${u.invited} (${Math.round(rate * 100)}%)`,
    };
  });
}

/**
 * Response rate per unit as horizontal bars: responded / invited, coloured by whether the
 * unit has reached the minimum group size and so will be reported, with the counts
 * printed and an optional target line. Counts only: no answers are shown.
 */
export function responseRateSpec(data: ResponseRateData): TopLevelSpec {
  if (data.target !== undefined && !(data.target >= 0 && data.target <= 1)) {
    throw new InputError('target', `target must be a rate between 0 and 1; got ${data.target}.`);
  }
  const bars = responseRateBars(data);
  const x = { field: 'rate', type: 'quantitative' as const, title: 'Response rate', scale: { domain: [0, 1] }, axis: { format: '%', grid: true, tickCount: 5 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Response rates: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? `Units are reported once at least ${data.minGroupSize} members have responded` },
    config: CHART_CONFIG,
    width: 600,
    height: Math.max(60, bars.length * 26),
    layer: [
      {
        data: { values: bars as unknown as Record<string, unknown>[] },
        encoding: { y: { field: 'unit', type: 'nominal', sort: bars.map((b) => b.unit), title: null, axis: { labelLimit: 200 } } },
        layer: [
          {
            mark: { type: 'bar', height: 16, cornerRadiusEnd: 2 },
            encoding: {
              x,
              color: {
                field: 'status',
                type: 'nominal',
                title: null,
                scale: { domain: [STATUS_REPORTABLE, STATUS_BELOW_MINIMUM], range: [UNIT_COLOR, MUTED_COLOR] },
              },
              tooltip: [{ field: 'unit' }, { field: 'label', title: 'Responded' }, { field: 'status' }],
            },
          },
          { mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, color: '#1f2933' }, encoding: { x, text: { field: 'label' } } },
        ],
      },
      ...(data.target !== undefined
        ? [
            {
              data: { values: [{ rate: data.target, label: `target ${Math.round(data.target * 100)}%` }] },
              layer: [
                { mark: { type: 'rule' as const, color: ORGANISATION_COLOR, strokeDash: [4, 3] }, encoding: { x } },
                { mark: { type: 'text' as const, y: 0, dy: -6, fontSize: 10, color: ORGANISATION_COLOR }, encoding: { x, text: { field: 'label' } } },
              ],
            },
          ]
        : []),
    ],
  };
}
