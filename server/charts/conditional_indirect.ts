import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, MUTED_COLOR, UNIT_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

export interface ConditionalIndirectData {
  readonly title: string;
  readonly subtitle?: string;
  /** H2's conditional indirect effects with their bootstrap intervals (stored with the research run). */
  readonly effects: readonly { readonly x: string; readonly dynamism: string; readonly est: number; readonly ciLower: number; readonly ciUpper: number }[];
}

const LEVELS = ['-1SD', 'mean', '+1SD'];
const LEVEL_LABELS: Readonly<Record<string, string>> = { '-1SD': 'low (−1 SD)', mean: 'mean', '+1SD': 'high (+1 SD)' };

/**
 * H2's chart: the indirect effect of SC and of RC on PQ through TC at low, mean and high
 * dynamism, each a point with its percentile bootstrap interval, against a zero line. Draws only
 * stored numbers.
 */
export function conditionalIndirectSpec(data: ConditionalIndirectData): TopLevelSpec {
  const values = data.effects.map((e) => ({ ...e, level: LEVEL_LABELS[e.dynamism] ?? e.dynamism, path: `${e.x} → TC → PQ` }));
  const y = { field: 'level', type: 'nominal' as const, title: 'Dynamism', sort: LEVELS.map((l) => LEVEL_LABELS[l]) };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Conditional indirect effects: ${data.title}`,
    title: { text: data.title, ...(data.subtitle ? { subtitle: data.subtitle } : {}) },
    config: CHART_CONFIG,
    data: { values },
    facet: { row: { field: 'path', type: 'nominal', title: null, sort: [...new Set(values.map((v) => v.path))] } },
    spec: {
      width: 420,
      height: 80,
      layer: [
        { mark: { type: 'rule', color: MUTED_COLOR, strokeDash: [2, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        { mark: { type: 'rule', color: UNIT_COLOR, strokeWidth: 2 }, encoding: { y, x: { field: 'ciLower', type: 'quantitative', title: 'Indirect effect on PQ (95% bootstrap interval)' }, x2: { field: 'ciUpper' } } },
        {
          mark: { type: 'point', filled: true, size: 70, color: UNIT_COLOR },
          encoding: {
            y,
            x: { field: 'est', type: 'quantitative' },
            tooltip: [{ field: 'path' }, { field: 'level', title: 'dynamism' }, { field: 'est', format: '.3f' }, { field: 'ciLower', format: '.3f' }, { field: 'ciUpper', format: '.3f' }],
          },
        },
      ],
    },
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}
