import { closedForm } from '../diagnostics.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { ciText, modelReport, num, pText, type HypothesisResult } from './hypothesis_result.js';
import { coefficient, regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';
import { lindMehlum, turningPoint, type LindMehlumTest, type TurningPoint } from './turning_point.js';

export interface InvertedUResult extends HypothesisResult {
  readonly turningPoint: TurningPoint;
  readonly lindMehlum: LindMehlumTest;
}

/**
 * H7: performance quality peaks at modest misalignment (an inverted U). PQ(T3) ~ M + M² (M not
 * centred); the turning point −b₁/(2b₂) with its delta-method SE and normal interval, and the
 * Lind & Mehlum (2010) test over the observed range of M (`lower` and `upper` are the smallest and
 * largest M of the test's units). Supported when b₂ < 0 and the Lind–Mehlum p < .05.
 */
export function testH7(data: ThreeWaveData, options: HypothesisOptions = {}): InvertedUResult {
  const level = options.level ?? 0.95;
  const { columns, units } = testUnits(data, ['M', 'PQ'], 'H7');
  const q = regression(columns, { outcome: 'PQ', predictors: ['M', 'M^2'] }, { label: 'H7 model quadratic', level });
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of columns.M) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  const tp = turningPoint(q, 'M', 'M^2', level);
  const lm = lindMehlum(q, 'M', 'M^2', lo, hi);
  const b2 = coefficient(q, 'M^2');
  const supported = b2.est < 0 && lm.p < 0.05;
  const reading =
    `PQ followed ${b2.est < 0 ? 'an inverted U' : 'a U'} in misalignment (b for M² = ${num(b2.est)}, ${pText(b2.p)}), turning at M = ${num(tp.est)}, ` +
    `${ciText(level, tp.ciLower, tp.ciUpper)}; the Lind–Mehlum test over M from ${num(lo)} to ${num(hi)} gave t = ${num(lm.t)}, ${pText(lm.p)} ` +
    `(n = ${units.length} units). H7 is ${supported ? 'supported' : 'not supported: it needs b₂ < 0 and a Lind–Mehlum p < .05'}.`;
  const warnings = [...q.diagnostics.warnings];
  if (tp.est < lo || tp.est > hi) warnings.push(`the turning point ${num(tp.est)} lies outside the observed range of M [${num(lo)}, ${num(hi)}].`);
  return {
    hypothesis: 'H7',
    n: units.length,
    waves: data.waves,
    models: { quadratic: modelReport(q) },
    turningPoint: tp,
    lindMehlum: lm,
    supported,
    reading,
    diagnostics: closedForm(warnings),
  };
}
