import type { z } from 'zod';
import {
  DEFAULT_RULES,
  InputError,
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

/** The rules a unit's breakpoints are evaluated with, and where they came from. */
export interface RuleChoice {
  readonly rules: BreakpointRuleSet;
  readonly version: string;
  readonly fingerprint: string;
  readonly lockedBy: { readonly waveId: number; readonly waveName: string; readonly lockedAt: string } | null;
  /** True when a wave locked these rules when it opened (they were fixed before its data). */
  readonly preregistered: boolean;
}

async function fromLock(s: Services, lock: WaveRuleLock): Promise<RuleChoice> {
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
    preregistered: true,
  };
}

/**
 * Chooses the rules for a unit: `?rules=VERSION` names a stored version (a preview, not
 * pre-registered); `?wave=ID` takes the version that wave locked when it opened (409 when it
 * has not opened); otherwise the version locked by the latest wave (by opening time) that
 * surveys the unit and has opened, else the built-in default rules.
 */
export async function chooseRules(s: Services, unit: UnitRecord, query: { wave?: number; rules?: string }): Promise<RuleChoice> {
  if (query.wave !== undefined && query.rules !== undefined) throw new HttpError(400, 'Give either wave or rules, not both.');
  await lockOpenedWaves(s.db, iso(s.clock()));
  if (query.rules !== undefined) {
    const record = await findRuleSetByVersion(s.db, query.rules);
    if (!record && query.rules !== DEFAULT_RULES.version) throw notFound(`No breakpoint rule set has the version "${query.rules}".`);
    const rules = record ? storedRules(record) : DEFAULT_RULES;
    return { rules, version: rules.version, fingerprint: ruleSetFingerprint(rules), lockedBy: null, preregistered: false };
  }
  if (query.wave !== undefined) {
    const wave = await requireWave(s, query.wave);
    const lock = await findLock(s.db, wave.id);
    if (!lock) throw conflict(`Wave ${wave.id} has not opened yet, so it has locked no breakpoint rules.`);
    return fromLock(s, lock);
  }
  const lock = await latestUnitLock(s.db, unit.id);
  if (lock) return fromLock(s, lock);
  return { rules: DEFAULT_RULES, version: DEFAULT_RULES.version, fingerprint: ruleSetFingerprint(DEFAULT_RULES), lockedBy: null, preregistered: false };
}

/** Runs the analysis' evaluateBreakpoints on a unit's stored events; bad options are a 400. */
export async function evaluateUnit(s: Services, unit: UnitRecord, choice: RuleChoice, period: PeriodKind, sprintAnchor: string | undefined): Promise<BreakpointAnalysis> {
  const events = await unitEvents(s.db, unit.id, unit.key);
  try {
    return evaluateBreakpoints(events, { period, sprintAnchor, rules: choice.rules });
  } catch (err) {
    if (err instanceof InputError) throw new HttpError(400, err.message);
    throw err;
  }
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
