import { InputError } from '../errors.js';
import { testH1 } from './h1_mediation.js';
import { testH2 } from './h2_moderated_mediation.js';
import { testH3 } from './h3_lever_complementarity.js';
import { testH4 } from './h4_dominance.js';
import { testH5 } from './h5_visibility.js';
import { testH6 } from './h6_leadership_density.js';
import { testH7 } from './h7_inverted_u.js';
import type { HypothesisOptions } from './hypothesis_context.js';
import type { HypothesisResult } from './hypothesis_result.js';
import { threeWaveData, type LongPanel } from './research_panel.js';

export const HYPOTHESES = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7'] as const;
export type Hypothesis = (typeof HYPOTHESES)[number];

const TESTS: Record<Hypothesis, (d: ReturnType<typeof threeWaveData>, o: HypothesisOptions) => HypothesisResult> = {
  H1: testH1, H2: testH2, H3: testH3, H4: testH4, H5: testH5, H6: testH6, H7: testH7,
};

export interface HypothesesOptions extends HypothesisOptions {
  /** The tests to run (default all seven), in the order given. */
  readonly tests?: readonly string[];
  /** T1, T2, T3 (default the first three waves in the panel's order). */
  readonly waves?: readonly string[];
}

/**
 * The SEI model's hypotheses H1–H7 on a unit-wave panel (shared/CONTRACT.md "hypotheses"): the
 * panel becomes the three-wave design (T1 predictors, T2 dynamics, T3 outcome) and each test runs
 * on its own complete units. Returns one result per test, keyed by its name.
 */
export function testHypotheses(panel: LongPanel, options: HypothesesOptions = {}): Record<string, HypothesisResult> {
  const tests = options.tests ?? HYPOTHESES;
  for (const t of tests) {
    if (!(HYPOTHESES as readonly string[]).includes(t)) throw new InputError('--tests', `--tests names "${t}"; the tests are ${HYPOTHESES.join(', ')} (or all).`);
  }
  const data = threeWaveData(panel, options.waves);
  const out: Record<string, HypothesisResult> = {};
  for (const t of tests) out[t] = TESTS[t as Hypothesis](data, options);
  return out;
}
