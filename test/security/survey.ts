import request from 'supertest';
import { expect } from 'vitest';
import { AUTH, type TestApp } from '../server/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Creates units and an open wave over them (opened an hour ago, closing in a week); returns the wave id. */
export async function openWave(t: TestApp, unitKeys: readonly string[], extra: Record<string, unknown> = {}): Promise<number> {
  for (const key of unitKeys) {
    const unit = await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: `Unit ${key}` });
    expect([201, 409]).toContain(unit.status);
  }
  const now = t.clock.now.getTime();
  const wave = await request(t.app)
    .post('/api/v1/waves')
    .set(AUTH)
    .send({ name: 'Security wave', opensAt: new Date(now - HOUR).toISOString(), closesAt: new Date(now + 7 * DAY).toISOString(), unitKeys, ...extra });
  expect(wave.status, JSON.stringify(wave.body)).toBe(201);
  return wave.body.id;
}

/** Issues invitation tokens for a unit of a wave. */
export async function inviteLinks(t: TestApp, waveId: number, unitKey: string, count: number): Promise<string[]> {
  const res = await request(t.app).post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.invitations.map((i: { token: string }) => i.token);
}

/** The ids of the wave's SEI-CI items. */
export async function itemIds(t: TestApp): Promise<string[]> {
  const res = await request(t.app).get('/api/v1/instrument');
  return res.body.items.filter((i: { cell: string | null }) => i.cell !== null).map((i: { id: string }) => i.id);
}

/** A complete answer set: every SEI-CI item answered `value`. */
export function answerAll(ids: readonly string[], value = 4): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, value]));
}
