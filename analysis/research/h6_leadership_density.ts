import { closedForm } from '../diagnostics.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { modelReport, num, pText, type HypothesisResult } from './hypothesis_result.js';
import { coefficient, regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';

const CENTRE = ['TC', 'leadershipDensity', 'SxA'];

/**
 * H6: leadership density in interface roles strengthens TC → PQ and dampens drift.
 * Models PQ(T3) ~ TC + leadershipDensity + TC:leadershipDensity and drift(T2) ~ SxA +
 * leadershipDensity + SxA:leadershipDensity, on the units with all five variables, TC,
 * leadershipDensity and SxA mean-centred over them. Supported when the first product is positive
 * and the second negative, each with p < .05. Matches R's `lm` on the centred data.
 */
export function testH6(data: ThreeWaveData, options: HypothesisOptions = {}): HypothesisResult {
  const level = options.level ?? 0.95;
  const { columns, units } = testUnits(data, ['TC', 'leadershipDensity', 'PQ', 'SxA', 'drift'], 'H6');
  const pq = regression(columns, { outcome: 'PQ', predictors: ['TC', 'leadershipDensity', 'TC:leadershipDensity'], centre: CENTRE }, { label: 'H6 model pq', level });
  const drift = regression(columns, { outcome: 'drift', predictors: ['SxA', 'leadershipDensity', 'SxA:leadershipDensity'], centre: CENTRE }, { label: 'H6 model drift', level });
  const a = coefficient(pq, 'TC:leadershipDensity');
  const b = coefficient(drift, 'SxA:leadershipDensity');
  const supported = a.est > 0 && a.p < 0.05 && b.est < 0 && b.p < 0.05;
  const reading =
    `Leadership density moderated TC → PQ with b = ${num(a.est)} (${pText(a.p)}) and SxA → drift with b = ${num(b.est)} ` +
    `(${pText(b.p)}; n = ${units.length} units). H6 is ${supported ? 'supported: density strengthens the path to performance and dampens drift' : 'not supported: the first product must be positive and the second negative, each with p < .05'}.`;
  return {
    hypothesis: 'H6',
    n: units.length,
    waves: data.waves,
    models: { pq: modelReport(pq), drift: modelReport(drift) },
    supported,
    reading,
    diagnostics: closedForm([...pq.diagnostics.warnings, ...drift.diagnostics.warnings]),
  };
}
