import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import type { Db } from '../../server/db.js';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { createMailer } from '../../server/mail.js';
import { openToken, sealToken, SealedTokenError } from '../../server/sealed_token.js';
import { hashToken } from '../../server/tokens.js';
import { AUTH, BACKENDS, openTestApp, tableNames, type TestApp } from '../server/harness.js';
import { mailText, startSmtp } from '../server/smtp.js';
import { answerAll, itemIds } from './survey.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SECRET = 'unlinkable-test-secret-0123456789abcdefgh';

/** Every row of every table, as text: what a database dump holds. */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of (await tableNames(db)).filter((n) => !n.startsWith('knex_') && n !== 'sqlite_sequence').sort()) {
    out[table] = await db(table).select();
  }
  return out;
}

describe('sealed tokens', () => {
  it('open only with the secret and for the recipient they were sealed for', () => {
    const token = 'A'.repeat(43);
    const sealed = sealToken(SECRET, token, 7, 'ana@example.org');
    expect(sealed).not.toContain(token);
    expect(openToken(SECRET, sealed, 7, 'ana@example.org')).toBe(token);
    expect(sealToken(SECRET, token, 7, 'ana@example.org')).not.toBe(sealed); // a fresh nonce each time
    expect(() => openToken(SECRET.replace('u', 'v'), sealed, 7, 'ana@example.org')).toThrow(SealedTokenError);
    expect(() => openToken(SECRET, sealed, 7, 'ben@example.org')).toThrow(SealedTokenError);
    expect(() => openToken(SECRET, sealed, 8, 'ana@example.org')).toThrow(SealedTokenError);
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(() => openToken(SECRET, tampered.toString('base64url'), 7, 'ana@example.org')).toThrow(SealedTokenError);
  });

  it('SEICI_SECRET is required with SMTP and must be long enough', () => {
    expect(() => readConfig({ SMTP_HOST: 'mail.test' })).toThrow(/SEICI_SECRET must be set .* when SMTP_HOST is set/);
    expect(() => readConfig({ SMTP_HOST: 'mail.test', SEICI_SECRET: 'short' })).toThrow(/SEICI_SECRET must be at least 32 characters long; it has 5\./);
    expect(readConfig({ SMTP_HOST: 'mail.test', SEICI_SECRET: SECRET }).secret).toBe(SECRET);
  });
});

describe.each(BACKENDS)('unlinkable completion on $label', (backend) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    if (backend.skip) return;
    smtp = await startSmtp();
    const mailer = createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'seici <survey@test>' });
    t = await openTestApp(backend, { mailer, env: { SEICI_SECRET: SECRET } });
  });
  afterAll(async () => {
    t?.app.services.mailer?.close();
    await t?.cleanup();
    await smtp?.close();
  });

  it.skipIf(backend.skip)('a snapshot after each submission does not tell who finished; the reminder run clears the finished together and reminds the rest with working personal links', async () => {
    for (const key of ['u1', 'u2']) await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: key });
    const now = t.clock.now.getTime();
    const wave = await request(t.app)
      .post('/api/v1/waves')
      .set(AUTH)
      .send({ name: 'Unlinkable', opensAt: new Date(now - HOUR).toISOString(), closesAt: new Date(now + 10 * DAY).toISOString(), unitKeys: ['u1', 'u2'], reminders: [new Date(now + 3 * DAY).toISOString()] });
    expect(wave.status).toBe(201);
    const waveId = wave.body.id as number;
    const scheduler = new WaveScheduler(t.app.services);
    expect(await scheduler.tick()).toBe(1); // the wave opens
    const people = { u1: ['a1', 'a2', 'a3', 'a4'], u2: ['b1', 'b2', 'b3', 'b4'] };
    for (const [unitKey, names] of Object.entries(people)) {
      const res = await request(t.app).post(`/api/v1/waves/${waveId}/invitations/email`).set(AUTH).send({ unitKey, emails: names.map((n) => `${n}@example.org`) });
      expect(res.body).toEqual({ sent: 4, failed: [] });
    }
    const tokens = new Map<string, string>();
    for (const mail of smtp.mails) tokens.set(mail.to[0], /\/s\/([A-Za-z0-9_-]{43})/.exec(mailText(mail.raw))![1]);
    expect(tokens.size).toBe(8);
    smtp.mails.length = 0;
    const ids = await itemIds(t);

    // The database holds no token in clear, and no sealed token opens without the secret.
    const before = await dump(t.db);
    const text = JSON.stringify(before);
    for (const token of tokens.values()) expect(text).not.toContain(token);
    const recipients = before.recipients as { id: number; email: string; sealed_token: string; wave_id: number }[];
    for (const r of recipients) {
      expect(r.sealed_token).toMatch(/^[A-Za-z0-9_-]{80,}$/);
      expect(() => openToken('', r.sealed_token, waveId, r.email)).toThrow(SealedTokenError);
      expect(() => openToken('some-other-secret-0123456789abcdefghij', r.sealed_token, waveId, r.email)).toThrow(SealedTokenError);
      expect(openToken(SECRET, r.sealed_token, waveId, r.email)).toBe(tokens.get(r.email));
    }

    // Five finish, one after the other, in an order unrelated to the units or the addresses. After
    // each submission the recipients are exactly as before, and the only other change is the
    // answer set itself, stamped with the day.
    const finishing = ['b3@example.org', 'a1@example.org', 'b1@example.org', 'a4@example.org', 'a2@example.org'];
    let last = before;
    for (const email of finishing) {
      const res = await request(t.app).post('/api/v1/responses').send({ token: tokens.get(email), answers: answerAll(ids, 2 + finishing.indexOf(email)), complete: true });
      expect(res.status).toBe(201);
      const after = await dump(t.db);
      expect(after.recipients).toEqual(before.recipients);
      for (const table of Object.keys(after).filter((n) => n !== 'responses')) expect(after[table], table).toEqual(last[table]);
      const newest = (after.responses as Record<string, unknown>[]).filter((r) => !(last.responses as Record<string, unknown>[]).some((o) => o.id === r.id));
      expect(newest).toHaveLength(1);
      for (const [column, value] of Object.entries(newest[0])) {
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) expect(value, column).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      last = after;
    }

    // The reminder run: the five are cleared in one transaction, the three others are reminded,
    // each with a link that opens their own survey.
    t.clock.advance(3 * DAY);
    expect(await scheduler.tick()).toBe(1); // the reminder
    const left = (await t.db('recipients').where({ wave_id: waveId }).select('email', 'pending_tag', 'sealed_token')) as { email: string; pending_tag: string | null; sealed_token: string | null }[];
    expect(left.filter((r) => r.pending_tag === null).map((r) => r.email).sort()).toEqual([...finishing].sort());
    expect(left.filter((r) => r.pending_tag === null).every((r) => r.sealed_token === null)).toBe(true);
    const reminded = smtp.mails.map((m) => m.to[0]).sort();
    expect(reminded).toEqual(['a3@example.org', 'b2@example.org', 'b4@example.org']);
    for (const mail of smtp.mails) {
      const link = /http:\/\/survey\.test(\/s\/[A-Za-z0-9_-]{43})/.exec(mailText(mail.raw));
      expect(link, mail.to[0]).not.toBeNull();
      expect(link![1]).toBe(`/s/${tokens.get(mail.to[0])}`);
      const page = await request(t.app).get(link![1]);
      expect(page.status).toBe(200);
      // Their own survey page, which (as every respondent's page) never names the wave.
      expect(page.text).toContain('id="seici-config"');
      expect(page.text).not.toContain('Unlinkable');
      const answered = await request(t.app).post('/api/v1/responses').send({ token: link![1].slice(3), answers: answerAll(ids, 5), complete: true });
      expect(answered.status).toBe(201);
    }
    const audit = await t.db('audit_log').where({ action: 'recipients.finished' }).first();
    expect(JSON.parse(audit.details)).toEqual({ cleared: 5 });
    expect(JSON.stringify(await dump(t.db))).not.toMatch(new RegExp([...tokens.values()].join('|')));
    // The answer sets hold no hash that the recipients' rows could be matched with.
    const hashes = new Set([...tokens.values()].map((tk) => hashToken(tk)));
    for (const r of (await dump(t.db)).recipients as Record<string, unknown>[]) for (const v of Object.values(r)) expect(hashes.has(String(v))).toBe(false);
  });

  it.skipIf(backend.skip)('refuses e-mail invitations without SEICI_SECRET rather than storing links it could not seal', async () => {
    const other = await openTestApp(backend, { mailer: t.app.services.mailer });
    try {
      await request(other.app).post('/api/v1/units').set(AUTH).send({ key: 'x', name: 'x' });
      const now = other.clock.now.getTime();
      const w = await request(other.app).post('/api/v1/waves').set(AUTH).send({ name: 'W', opensAt: new Date(now - HOUR).toISOString(), closesAt: new Date(now + DAY).toISOString(), unitKeys: ['x'] });
      const res = await request(other.app).post(`/api/v1/waves/${w.body.id}/invitations/email`).set(AUTH).send({ unitKey: 'x', emails: ['z@example.org'] });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/^E-mail invitations need SEICI_SECRET/);
      expect(await other.db('recipients').count({ n: '*' }).then((r) => Number(r[0].n))).toBe(0);
      expect(await other.db('invitations').count({ n: '*' }).then((r) => Number(r[0].n))).toBe(0);
    } finally {
      await other.cleanup();
    }
  });
});
