import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, MUTED_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

export interface EventStudyData {
  readonly title: string;
  readonly subtitle?: string;
  /** The event study's coefficients (`rel-2`, `rel0`, …) with their t intervals, as stored with the research run. */
  readonly terms: readonly { readonly term: string; readonly est: number; readonly ciLower: number; readonly ciUpper: number }[];
}

/**
 * The event study's chart: the effect on PQ by wave relative to the interface change, each a
 * point with its 95% interval (clustered by unit), the reference wave before the change drawn
 * at 0 without an interval, a zero line and a dashed rule where the change falls. Draws only
 * stored numbers; nothing is estimated here.
 */
export function eventStudySpec(data: EventStudyData): TopLevelSpec {
  const values = [
    ...data.terms.map((t) => ({ rel: Number(t.term.replace(/^rel/, '')), est: t.est, ciLower: t.ciLower, ciUpper: t.ciUpper, kind: 'estimate' })),
    { rel: -1, est: 0, ciLower: 0, ciUpper: 0, kind: 'reference (0 by construction)' },
  ].sort((a, b) => a.rel - b.rel);
  const rels = values.map((v) => v.rel);
  const x = {
    field: 'rel', type: 'quantitative' as const, title: 'Waves relative to the interface change',
    scale: { domain: [Math.min(...rels) - 0.5, Math.max(...rels) + 0.5], nice: false },
    axis: { values: rels, format: 'd' },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Event-study coefficients with 95% intervals: ${data.title}`,
    title: { text: data.title, ...(data.subtitle ? { subtitle: data.subtitle } : {}) },
    config: CHART_CONFIG,
    width: 420,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: MUTED_COLOR, strokeDash: [2, 3] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      { mark: { type: 'rule', color: MUTED_COLOR, strokeDash: [5, 3] }, encoding: { x: { datum: -0.5, type: 'quantitative', scale: x.scale } } },
      { mark: { type: 'rule', color: UNIT_COLOR, strokeWidth: 2 }, encoding: { x, y: { field: 'ciLower', type: 'quantitative', title: 'Effect on PQ (95% interval)' }, y2: { field: 'ciUpper' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y: { field: 'est', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['estimate', 'reference (0 by construction)'], range: [UNIT_COLOR, MUTED_COLOR] }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'rel', title: 'wave relative to change' }, { field: 'est', format: '.3f' }, { field: 'ciLower', format: '.3f' }, { field: 'ciUpper', format: '.3f' }],
        },
      },
    ],
  } as TopLevelSpec;
}
