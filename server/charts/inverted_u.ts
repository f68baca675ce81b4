import type { TopLevelSpec } from 'vega-lite';
import { ALERT_COLOR, CHART_CONFIG, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

export interface InvertedUData {
  readonly title: string;
  readonly subtitle?: string;
  /** The fitted PQ at evenly spaced M over the observed range (stored with the research run). */
  readonly curve: readonly { readonly m: number; readonly pq: number }[];
  readonly turningPoint: { readonly est: number; readonly ciLower: number; readonly ciUpper: number };
}

/**
 * H7's chart: the fitted quadratic PQ = b₀ + b₁M + b₂M² over the observed range of misalignment,
 * the turning point as a rule and its 95% interval as a shaded band (clipped to the range shown).
 * Draws only stored numbers; nothing is estimated here.
 */
export function invertedUSpec(data: InvertedUData): TopLevelSpec {
  const lo = data.curve[0].m;
  const hi = data.curve[data.curve.length - 1].m;
  const clip = (x: number) => Math.min(hi, Math.max(lo, x));
  const tp = data.turningPoint;
  const inside = tp.est >= lo && tp.est <= hi;
  const x = { field: 'm', type: 'quantitative' as const, title: 'Misalignment M at T1', scale: { domain: [lo, hi], nice: false } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Fitted inverted U of PQ in misalignment: ${data.title}`,
    title: { text: data.title, ...(data.subtitle ? { subtitle: data.subtitle } : {}) },
    config: CHART_CONFIG,
    width: 420,
    height: 220,
    layer: [
      {
        data: { values: [{ m: clip(tp.ciLower), m2: clip(tp.ciUpper) }] },
        mark: { type: 'rect', color: ALERT_COLOR, opacity: 0.12 },
        encoding: { x, x2: { field: 'm2' } },
      },
      ...(inside
        ? [{
            data: { values: [{ m: tp.est, label: `turning point ${tp.est.toFixed(2)}` }] },
            layer: [
              { mark: { type: 'rule' as const, color: ALERT_COLOR, strokeDash: [4, 3] }, encoding: { x } },
              { mark: { type: 'text' as const, y: 0, dy: 8, dx: 4, align: 'left' as const, fontSize: 10, color: ALERT_COLOR }, encoding: { x, text: { field: 'label' } } },
            ],
          }]
        : []),
      {
        data: { values: data.curve as unknown as Record<string, unknown>[] },
        mark: { type: 'line', color: UNIT_COLOR, strokeWidth: 2.5 },
        encoding: {
          x,
          y: { field: 'pq', type: 'quantitative', title: 'Fitted PQ at T3', scale: { zero: false } },
          tooltip: [{ field: 'm', title: 'M', format: '.2f' }, { field: 'pq', title: 'fitted PQ', format: '.2f' }],
        },
      },
    ],
  } as TopLevelSpec;
}
