import type { z } from 'zod';
import {
  DEFAULT_RULES,
  canonicalRuleSet,
  ruleSetFingerprint,
  validateRuleSet,
  type BreakpointRuleSet,
} from '../../../analysis/index.js';
import { iso } from '../../clock.js';
import type { Db } from '../../db.js';
import { HttpError, conflict, notFound } from '../../errors.js';
import { audit } from '../../handlers/audit.js';
import type { Services } from '../../services.js';
import { Reply } from '../../routes/api_route.js';
import {
  deleteRuleSet,
  findRuleSetByFingerprint,
  findRuleSetByVersion,
  insertRuleSet,
  listLocks,
  listRuleSets,
  ruleSetInForce,
  updateRuleSet,
  type RuleSetRecord,
  type WaveRuleLock,
} from '../queries/rules.js';
import { lockOpenedWaves } from '../rule_lock.js';
import type { RuleSetBody } from '../schemas.js';

/** A rule set version as the API shows it. */
export interface RuleSetView {
  readonly version: string;
  readonly fingerprint: string;
  readonly builtIn: boolean;
  readonly createdAt: string | null;
  readonly createdBy: string | null;
  readonly updatedAt: string | null;
  readonly inForce: boolean;
  readonly lockedBy: readonly { readonly waveId: number; readonly waveName: string; readonly lockedAt: string }[];
  readonly rules: BreakpointRuleSet;
}

/**
 * The rules of a stored version, read back from its canonical JSON and checked against its
 * fingerprint (a mismatch means the row was changed behind the server's back).
 */
export function storedRules(record: Pick<RuleSetRecord, 'version' | 'definition' | 'fingerprint'>): BreakpointRuleSet {
  const canonical = JSON.parse(record.definition) as { signals: [string, unknown[], string[]][] } & Record<string, unknown>;
  const signals: Record<string, unknown> = {};
  for (const [name, t, cells] of canonical.signals) {
    signals[name] = { threshold: t[0] === 'relative' ? { kind: 'relative', factor: t[1] } : { kind: 'absolute', level: t[1], strict: t[2] }, cells };
  }
  const rules = validateRuleSet({ ...canonical, signals });
  if (ruleSetFingerprint(rules) !== record.fingerprint) {
    throw new Error(`breakpoint rule set ${record.version} does not match its stored fingerprint ${record.fingerprint}`);
  }
  return rules;
}

function view(record: RuleSetRecord | undefined, rules: BreakpointRuleSet, inForce: string, locks: readonly WaveRuleLock[]): RuleSetView {
  return {
    version: rules.version,
    fingerprint: ruleSetFingerprint(rules),
    builtIn: record?.builtIn ?? rules.version === DEFAULT_RULES.version,
    createdAt: record && !record.builtIn ? record.createdAt : null,
    createdBy: record && !record.builtIn ? record.createdBy : null,
    updatedAt: record?.updatedAt ?? null,
    inForce: rules.version === inForce,
    lockedBy: locks.filter((l) => l.version === rules.version).map((l) => ({ waveId: l.waveId, waveName: l.waveName, lockedAt: l.lockedAt })),
    rules,
  };
}

/** Brings the locks up to date (waves that opened without a scheduler tick) before rules are read or changed. */
async function catchUp(s: Services, db: Db = s.db): Promise<void> {
  await lockOpenedWaves(db, iso(s.clock()));
}

/** The version a wave opening now would lock. */
async function inForceVersion(s: Services, db: Db = s.db): Promise<string> {
  return (await ruleSetInForce(db, iso(s.clock())))?.version ?? DEFAULT_RULES.version;
}

/** Every version, the built-in default first (stored or not), then in order of creation. */
export async function listRuleVersions(s: Services): Promise<{ inForce: string; versions: RuleSetView[] }> {
  await catchUp(s);
  const [records, locks, inForce] = [await listRuleSets(s.db), await listLocks(s.db), await inForceVersion(s)];
  const versions = records.map((r) => view(r, storedRules(r), inForce, locks));
  if (!records.some((r) => r.version === DEFAULT_RULES.version)) versions.unshift(view(undefined, DEFAULT_RULES, inForce, locks));
  return { inForce, versions };
}

export async function getRuleVersion(s: Services, version: string): Promise<RuleSetView> {
  await catchUp(s);
  const record = await findRuleSetByVersion(s.db, version);
  const locks = await listLocks(s.db);
  if (record) return view(record, storedRules(record), await inForceVersion(s), locks);
  if (version === DEFAULT_RULES.version) return view(undefined, DEFAULT_RULES, await inForceVersion(s), locks);
  throw notFound(`No breakpoint rule set has the version "${version}".`);
}

function checked(body: unknown, argument = 'rules'): BreakpointRuleSet {
  return validateRuleSet(body, argument);
}

/**
 * Stores a new rule set version, which becomes the one in force (the one the next wave to open
 * locks). Content-addressed: posting rules identical to a stored version (same name, same
 * rules, hence the same fingerprint) answers 200 with that version and stores nothing; a
 * version name that is taken by different rules (including the built-in `seici-default-1`) is
 * a 409.
 */
export async function createRuleVersion(s: Services, actor: string, body: z.output<typeof RuleSetBody>): Promise<RuleSetView | Reply> {
  const rules = checked(body);
  const fingerprint = ruleSetFingerprint(rules);
  const taken = () => conflict(`The breakpoint rule version "${rules.version}" exists already with other rules; post changed rules under a new version name.`);
  const stored = await s.db.transaction(async (trx) => {
    if (fingerprint === ruleSetFingerprint(DEFAULT_RULES)) return false;
    if (await findRuleSetByFingerprint(trx, fingerprint)) return false;
    if (rules.version === DEFAULT_RULES.version || (await findRuleSetByVersion(trx, rules.version))) throw taken();
    await insertRuleSet(trx, { version: rules.version, fingerprint, definition: canonicalRuleSet(rules), builtIn: false, createdAt: iso(s.clock()), createdBy: actor });
    // A concurrent call may have stored the name first (the insert then does nothing).
    if ((await findRuleSetByVersion(trx, rules.version))?.fingerprint !== fingerprint) throw taken();
    await audit(s, actor, 'breakpoint-rules.create', `breakpoint-rules:${rules.version}`, { fingerprint }, trx);
    return true;
  });
  const shown = await getRuleVersion(s, rules.version);
  return stored ? shown : new Reply(200, shown);
}

/**
 * Replaces the rules of a version that no wave has locked; the version name stays, the
 * fingerprint changes. A locked version (or the built-in default) is a 409.
 */
export async function editRuleVersion(s: Services, actor: string, version: string, body: z.output<typeof RuleSetBody>): Promise<RuleSetView> {
  if (body.version !== version) {
    throw new HttpError(400, `version in the body ("${body.version}") must be the version of the path ("${version}"); post new rules as a new version instead.`);
  }
  const rules = checked(body);
  // Locks of waves that opened unnoticed are committed first, so that refusing this edit keeps them.
  await catchUp(s);
  await s.db.transaction(async (trx) => {
    await catchUp(s, trx);
    const record = await findRuleSetByVersion(trx, version);
    if (!record) {
      if (version === DEFAULT_RULES.version) throw conflict(`The built-in breakpoint rules "${version}" cannot be edited; post changed rules under a new version name.`);
      throw notFound(`No breakpoint rule set has the version "${version}".`);
    }
    if (record.builtIn) throw conflict(`The built-in breakpoint rules "${version}" cannot be edited; post changed rules under a new version name.`);
    const fingerprint = ruleSetFingerprint(rules);
    if (fingerprint === record.fingerprint) return;
    if (!(await updateRuleSet(trx, record.id, fingerprint, canonicalRuleSet(rules), iso(s.clock())))) throw lockedConflict(version, await listLocks(trx));
    await audit(s, actor, 'breakpoint-rules.edit', `breakpoint-rules:${version}`, { from: record.fingerprint, to: fingerprint }, trx);
  });
  return getRuleVersion(s, version);
}

/** Deletes a version that no wave has locked; the version before it is then in force again. */
export async function deleteRuleVersion(s: Services, actor: string, version: string): Promise<RuleSetView> {
  const shown = await getRuleVersion(s, version); // also commits the locks of waves that opened unnoticed
  await s.db.transaction(async (trx) => {
    await catchUp(s, trx);
    const record = await findRuleSetByVersion(trx, version);
    if (shown.builtIn || record?.builtIn) throw conflict(`The built-in breakpoint rules "${version}" cannot be deleted.`);
    if (!record) throw notFound(`No breakpoint rule set has the version "${version}".`);
    if (!(await deleteRuleSet(trx, record.id))) throw lockedConflict(version, await listLocks(trx));
    await audit(s, actor, 'breakpoint-rules.delete', `breakpoint-rules:${version}`, { fingerprint: record.fingerprint }, trx);
  });
  return { ...shown, inForce: false };
}

function lockedConflict(version: string, locks: readonly WaveRuleLock[]): HttpError {
  const waves = locks.filter((l) => l.version === version).map((l) => `${l.waveId} (${l.waveName})`);
  return conflict(`The breakpoint rule version "${version}" is locked by wave ${waves.join(', ')}, which pre-registered it when it opened; post changed rules under a new version name.`);
}
