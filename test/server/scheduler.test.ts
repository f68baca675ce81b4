import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db.js';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { createMailer } from '../../server/mail.js';
import { hashToken, pendingTag } from '../../server/tokens.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { AUTH, BACKENDS, openTestApp, TestClock, type TestApp } from './harness.js';
import { mailText, startSmtp } from './smtp.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(BACKENDS)('wave scheduler and e-mail on $label', (backend) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let items: ItemInfo[];
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

  beforeAll(async () => {
    if (backend.skip) return;
    smtp = await startSmtp();
    const mailer = createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'seici <survey@test>' });
    t = await openTestApp(backend, { mailer, env: { SEICI_SECRET: 'scheduler-test-secret-0123456789abcdef' } });
    items = (await request(t.app).get('/api/v1/instrument')).body.items;
    for (const key of ['u1', 'u2']) await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: key });
  });
  afterAll(async () => {
    t?.app.services.mailer?.close();
    await t?.cleanup();
    await smtp?.close();
  });
  afterEach(() => {
    if (smtp) smtp.mails.length = 0;
  });

  it.skipIf(backend.skip)('invites by e-mail without letting the store link an address to an answer set, and reminds only those who have not finished', async () => {
    const wave = await request(t.app)
      .post('/api/v1/waves')
      .set(AUTH)
      .send({ name: 'Mail wave', opensAt: at(HOUR), closesAt: at(10 * DAY), unitKeys: ['u1'], reminders: [at(5 * DAY)] });
    expect(wave.status).toBe(201);
    const emails = ['ana@example.org', 'ben@example.org', 'cai@example.org'];
    const sent = await request(t.app).post(`/api/v1/waves/${wave.body.id}/invitations/email`).set(AUTH).send({ unitKey: 'u1', emails });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toEqual({ sent: 3, failed: [] });
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(emails);
    const tokens = new Map<string, string>();
    for (const mail of smtp.mails) {
      const text = mailText(mail.raw);
      const token = /http:\/\/survey\.test\/s\/([A-Za-z0-9_-]{43})/.exec(text)![1];
      expect(text).toContain('at least 5 people');
      tokens.set(mail.to[0], token);
    }
    // The store: invitations hold token hashes without addresses; recipients hold addresses with another hash.
    const invitations = await t.db('invitations').where({ wave_id: wave.body.id });
    const recipients = await t.db('recipients').where({ wave_id: wave.body.id });
    expect(Object.keys(invitations[0]).join(',')).not.toMatch(/mail|recipient/);
    const invitationHashes = new Set(invitations.map((i: { token_hash: string }) => i.token_hash));
    for (const r of recipients) expect(invitationHashes.has(r.pending_tag)).toBe(false);
    for (const token of tokens.values()) expect(invitationHashes.has(hashToken(token))).toBe(true);
    expect(JSON.stringify([invitations, recipients])).not.toMatch(new RegExp([...tokens.values()].join('|')));

    // The wave opens on time; Ben finishes, Ana saves half, Cai does nothing.
    const scheduler = new WaveScheduler(t.app.services);
    expect(await scheduler.tick()).toBe(0);
    t.clock.advance(2 * HOUR);
    expect(await scheduler.tick()).toBe(1);
    expect((await request(t.app).get(`/api/v1/waves/${wave.body.id}`).set(AUTH)).body.status).toBe('open');
    const ben = await request(t.app).post('/api/v1/responses').send({ token: tokens.get('ben@example.org'), answers: seiAnswers(items, seeded(3)), complete: true });
    expect(ben.status).toBe(201);
    await request(t.app).post('/api/v1/responses').send({ token: tokens.get('ana@example.org'), answers: { SxA_1: 3 }, complete: false });
    // Submitting changes no recipient row: who finished is found out at the next reminder run.
    const tags = async () => (await t.db('recipients').where({ wave_id: wave.body.id }).orderBy('email')).map((r: { email: string; pending_tag: string | null }) => [r.email, r.pending_tag]);
    expect(await tags()).toEqual(emails.map((e) => [e, pendingTag(tokens.get(e)!)]));

    smtp.mails.length = 0;
    t.clock.advance(5 * DAY);
    expect(await scheduler.tick()).toBe(1);
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['ana@example.org', 'cai@example.org']);
    expect(await tags()).toEqual([
      ['ana@example.org', pendingTag(tokens.get('ana@example.org')!)],
      ['ben@example.org', null],
      ['cai@example.org', pendingTag(tokens.get('cai@example.org')!)],
    ]);
    for (const mail of smtp.mails) {
      // Respondents never read the wave's internal name: the subject names the questionnaire.
      expect(mail.raw).toMatch(/Subject: Reminder: SEI Coherence Index/);
      expect(mail.raw).not.toContain('Mail wave');
      expect(mailText(mail.raw)).toContain('This is a reminder');
      // Each reminder carries the recipient's own link, and no one else's.
      expect(mailText(mail.raw)).toContain(`http://survey.test/s/${tokens.get(mail.to[0])}`);
      expect(mailText(mail.raw).match(/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
    }
    // A restarted scheduler (a new process) does not fire anything again.
    smtp.mails.length = 0;
    expect(await new WaveScheduler(t.app.services).tick()).toBe(0);
    expect(smtp.mails).toHaveLength(0);

    // Closing time: the wave closes, and its analysis is queued.
    t.clock.advance(5 * DAY);
    expect(await scheduler.tick()).toBe(1);
    const closed = await request(t.app).get(`/api/v1/waves/${wave.body.id}`).set(AUTH);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).toEqual(expect.any(String));
    await t.app.services.analyses.idle();
    const analyses = await request(t.app).get(`/api/v1/waves/${wave.body.id}/analyses`).set(AUTH);
    expect(analyses.body.analyses).toHaveLength(1);
    expect(analyses.body.analyses[0].status).toBe('done');
    const events = await t.db('wave_events').where({ wave_id: wave.body.id });
    expect(events.every((e: { fired_at: string | null }) => e.fired_at !== null)).toBe(true);
    t.clock.advance(-12 * DAY - 2 * HOUR);
  });

  // Several server processes can share only PostgreSQL (an SQLite file belongs to one process).
  if (backend.name === 'postgres') it.skipIf(backend.skip)('fires each event exactly once when several server processes share PostgreSQL', async () => {
    const clock = new TestClock(t.clock.now);
    const waves: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await request(t.app)
        .post('/api/v1/waves')
        .set(AUTH)
        .send({ name: `Race ${i}`, opensAt: at(HOUR + i * 1000), closesAt: at(2 * DAY), unitKeys: ['u2'] });
      waves.push(res.body.id);
    }
    clock.advance(3 * HOUR);
    // Four "processes": each its own connection pool and scheduler, ticking at the same time.
    const processes = Array.from({ length: 4 }, () => {
      const db = openDatabase(t.config);
      const app = createApp({ db, config: t.config, clock: clock.read });
      return { db, scheduler: new WaveScheduler(app.services) };
    });
    try {
      const fired = await Promise.all(processes.map((p) => p.scheduler.tick()));
      expect(fired.reduce((a, b) => a + b, 0)).toBe(12);
      const events = await t.db('wave_events').whereIn('wave_id', waves).where({ kind: 'open' });
      expect(events.every((e: { fired_at: string | null }) => e.fired_at !== null)).toBe(true);
      const audits = await t.db('audit_log').where({ action: 'wave.open' }).whereIn('target', waves.map((w) => `wave:${w}`));
      expect(audits).toHaveLength(12);
      expect(new Set(events.map((e: { fired_by: string }) => e.fired_by)).size).toBeGreaterThanOrEqual(1);
    } finally {
      for (const p of processes) await p.db.destroy();
    }
  });
});
