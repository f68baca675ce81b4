import { closedForm } from '../diagnostics.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { modelReport, num, pText, type HypothesisResult } from './hypothesis_result.js';
import { linearContrast, type LinearContrast } from './linear_contrast.js';
import { nestedFTest, type NestedFTest } from './nested_f_test.js';
import { regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';

export interface VisibilityResult extends HypothesisResult {
  readonly deltaR2: NestedFTest;
  readonly difference: LinearContrast;
}

/**
 * H5: coherence-oriented visibility predicts performance quality beyond outcome-only dashboards,
 * holding structural coherence constant. Step 1: PQ(T3) ~ SC + visOutcome; step 2: + visCoherence;
 * ΔR² with its F test (R's `anova(step1, step2)`) and the contrast b_visCoherence − b_visOutcome in
 * step 2 (classical covariance, two-sided t with step 2's residual df). Supported when the
 * difference is positive with p < .05.
 */
export function testH5(data: ThreeWaveData, options: HypothesisOptions = {}): VisibilityResult {
  const level = options.level ?? 0.95;
  const { columns, units } = testUnits(data, ['SC', 'visOutcome', 'visCoherence', 'PQ'], 'H5');
  const step1 = regression(columns, { outcome: 'PQ', predictors: ['SC', 'visOutcome'] }, { label: 'H5 model step1', level });
  const step2 = regression(columns, { outcome: 'PQ', predictors: ['SC', 'visOutcome', 'visCoherence'] }, { label: 'H5 model step2', level });
  const deltaR2 = nestedFTest(step1, step2);
  const difference = linearContrast(step2, { visCoherence: 1, visOutcome: -1 });
  const supported = difference.est > 0 && difference.p < 0.05;
  const reading =
    `Adding coherence-oriented visibility to SC and outcome-only visibility raised R² by ${num(deltaR2.value)} ` +
    `(F(${deltaR2.df1}, ${deltaR2.df2}) = ${num(deltaR2.F)}, ${pText(deltaR2.p)}); its coefficient exceeded that of outcome-only ` +
    `visibility by ${num(difference.est)} (SE ${num(difference.se)}, ${pText(difference.p)}; n = ${units.length} units). ` +
    `H5 is ${supported ? 'supported' : 'not supported: the difference must be positive with p < .05'}.`;
  return {
    hypothesis: 'H5',
    n: units.length,
    waves: data.waves,
    models: { step1: modelReport(step1), step2: modelReport(step2) },
    deltaR2,
    difference,
    supported,
    reading,
    diagnostics: closedForm([...step1.diagnostics.warnings, ...step2.diagnostics.warnings]),
  };
}
