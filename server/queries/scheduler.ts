import type { Db } from '../db.js';

export interface WaveEvent {
  readonly id: number;
  readonly waveId: number;
  readonly kind: 'open' | 'close' | 'reminder';
  readonly dueAt: string;
}

/** Events whose time has come and that no process has fired yet, oldest first. */
export async function dueEvents(db: Db, now: string, limit = 50): Promise<WaveEvent[]> {
  const rows = await db('wave_events').whereNull('fired_at').where('due_at', '<=', now).orderBy('due_at').orderBy('id').limit(limit);
  return rows.map((r: { id: number; wave_id: number; kind: WaveEvent['kind']; due_at: string }) => ({
    id: Number(r.id),
    waveId: Number(r.wave_id),
    kind: r.kind,
    dueAt: r.due_at,
  }));
}

/**
 * Claims an event for this process: a conditional update that only one caller can win, on
 * SQLite (one writer at a time) as on PostgreSQL (the row lock makes a second updater re-check
 * `fired_at IS NULL` after the first commits, and find it set). Returns whether this call won.
 */
export async function claimEvent(db: Db, eventId: number, firedAt: string, firedBy: string): Promise<boolean> {
  const changed = await db('wave_events').where({ id: eventId }).whereNull('fired_at').update({ fired_at: firedAt, fired_by: firedBy });
  return Number(changed) === 1;
}

export async function firedEvents(db: Db, waveId: number): Promise<{ kind: string; dueAt: string; firedAt: string; firedBy: string }[]> {
  const rows = await db('wave_events').where({ wave_id: waveId }).whereNotNull('fired_at').orderBy('id');
  return rows.map((r: { kind: string; due_at: string; fired_at: string; fired_by: string }) => ({
    kind: r.kind,
    dueAt: r.due_at,
    firedAt: r.fired_at,
    firedBy: r.fired_by,
  }));
}
