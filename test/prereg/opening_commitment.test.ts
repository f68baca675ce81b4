import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { createUnits } from '../server-dynamics/helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const key = generateKeyPairSync('ed25519').privateKey;

/** A wave that opens an hour from the test clock's now. */
async function scheduleWave(t: TestApp, name: string, unitKeys: string[]): Promise<number> {
  const res = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name, opensAt: new Date(t.clock.now.getTime() + HOUR).toISOString(), closesAt: new Date(t.clock.now.getTime() + 14 * DAY).toISOString(), unitKeys });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

describe('breakpoint rules committed automatically when a wave opens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: '2026-06-01T09:00:00.000Z', env: { SEICI_SIGNING_KEY: key.export({ format: 'pem', type: 'pkcs8' }).toString() } });
    await createUnits(t, ['team-a', 'team-b']);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('signs the locked rule set in the transaction that opens the wave, and the breakpoint answers name it as followed', async () => {
    const rules = await request(t.app).post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'persist-5', persistence: 5 });
    expect(rules.status).toBe(201);
    const wave = await scheduleWave(t, 'June', ['team-a']);
    expect((await request(t.app).get(`/api/v1/commitments?wave=${wave}`).set(AUTH)).body.commitments).toEqual([]);
    t.clock.advance(2 * HOUR);
    await new WaveScheduler(t.app.services).tick();

    const list = await request(t.app).get(`/api/v1/commitments?wave=${wave}`).set(AUTH);
    expect(list.body.chain).toMatchObject({ valid: true });
    expect(list.body.commitments).toHaveLength(1);
    const entry = list.body.commitments[0];
    expect(entry).toMatchObject({ kind: 'breakpoint-rules', waveId: wave, title: 'Breakpoint rules persist-5, locked when "June" opened', content: { ruleVersion: 'persist-5', rules: { version: 'persist-5', persistence: 5 } } });
    expect(entry.committedAt).toBe(t.clock.now.toISOString());

    const res = await request(t.app).get('/api/v1/units/team-a/breakpoints').set(AUTH);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rules).toMatchObject({ version: 'persist-5', preregistered: true, deviation: null, commitment: { seq: entry.seq, hash: entry.hash, ruleVersion: 'persist-5', verified: true } });
    const audit = await request(t.app).get('/api/v1/audit').set(AUTH);
    expect(audit.body.entries.some((e: { actor: string; action: string }) => e.actor === 'scheduler' && e.action === 'commitment.create')).toBe(true);
  });

  it("keeps an admin's own commitment made before the opening, and reports the locked rules as a deviation from it", async () => {
    const wave = await scheduleWave(t, 'July', ['team-b']);
    const committed = await request(t.app).post('/api/v1/commitments').set(AUTH).send({ kind: 'breakpoint-rules', waveId: wave, ruleVersion: 'seici-default-1' });
    expect(committed.status, JSON.stringify(committed.body)).toBe(201);
    t.clock.advance(2 * HOUR);
    await new WaveScheduler(t.app.services).tick();
    const list = await request(t.app).get(`/api/v1/commitments?wave=${wave}`).set(AUTH);
    expect(list.body.commitments.map((c: { seq: number }) => c.seq)).toEqual([committed.body.seq]);
    const res = await request(t.app).get('/api/v1/units/team-b/breakpoints').set(AUTH);
    expect(res.body.rules).toMatchObject({ version: 'persist-5', preregistered: false, commitment: { seq: committed.body.seq, ruleVersion: 'seici-default-1' } });
    expect(res.body.rules.deviation).toMatch(/^The analysis used rule version persist-5, not the rules committed in commitment \d+ \(version seici-default-1\): persistence 4 → 5; /);
  });
});

describe('without a signing key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: '2026-06-01T09:00:00.000Z' });
    await createUnits(t, ['team-a']);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('opens the wave and locks its rules but commits nothing (it never makes up a key)', async () => {
    const wave = await scheduleWave(t, 'June', ['team-a']);
    t.clock.advance(2 * HOUR);
    expect(await new WaveScheduler(t.app.services).tick()).toBeGreaterThan(0);
    expect((await request(t.app).get(`/api/v1/commitments?wave=${wave}`).set(AUTH)).body.commitments).toEqual([]);
    const res = await request(t.app).get('/api/v1/units/team-a/breakpoints').set(AUTH);
    expect(res.body.rules).toMatchObject({ version: 'seici-default-1', preregistered: false, commitment: null, lockedBy: { waveId: wave } });
  });
});
