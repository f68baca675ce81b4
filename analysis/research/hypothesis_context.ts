import { InputError } from '../errors.js';
import { completeUnits, type ThreeWaveData } from './research_panel.js';

/** What every hypothesis test is given: the three-wave data and the bootstrap settings. */
export interface HypothesisOptions {
  /** Bootstrap resamples for H1 and H2 (default 5000). */
  readonly bootstrap?: number;
  /** Seed of the bootstrap (default 1). */
  readonly seed?: number;
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/**
 * The units of a test: those with every variable it needs. A variable absent from the panel is an
 * input error naming it and the test.
 */
export function testUnits(data: ThreeWaveData, vars: readonly string[], test: string) {
  for (const v of vars) {
    if (!data.columns[v]) throw new InputError('--csv', `the panel has no column "${v}", which ${test} needs.`);
  }
  const picked = completeUnits(data, vars);
  if (picked.units.length < 3) {
    throw new InputError('--csv', `${test} needs units with every one of ${vars.join(', ')}; the panel has ${picked.units.length}.`);
  }
  return picked;
}
