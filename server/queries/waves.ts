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
