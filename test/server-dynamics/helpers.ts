import request from 'supertest';
import { expect } from 'vitest';
import type { Db } from '../../server/db.js';
import { AUTH, rowCount, type TestApp } from '../server/harness.js';

const DAY = 86_400_000;

/** The date `days` after `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Monday of the first week of the planted streams. */
export const FIRST_MONDAY = '2026-01-05';

/**
 * A native events CSV for one unit over `weeks` ISO weeks from FIRST_MONDAY: 20 work items
 * closed each Tuesday, and `reopens(week)` of them reopened on Thursday. The planted stream
 * of the issue: reopen rate 5–10% with a one-week spike to 40% in week 3 (too short to count)
 * and a jump to 35% for six weeks from week 8 (Monday 2026-03-02).
 */
export function reopenStreamCsv(unit: string, weeks = 20, reopens = plantedReopens): string {
  const rows = ['unit,timestamp,type,key,ref'];
  for (let w = 0; w < weeks; w++) {
    const monday = addDays(FIRST_MONDAY, 7 * w);
    for (let i = 0; i < 20; i++) rows.push(`${unit},${addDays(monday, 1)}T10:00:00Z,closed,W${w}-${i},`);
    for (let i = 0; i < reopens(w); i++) rows.push(`${unit},${addDays(monday, 3)}T10:00:00Z,reopened,W${w}-${i},`);
  }
  return rows.join('\n') + '\n';
}

export function plantedReopens(week: number): number {
  if (week === 3) return 8;
  if (week >= 8 && week < 14) return 7;
  return week % 2 === 0 ? 1 : 2;
}

/** Row counts of every table the dynamics calls write to. */
export async function dynamicsSnapshot(db: Db): Promise<Record<string, number>> {
  const tables = ['trace_imports', 'trace_events', 'performance_imports', 'performance_records', 'breakpoint_rule_sets', 'wave_rule_locks', 'audit_log'];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await rowCount(db, t);
  return counts;
}

/** Sends a request and checks that it is refused with `status` and one sentence matching `pattern`, storing nothing. */
export async function refused(t: TestApp, send: () => Promise<request.Response>, status: number, pattern: RegExp): Promise<request.Response> {
  const before = await dynamicsSnapshot(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toMatch(pattern);
  expect(res.body.error).toMatch(/^[^\n]+[.]$/);
  expect(await dynamicsSnapshot(t.db)).toEqual(before);
  return res;
}

export async function createUnits(t: TestApp, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const res = await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: `Unit ${key}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}
