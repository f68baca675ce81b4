import type { z } from 'zod';
import {
  DEFAULT_RULES,
  evaluateBreakpoints,
  ruleSetFingerprint,
  type BreakpointAnalysis,
  type BreakpointRuleSet,
  type PeriodKind,
} from '../../../analysis/index.js';
import { iso } from '../../clock.js';
import { HttpError, conflict, notFound } from '../../errors.js';
import { getUnit } from '../../handlers/units.js';
import { requireWave } from '../../handlers/waves.js';
import type { UnitRecord } from '../../queries/units.js';
import type { Services } from '../../services.js';
import { findLock, findRuleSetById, findRuleSetByVersion, latestUnitLock, type WaveRuleLock } from '../queries/rules.js';
import { unitEvents } from '../queries/traces.js';
import { lockOpenedWaves } from '../rule_lock.js';
import type { BreakpointQuery } from '../schemas.js';
import { storedRules } from './rules.js';
import { checkRuleCommitment, type RuleCommitment } from '../../prereg/rule_commitment.js';

/** The rules a unit's breakpoints are evaluated with, and where they came from. */
export interface RuleChoice {
  readonly rules: BreakpointRuleSet;
  readonly version: string;
  readonly fingerprint: string;
  readonly lockedBy: { readonly waveId: number; readonly waveName: string; readonly lockedAt: string } | null;
  /**
   * True only when a signed commitment for the wave (issue 18) verifies and its rules equal the
   * rules used; a lock alone, or a fingerprint stored next to the data, proves nothing.
   */
  readonly preregistered: boolean;
  /** The breakpoint-rules commitment of the wave analysed (null when none was made). */
  readonly commitment: RuleCommitment | null;
  /** How the rules used depart from the commitment, in one sentence; null when they follow it. */
  readonly deviation: string | null;
}

type BaseChoice = Omit<RuleChoice, 'preregistered' | 'commitment' | 'deviation'>;

/** Adds the commitment of the wave analysed, and whether the rules follow it. */
async function withCommitment(s: Services, base: BaseChoice, waveId: number | null): Promise<RuleChoice> {
  const { commitment, deviation, preregistered } = await checkRuleCommitment(s, waveId, base.rules);
  return { ...base, preregistered, commitment, deviation };
}

async function fromLock(s: Services, lock: WaveRuleLock): Promise<BaseChoice> {
  const record = (await findRuleSetById(s.db, lock.ruleSetId))!;
  const rules = storedRules(record);
  if (record.fingerprint !== lock.fingerprint) {
    throw new Error(`breakpoint rule set ${record.version} changed after wave ${lock.waveId} locked it`);
  }
  return {
    rules,
    version: rules.version,
    fingerprint: lock.fingerprint,
    lockedBy: { waveId: lock.waveId, waveName: lock.waveName, lockedAt: lock.lockedAt },
  };
}

/**
 * Chooses the rules for a unit: `?rules=VERSION` names a stored version (a preview, compared
 * with the commitment of the latest wave that surveys the unit); `?wave=ID` takes the version
 * that wave locked when it opened (409 when it has not opened); otherwise the version locked by
 * the latest wave (by opening time) that surveys the unit and has opened, else the built-in
 * default rules. Each choice names the wave's breakpoint-rules commitment and any deviation.
 */
export async function chooseRules(s: Services, unit: UnitRecord, query: { wave?: number; rules?: string }): Promise<RuleChoice> {
  if (query.wave !== undefined && query.rules !== undefined) throw new HttpError(400, 'Give either wave or rules, not both.');
  await lockOpenedWaves(s.db, iso(s.clock()));
  if (query.rules !== undefined) {
    const record = await findRuleSetByVersion(s.db, query.rules);
    if (!record && query.rules !== DEFAULT_RULES.version) throw notFound(`No breakpoint rule set has the version "${query.rules}".`);
    const rules = record ? storedRules(record) : DEFAULT_RULES;
    const latest = await latestUnitLock(s.db, unit.id);
    return withCommitment(s, { rules, version: rules.version, fingerprint: ruleSetFingerprint(rules), lockedBy: null }, latest?.waveId ?? null);
  }
  if (query.wave !== undefined) {
    const wave = await requireWave(s, query.wave);
    const lock = await findLock(s.db, wave.id);
    if (!lock) throw conflict(`Wave ${wave.id} has not opened yet, so it has locked no breakpoint rules.`);
    return withCommitment(s, await fromLock(s, lock), wave.id);
  }
  const lock = await latestUnitLock(s.db, unit.id);
  if (lock) return withCommitment(s, await fromLock(s, lock), lock.waveId);
  return withCommitment(s, { rules: DEFAULT_RULES, version: DEFAULT_RULES.version, fingerprint: ruleSetFingerprint(DEFAULT_RULES), lockedBy: null }, null);
}

/** Runs the analysis' evaluateBreakpoints on a unit's stored events; bad options are a 400. */
export async function evaluateUnit(s: Services, unit: UnitRecord, choice: RuleChoice, period: PeriodKind, sprintAnchor: string | undefined): Promise<BreakpointAnalysis> {
  const events = await unitEvents(s.db, unit.id, unit.key);
  return evaluateBreakpoints(events, { period, sprintAnchor, rules: choice.rules });
}

/**
 * A unit's breakpoints from its stored events (shared/CONTRACT.md `breakpoints`), each with
 * the rule version that found it, and apart from them the change points the detector found
 * (with `coveredByRule` telling whether a breakpoint overlaps them).
 */
export async function unitBreakpoints(s: Services, unitKey: string, query: z.output<typeof BreakpointQuery>) {
  const unit = await getUnit(s, unitKey);
  const choice = await chooseRules(s, unit, query);
  const analysis = await evaluateUnit(s, unit, choice, query.period, query.sprintAnchor);
  const { rules: _rules, ...source } = choice;
  return {
    unitKey: unit.key,
    rules: source,
    period: analysis.period,
    ...(analysis.sprintAnchor ? { sprintAnchor: analysis.sprintAnchor } : {}),
    events: analysis.n,
    breakpoints: analysis.breakpoints.map(({ unit: _unit, ...b }) => b),
    changePoints: analysis.changePoints.map(({ unit: _unit, ...c }) => c),
    baselines: analysis.baselines.map(({ unit: _unit, ...b }) => b),
    signals: analysis.signals.map(({ unit: _unit, ...row }) => row),
    warnings: analysis.diagnostics.warnings,
  };
}
