import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { AUTH, BACKENDS, openTestApp, storeSnapshot, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(BACKENDS)('wave management over the API on $label', (backend) => {
  let t: TestApp;
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const events = async (waveId: number) =>
    (await t.db('wave_events').where({ wave_id: waveId }).whereNull('fired_at').orderBy('due_at').select('kind', 'due_at')).map((e: { kind: string; due_at: string }) => `${e.kind} ${e.due_at}`);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    for (const key of ['u1', 'u2', 'u3']) await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: `Unit ${key}` });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it.skipIf(backend.skip)('edits the name, dates and reminders of a scheduled wave and moves its scheduled events with them', async () => {
    const wave = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'Draft', opensAt: at(DAY), closesAt: at(10 * DAY), unitKeys: ['u1'] });
    expect(wave.status).toBe(201);
    const opensAt = at(2 * DAY);
    const closesAt = at(20 * DAY);
    const reminder = at(9 * DAY);
    const edited = await request(t.app).patch(`/api/v1/waves/${wave.body.id}`).set(AUTH).send({ name: 'Spring pulse', opensAt, closesAt, reminders: [reminder] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Spring pulse', opensAt, closesAt, reminders: [reminder], status: 'scheduled' });
    expect(await events(wave.body.id)).toEqual([`open ${opensAt}`, `reminder ${reminder}`, `close ${closesAt}`]);
    const log = await t.db('audit_log').where({ action: 'wave.update', target: `wave:${wave.body.id}` }).first();
    expect(JSON.parse(log.details).from.name).toBe('Draft');
    // Reminders outside the wave, or a closing time before the opening, are named and store nothing.
    const before = await storeSnapshot(t.db);
    const outside = await request(t.app).patch(`/api/v1/waves/${wave.body.id}`).set(AUTH).send({ reminders: [at(30 * DAY)] });
    expect(outside.status).toBe(400);
    expect(outside.body.error).toMatch(/^reminders must lie between opensAt and closesAt/);
    const backwards = await request(t.app).patch(`/api/v1/waves/${wave.body.id}`).set(AUTH).send({ closesAt: at(DAY) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatch(/closesAt .* must be later than opensAt/);
    const empty = await request(t.app).patch(`/api/v1/waves/${wave.body.id}`).set(AUTH).send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/at least one of name, opensAt, closesAt or reminders/);
    expect(await storeSnapshot(t.db)).toEqual(before);
  });

  it.skipIf(backend.skip)('extends an open wave, adds a unit to it, refuses to move its opening, and changes nothing once it is closed', async () => {
    const wave = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'Open', opensAt: at(-HOUR), closesAt: at(5 * DAY), unitKeys: ['u1'] });
    expect(wave.body.status).toBe('open');
    const id = wave.body.id as number;
    const moved = await request(t.app).patch(`/api/v1/waves/${id}`).set(AUTH).send({ opensAt: at(HOUR) });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toMatch(/opensAt cannot change/);
    const past = await request(t.app).patch(`/api/v1/waves/${id}`).set(AUTH).send({ closesAt: at(-1000) });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/must lie ahead/);
    const later = at(12 * DAY);
    const extended = await request(t.app).patch(`/api/v1/waves/${id}`).set(AUTH).send({ closesAt: later });
    expect(extended.status).toBe(200);
    expect(extended.body.closesAt).toBe(later);
    expect(await events(id)).toContain(`close ${later}`);

    const added = await request(t.app).post(`/api/v1/waves/${id}/units`).set(AUTH).send({ unitKeys: ['u2', 'u1'] });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.added).toBe(1);
    expect(added.body.unitKeys).toEqual(['u1', 'u2']);
    const links = await request(t.app).post(`/api/v1/waves/${id}/invitations`).set(AUTH).send({ unitKey: 'u2', count: 2 });
    expect(links.status).toBe(201);
    const unknown = await request(t.app).post(`/api/v1/waves/${id}/units`).set(AUTH).send({ unitKeys: ['nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unitKeys names no unit: "nope".');

    // The old closing time passes: the scheduler does not close the extended wave.
    t.clock.advance(6 * DAY);
    await new WaveScheduler(t.app.services).tick();
    expect((await request(t.app).get(`/api/v1/waves/${id}`).set(AUTH)).body.status).toBe('open');
    t.clock.advance(7 * DAY);
    await new WaveScheduler(t.app.services).tick();
    expect((await request(t.app).get(`/api/v1/waves/${id}`).set(AUTH)).body.status).toBe('closed');
    const closed = await request(t.app).patch(`/api/v1/waves/${id}`).set(AUTH).send({ name: 'Too late' });
    expect(closed.status).toBe(409);
    expect((await request(t.app).post(`/api/v1/waves/${id}/units`).set(AUTH).send({ unitKeys: ['u3'] })).status).toBe(409);
    await t.app.services.analyses.idle();
  });

  it.skipIf(backend.skip)('deletes a draft but never a wave that opened or handed out links', async () => {
    const draft = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'Draft to delete', opensAt: at(DAY), closesAt: at(3 * DAY), unitKeys: ['u1'] });
    const gone = await request(t.app).delete(`/api/v1/waves/${draft.body.id}`).set(AUTH);
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ id: draft.body.id, deleted: true });
    expect((await request(t.app).get(`/api/v1/waves/${draft.body.id}`).set(AUTH)).status).toBe(404);
    expect(Number((await t.db('wave_events').where({ wave_id: draft.body.id }).count({ n: '*' }).first())!.n)).toBe(0);
    expect(await t.db('audit_log').where({ action: 'wave.delete', target: `wave:${draft.body.id}` }).first()).toBeDefined();

    const linked = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'Linked draft', opensAt: at(DAY), closesAt: at(3 * DAY), unitKeys: ['u1'] });
    await request(t.app).post(`/api/v1/waves/${linked.body.id}/invitations`).set(AUTH).send({ unitKey: 'u1', count: 1 });
    const refused = await request(t.app).delete(`/api/v1/waves/${linked.body.id}`).set(AUTH);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/has issued invitation links/);
    const open = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'Open one', opensAt: at(-HOUR), closesAt: at(3 * DAY), unitKeys: ['u1'] });
    const openRefused = await request(t.app).delete(`/api/v1/waves/${open.body.id}`).set(AUTH);
    expect(openRefused.status).toBe(409);
    expect(openRefused.body.error).toMatch(/has opened/);
  });

  it.skipIf(backend.skip)('filters the audit log by actor, action prefix, target and time', async () => {
    const all = await request(t.app).get('/api/v1/audit?limit=1000').set(AUTH);
    const updates = await request(t.app).get('/api/v1/audit?action=wave.').set(AUTH);
    expect(updates.status).toBe(200);
    expect(updates.body.entries.length).toBeGreaterThan(3);
    expect(updates.body.entries.every((e: { action: string }) => e.action.startsWith('wave.'))).toBe(true);
    expect(updates.body.entries.length).toBe(all.body.entries.filter((e: { action: string }) => e.action.startsWith('wave.')).length);
    const scheduler = await request(t.app).get('/api/v1/audit?actor=scheduler').set(AUTH);
    expect(scheduler.body.entries.map((e: { action: string }) => e.action)).toContain('wave.close');
    expect(scheduler.body.entries.every((e: { actor: string }) => e.actor === 'scheduler')).toBe(true);
    // `_` in a prefix is a character, not a wildcard.
    expect((await request(t.app).get('/api/v1/audit?action=wave_').set(AUTH)).body.entries).toEqual([]);
    const future = await request(t.app).get(`/api/v1/audit?since=${encodeURIComponent(at(DAY))}`).set(AUTH);
    expect(future.body.entries).toEqual([]);
    const bad = await request(t.app).get('/api/v1/audit?since=yesterday').set(AUTH);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/since/);
  });
});
