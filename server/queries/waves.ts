import type { Db } from '../db.js';

export type WaveStatus = 'scheduled' | 'open' | 'closed';

export interface WaveRecord {
  readonly id: number;
  readonly name: string;
  readonly instrumentVersion: string;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly status: WaveStatus;
  readonly locales: string[];
  readonly reminders: string[];
  readonly minGroupSize: number;
  readonly createdAt: string;
  readonly closedAt: string | null;
}

export interface NewWave {
  readonly name: string;
  readonly instrumentVersion: string;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly status: WaveStatus;
  readonly locales: readonly string[];
  readonly reminders: readonly string[];
  readonly minGroupSize: number;
  readonly createdAt: string;
}

export interface WaveRow {
  id: number;
  name: string;
  instrument_version: string;
  opens_at: string;
  closes_at: string;
  status: WaveStatus;
  locales: string;
  reminders: string;
  min_group_size: number;
  created_at: string;
  closed_at: string | null;
}

export function toWave(row: WaveRow): WaveRecord {
  return {
    id: Number(row.id),
    name: row.name,
    instrumentVersion: row.instrument_version,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    status: row.status,
    locales: JSON.parse(row.locales),
    reminders: JSON.parse(row.reminders),
    minGroupSize: Number(row.min_group_size),
    createdAt: row.created_at,
    closedAt: row.closed_at ?? null,
  };
}

/** Inserts a wave, the units it surveys and its scheduled events (open, close, reminders) in one transaction. */
export async function insertWave(db: Db, wave: NewWave, unitIds: readonly number[]): Promise<number> {
  return db.transaction(async (trx) => {
    const [row] = await trx('waves')
      .insert({
        name: wave.name,
        instrument_version: wave.instrumentVersion,
        opens_at: wave.opensAt,
        closes_at: wave.closesAt,
        status: wave.status,
        locales: JSON.stringify(wave.locales),
        reminders: JSON.stringify(wave.reminders),
        min_group_size: wave.minGroupSize,
        created_at: wave.createdAt,
      })
      .returning('id');
    const waveId = Number(row.id);
    for (let i = 0; i < unitIds.length; i += 200) {
      await trx('wave_units').insert(unitIds.slice(i, i + 200).map((unitId) => ({ wave_id: waveId, unit_id: unitId })));
    }
    const events = [
      { kind: 'open', due_at: wave.opensAt },
      { kind: 'close', due_at: wave.closesAt },
      ...[...new Set(wave.reminders)].map((at) => ({ kind: 'reminder', due_at: at })),
    ];
    await trx('wave_events').insert(events.map((e) => ({ ...e, wave_id: waveId })));
    return waveId;
  });
}

/** A wave's changed fields, in UTC. */
export interface WaveChanges {
  readonly name?: string;
  readonly opensAt?: string;
  readonly closesAt?: string;
  readonly reminders?: readonly string[];
}

/**
 * Changes a wave that has not closed and moves its unfired events with it: the open and close
 * events take the new times; unfired reminders are replaced by the new ones that lie ahead
 * (`now` or later). Returns false when the wave closed in the meantime (nothing is changed).
 */
export async function updateWave(db: Db, id: number, changes: WaveChanges, now: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const row: Record<string, unknown> = {};
    if (changes.name !== undefined) row.name = changes.name;
    if (changes.opensAt !== undefined) row.opens_at = changes.opensAt;
    if (changes.closesAt !== undefined) row.closes_at = changes.closesAt;
    if (changes.reminders !== undefined) row.reminders = JSON.stringify(changes.reminders);
    const changed = await trx('waves').where({ id }).whereNot('status', 'closed').update(row);
    if (Number(changed) === 0) return false;
    if (changes.opensAt !== undefined) await trx('wave_events').where({ wave_id: id, kind: 'open' }).whereNull('fired_at').update({ due_at: changes.opensAt });
    if (changes.closesAt !== undefined) await trx('wave_events').where({ wave_id: id, kind: 'close' }).whereNull('fired_at').update({ due_at: changes.closesAt });
    if (changes.reminders !== undefined) {
      await trx('wave_events').where({ wave_id: id, kind: 'reminder' }).whereNull('fired_at').delete();
      const fired = new Set((await trx('wave_events').where({ wave_id: id, kind: 'reminder' }).select('due_at')).map((r: { due_at: string }) => r.due_at));
      const ahead = [...new Set(changes.reminders)].filter((at) => at >= now && !fired.has(at));
      if (ahead.length > 0) await trx('wave_events').insert(ahead.map((at) => ({ wave_id: id, kind: 'reminder', due_at: at })));
    }
    return true;
  });
}

/** Adds units to a wave (those it surveys already are skipped); returns how many were added. */
export async function addWaveUnits(db: Db, waveId: number, unitIds: readonly number[]): Promise<number> {
  return db.transaction(async (trx) => {
    const present = new Set((await trx('wave_units').where({ wave_id: waveId }).select('unit_id')).map((r: { unit_id: number }) => Number(r.unit_id)));
    const fresh = [...new Set(unitIds)].filter((u) => !present.has(u));
    for (let i = 0; i < fresh.length; i += 200) {
      await trx('wave_units').insert(fresh.slice(i, i + 200).map((unitId) => ({ wave_id: waveId, unit_id: unitId })));
    }
    return fresh.length;
  });
}

/** How many invitation links a wave has issued. */
export async function invitationCount(db: Db, waveId: number): Promise<number> {
  const row = await db('invitations').where({ wave_id: waveId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Deletes a wave with its units and events (callers check it is an unopened draft). */
export async function deleteWave(db: Db, id: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    await trx('wave_events').where({ wave_id: id }).delete();
    await trx('wave_units').where({ wave_id: id }).delete();
    return Number(await trx('waves').where({ id }).delete()) > 0;
  });
}

export async function findWave(db: Db, id: number): Promise<WaveRecord | undefined> {
  const row = await db('waves').where({ id }).first();
  return row ? toWave(row) : undefined;
}

export async function listWaves(db: Db): Promise<WaveRecord[]> {
  return (await db('waves').orderBy('id')).map(toWave);
}

export async function waveUnitKeys(db: Db, waveId: number): Promise<string[]> {
  const rows = await db('wave_units as wu').join('units as u', 'u.id', 'wu.unit_id').where('wu.wave_id', waveId).orderBy('u.key').select('u.key');
  return rows.map((r: { key: string }) => r.key);
}

export async function waveIncludesUnit(db: Db, waveId: number, unitId: number): Promise<boolean> {
  return (await db('wave_units').where({ wave_id: waveId, unit_id: unitId }).first()) !== undefined;
}

/**
 * Moves a wave to `status` unless it is already closed (closing is final). Returns whether the
 * row changed, so that concurrent callers agree on who performed the transition.
 */
export async function setWaveStatus(db: Db, id: number, status: WaveStatus, at: string): Promise<boolean> {
  const changes = await db('waves')
    .where({ id })
    .whereNot('status', 'closed')
    .whereNot('status', status)
    .update(status === 'closed' ? { status, closed_at: at } : { status });
  // Closing cuts the invitation links left on answer sets written before response keys
  // (migration 20261130011000), in the transaction of the caller that closes the wave.
  if (status === 'closed' && Number(changes) > 0) await db('responses').where({ wave_id: id }).whereNotNull('invitation_id').update({ invitation_id: null });
  return Number(changes) > 0;
}

export interface UnitProgressRow {
  readonly unitKey: string;
  readonly invited: number;
  readonly started: number;
  readonly complete: number;
}

/** Per unit of a wave: invitations issued, answer sets started, answer sets complete. */
export async function waveProgress(db: Db, waveId: number): Promise<UnitProgressRow[]> {
  const units = await db('wave_units as wu').join('units as u', 'u.id', 'wu.unit_id').where('wu.wave_id', waveId).select('u.id', 'u.key');
  const invited: { unit_id: number; n: number | string }[] = await db('invitations')
    .where({ wave_id: waveId })
    .groupBy('unit_id')
    .select('unit_id', db.raw('count(*) as n'));
  const answered: { unit_id: number; complete: boolean | number; n: number | string }[] = await db('responses')
    .where({ wave_id: waveId })
    .groupBy('unit_id', 'complete')
    .select('unit_id', 'complete', db.raw('count(*) as n'));
  const progress = new Map<number, { invited: number; started: number; complete: number }>();
  for (const u of units) progress.set(Number(u.id), { invited: 0, started: 0, complete: 0 });
  for (const r of invited) {
    const p = progress.get(Number(r.unit_id));
    if (p) p.invited = Number(r.n);
  }
  for (const r of answered) {
    const p = progress.get(Number(r.unit_id));
    if (!p) continue;
    p.started += Number(r.n);
    if (r.complete) p.complete += Number(r.n);
  }
  return units
    .map((u: { id: number; key: string }) => ({ unitKey: u.key, ...progress.get(Number(u.id))! }))
    .sort((a: UnitProgressRow, b: UnitProgressRow) => a.unitKey.localeCompare(b.unitKey));
}
