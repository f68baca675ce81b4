import type { BreakpointRuleSet, DiagnosisPublicationInput } from '../../analysis/index.js';
import { HttpError } from '../errors.js';
import { waveUnitKeys, type WaveRecord } from '../queries/waves.js';
import { findUnitsByKeys } from '../queries/units.js';
import type { Services } from '../services.js';
import { chooseRules } from './handlers/breakpoints.js';
import { unitPerformance } from './queries/performance.js';
import { unitEvents } from './queries/traces.js';

/** Where a stored diagnosis's rules came from (the rule choice without the rules themselves), and any fallback. */
export type DiagnosisSource = Omit<Awaited<ReturnType<typeof chooseRules>>, 'rules'> & {
  readonly warnings: readonly string[];
  /** The rules the run evaluated, so a report can check them against the commitment registry when it is read. */
  readonly used?: BreakpointRuleSet;
};

/**
 * What a wave run needs to store its units' diagnoses (analysis publishDiagnosis): the rules the
 * wave locked when it opened (those in force now, said in a warning, when it locked none), and
 * the coordination events and performance values of every unit the wave surveys. The worker
 * reads only the published units' traces; the unit report and the diagnosis API read the
 * stored result. The run adds its own period and sprint anchor (server/dynamics/run_options.ts).
 */
export async function waveDiagnosisInput(s: Services, wave: WaveRecord): Promise<DiagnosisPublicationInput & { readonly source: DiagnosisSource }> {
  const units = await findUnitsByKeys(s.db, await waveUnitKeys(s.db, wave.id));
  const warnings: string[] = [];
  let choice;
  try {
    choice = await chooseRules(s, units[0]!, { wave: wave.id });
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409 || units.length === 0) throw err;
    choice = await chooseRules(s, units[0], {});
    warnings.push(`${err.message} Breakpoints use the rules in force when the analysis ran instead.`);
  }
  const events: Record<string, Awaited<ReturnType<typeof unitEvents>>> = {};
  const performance: Record<string, { unit: string; period: string; measure: string; value: number }[]> = {};
  for (const unit of units) {
    events[unit.key] = await unitEvents(s.db, unit.id, unit.key);
    performance[unit.key] = (await unitPerformance(s.db, unit.id)).map((p) => ({ unit: unit.key, period: p.period, measure: p.measure, value: p.value }));
  }
  const { rules, ...source } = choice;
  return { rules, events, performance, source: { ...source, warnings, used: rules } };
}
