import { DEFAULT_RULES, canonicalRuleSet, ruleSetFingerprint } from '../../analysis/index.js';
import type { Db } from '../db.js';
import {
  findRuleSetByVersion,
  insertLock,
  insertRuleSet,
  openedWavesWithoutLock,
  ruleSetInForce,
  waveOpening,
  type RuleSetRecord,
} from './queries/rules.js';

/** Stored with the epoch as its creation time, so that every version an admin posts later takes precedence. */
export const BUILT_IN_CREATED_AT = '1970-01-01T00:00:00.000Z';

/**
 * The built-in default rules (analysis `DEFAULT_RULES`, `seici-default-1`) as a stored
 * version, storing them on first use so that a wave's lock can reference them like any other
 * version.
 */
export async function storedDefaultRules(db: Db): Promise<RuleSetRecord> {
  await insertRuleSet(db, {
    version: DEFAULT_RULES.version,
    fingerprint: ruleSetFingerprint(DEFAULT_RULES),
    definition: canonicalRuleSet(DEFAULT_RULES),
    builtIn: true,
    createdAt: BUILT_IN_CREATED_AT,
    createdBy: 'seici',
  });
  return (await findRuleSetByVersion(db, DEFAULT_RULES.version))!;
}

/**
 * Locks (pre-registers) the breakpoint rule set in force when a wave opened: the newest
 * version created at or before its opening (the later of its opening and creation times),
 * else the built-in default. The lock keeps the version's fingerprint of that moment; from
 * then on the version cannot be edited or deleted. Idempotent: a wave keeps its first lock.
 *
 * The wave scheduler calls it in the transaction that opens the wave; `lockOpenedWaves`
 * catches up with waves that opened while no scheduler ran (or that were created open), so
 * the version chosen never depends on when the lock is written.
 */
export async function lockWaveRules(db: Db, waveId: number, lockedAt: string): Promise<void> {
  const opening = await waveOpening(db, waveId);
  // A wave closed by hand before its opening time never opened, so it pre-registers nothing.
  if (!opening || (opening.closedAt !== null && opening.closedAt < opening.openedAt)) return;
  const rules = (await ruleSetInForce(db, opening.openedAt)) ?? (await storedDefaultRules(db));
  await insertLock(db, waveId, rules.id, rules.fingerprint, lockedAt);
}

/** Locks the rules of every wave that has opened by `now` and holds no lock yet. */
export async function lockOpenedWaves(db: Db, now: string): Promise<number> {
  const waves = await openedWavesWithoutLock(db, now);
  for (const w of waves) await lockWaveRules(db, w.waveId, now);
  return waves.length;
}
