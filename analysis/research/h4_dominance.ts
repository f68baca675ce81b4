import { closedForm } from '../diagnostics.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { modelReport, num, pText, type HypothesisResult } from './hypothesis_result.js';
import { coefficient, regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';

/**
 * H4: dominance of one dimension (misalignment M at T1) predicts drift and rework at T2.
 * Models drift(T2) ~ M(T1) and rework(T2) ~ M(T1) on the units that have all three. Supported
 * when both slopes are positive with p < .05. Matches R's `lm`.
 */
export function testH4(data: ThreeWaveData, options: HypothesisOptions = {}): HypothesisResult {
  const level = options.level ?? 0.95;
  const { columns, units } = testUnits(data, ['M', 'drift', 'rework'], 'H4');
  const drift = regression(columns, { outcome: 'drift', predictors: ['M'] }, { label: 'H4 model drift', level });
  const rework = regression(columns, { outcome: 'rework', predictors: ['M'] }, { label: 'H4 model rework', level });
  const d = coefficient(drift, 'M');
  const r = coefficient(rework, 'M');
  const supported = d.est > 0 && d.p < 0.05 && r.est > 0 && r.p < 0.05;
  const reading =
    `Misalignment at T1 predicted drift at T2 with b = ${num(d.est)} (${pText(d.p)}) and rework at T2 with b = ${num(r.est)} ` +
    `(${pText(r.p)}; n = ${units.length} units). H4 is ${supported ? 'supported' : 'not supported: both slopes must be positive with p < .05'}.`;
  return {
    hypothesis: 'H4',
    n: units.length,
    waves: data.waves,
    models: { drift: modelReport(drift), rework: modelReport(rework) },
    supported,
    reading,
    diagnostics: closedForm([...drift.diagnostics.warnings, ...rework.diagnostics.warnings]),
  };
}
