import type { Db } from '../../db.js';

/** A stored breakpoint rule set version. */
export interface RuleSetRecord {
  readonly id: number;
  readonly version: string;
  readonly fingerprint: string;
  /** The canonical JSON of the rules (analysis `canonicalRuleSet`). */
  readonly definition: string;
  readonly builtIn: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string | null;
}

/** The rule set a wave locked when it opened. */
export interface WaveRuleLock {
  readonly waveId: number;
  readonly waveName: string;
  readonly opensAt: string;
  readonly ruleSetId: number;
  readonly version: string;
  readonly fingerprint: string;
  readonly lockedAt: string;
}

interface RuleSetRow {
  id: number;
  version: string;
  fingerprint: string;
  definition: string;
  built_in: boolean | number;
  created_at: string;
  created_by: string;
  updated_at: string | null;
}

function toRuleSet(r: RuleSetRow): RuleSetRecord {
  return {
    id: Number(r.id),
    version: r.version,
    fingerprint: r.fingerprint,
    definition: r.definition,
    builtIn: Boolean(r.built_in),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at ?? null,
  };
}

export async function listRuleSets(db: Db): Promise<RuleSetRecord[]> {
  return (await db('breakpoint_rule_sets').orderBy('created_at').orderBy('id')).map(toRuleSet);
}

export async function findRuleSetByVersion(db: Db, version: string): Promise<RuleSetRecord | undefined> {
  const row = await db('breakpoint_rule_sets').where({ version }).first();
  return row ? toRuleSet(row) : undefined;
}

export async function findRuleSetByFingerprint(db: Db, fingerprint: string): Promise<RuleSetRecord | undefined> {
  const row = await db('breakpoint_rule_sets').where({ fingerprint }).first();
  return row ? toRuleSet(row) : undefined;
}

export async function findRuleSetById(db: Db, id: number): Promise<RuleSetRecord | undefined> {
  const row = await db('breakpoint_rule_sets').where({ id }).first();
  return row ? toRuleSet(row) : undefined;
}

/**
 * The rule set in force at `at`: the newest stored version created at or before it (the
 * built-in default is stored with the epoch as its creation time, so any version an admin
 * posted later takes precedence). Undefined when none is stored.
 */
export async function ruleSetInForce(db: Db, at: string): Promise<RuleSetRecord | undefined> {
  const row = await db('breakpoint_rule_sets').where('created_at', '<=', at).orderBy('created_at', 'desc').orderBy('id', 'desc').first();
  return row ? toRuleSet(row) : undefined;
}

export interface NewRuleSet {
  readonly version: string;
  readonly fingerprint: string;
  readonly definition: string;
  readonly builtIn: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** Inserts a version; does nothing when its version name is stored already (a concurrent insert). */
export async function insertRuleSet(db: Db, r: NewRuleSet): Promise<void> {
  await db('breakpoint_rule_sets')
    .insert({
      version: r.version,
      fingerprint: r.fingerprint,
      definition: r.definition,
      built_in: r.builtIn,
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .onConflict('version')
    .ignore();
}

/** Replaces the rules of an unlocked version. Returns whether a row changed. */
export async function updateRuleSet(db: Db, id: number, fingerprint: string, definition: string, updatedAt: string): Promise<boolean> {
  const changed = await db('breakpoint_rule_sets')
    .where({ id })
    .whereNotExists(db('wave_rule_locks').where('rule_set_id', id).select('wave_id'))
    .update({ fingerprint, definition, updated_at: updatedAt });
  return Number(changed) > 0;
}

/** Deletes an unlocked version. Returns whether a row was deleted. */
export async function deleteRuleSet(db: Db, id: number): Promise<boolean> {
  const deleted = await db('breakpoint_rule_sets')
    .where({ id })
    .whereNotExists(db('wave_rule_locks').where('rule_set_id', id).select('wave_id'))
    .delete();
  return Number(deleted) > 0;
}

function selectLocks(db: Db) {
  return db('wave_rule_locks as l')
    .join('waves as w', 'w.id', 'l.wave_id')
    .join('breakpoint_rule_sets as r', 'r.id', 'l.rule_set_id')
    .select('l.wave_id', 'w.name as wave_name', 'w.opens_at', 'l.rule_set_id', 'r.version', 'l.fingerprint', 'l.locked_at');
}

function toLock(r: { wave_id: number; wave_name: string; opens_at: string; rule_set_id: number; version: string; fingerprint: string; locked_at: string }): WaveRuleLock {
  return {
    waveId: Number(r.wave_id),
    waveName: r.wave_name,
    opensAt: r.opens_at,
    ruleSetId: Number(r.rule_set_id),
    version: r.version,
    fingerprint: r.fingerprint,
    lockedAt: r.locked_at,
  };
}

export async function listLocks(db: Db): Promise<WaveRuleLock[]> {
  return (await selectLocks(db).orderBy('l.wave_id')).map(toLock);
}

export async function findLock(db: Db, waveId: number): Promise<WaveRuleLock | undefined> {
  const row = await selectLocks(db).where('l.wave_id', waveId).first();
  return row ? toLock(row) : undefined;
}

/** The lock of the wave that opened last among those surveying the unit, if any. */
export async function latestUnitLock(db: Db, unitId: number): Promise<WaveRuleLock | undefined> {
  const row = await selectLocks(db)
    .join('wave_units as wu', 'wu.wave_id', 'l.wave_id')
    .where('wu.unit_id', unitId)
    .orderBy('w.opens_at', 'desc')
    .orderBy('l.wave_id', 'desc')
    .first();
  return row ? toLock(row) : undefined;
}

/** Records a wave's lock unless it has one (a concurrent opener won). */
export async function insertLock(db: Db, waveId: number, ruleSetId: number, fingerprint: string, lockedAt: string): Promise<void> {
  await db('wave_rule_locks').insert({ wave_id: waveId, rule_set_id: ruleSetId, fingerprint, locked_at: lockedAt }).onConflict('wave_id').ignore();
}

/**
 * Waves that have opened by `now` (their opening time has passed and they were not closed
 * before it) but hold no rule lock yet, with the moment they opened: the later of their
 * opening and creation times (a wave created with a past opening time opens when created).
 */
export async function openedWavesWithoutLock(db: Db, now: string): Promise<{ waveId: number; openedAt: string }[]> {
  const rows: { id: number; opens_at: string; created_at: string; closed_at: string | null }[] = await db('waves as w')
    .leftJoin('wave_rule_locks as l', 'l.wave_id', 'w.id')
    .whereNull('l.wave_id')
    .where('w.opens_at', '<=', now)
    .select('w.id', 'w.opens_at', 'w.created_at', 'w.closed_at')
    .orderBy('w.id');
  return rows
    .map((r) => ({ waveId: Number(r.id), openedAt: r.opens_at > r.created_at ? r.opens_at : r.created_at, closedAt: r.closed_at }))
    .filter((w) => w.closedAt === null || w.closedAt >= w.openedAt)
    .map(({ waveId, openedAt }) => ({ waveId, openedAt }));
}

/** When a wave opened (the later of its opening and creation times) and when it was closed, if it was. */
export async function waveOpening(db: Db, waveId: number): Promise<{ openedAt: string; closedAt: string | null } | undefined> {
  const row: { opens_at: string; created_at: string; closed_at: string | null } | undefined = await db('waves')
    .where({ id: waveId })
    .first('opens_at', 'created_at', 'closed_at');
  return row ? { openedAt: row.opens_at > row.created_at ? row.opens_at : row.created_at, closedAt: row.closed_at ?? null } : undefined;
}
