import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlinkClosedWaves } from '../../migrations/20261130011000_response_keys.js';
import type { Db } from '../../server/db.js';
import { createMailer } from '../../server/mail.js';
import { responseKeyOf } from '../../server/response_key.js';
import { hashToken, pendingTag } from '../../server/tokens.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { AUTH, BACKENDS, openTestApp, tableNames, type TestApp } from './harness.js';
import { mailText, startSmtp } from './smtp.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Row = Record<string, unknown>;

/** Every row of every table: what a database dump gives an attacker (no SEICI_SECRET, no key file, no token). */
async function dump(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of await tableNames(db)) out[table] = await db(table).select('*');
  return out;
}

const byId = (a: Row, b: Row) => Number(a.id) - Number(b.id);
/** An answer set as JSON with its item ids sorted (how the store keeps it). */
const sortedJson = (answers: object) => JSON.stringify(Object.fromEntries(Object.entries(answers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

/**
 * Issue 10: the database alone must not link an answer set to the person who gave it. E-mail
 * invitations and their recipients are written in one transaction per batch, so their id ranges
 * align, and a batch of one address (a late joiner) pairs that address with its invitation from
 * a dump alone; these tests check that nothing leads on from the invitation to the answer set.
 */
describe.each(BACKENDS)('answer sets a database dump cannot link to an address on $label', (backend) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let items: ItemInfo[];
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const post = (body: object) => request(t.app).post('/api/v1/responses').send(body);
  const keyOf = (token: string) => responseKeyOf(t.app.services.responseKey, token);

  beforeAll(async () => {
    if (backend.skip) return;
    smtp = await startSmtp();
    const mailer = createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'seici <survey@test>' });
    t = await openTestApp(backend, { mailer, env: { SEICI_SECRET: 'linkage-test-secret-0123456789abcdefghij' } });
    items = (await request(t.app).get('/api/v1/instrument')).body.items;
    for (const key of ['u1', 'u2', 'u3']) await request(t.app).post('/api/v1/units').set(AUTH).send({ key, name: key.toUpperCase() });
  });
  afterAll(async () => {
    t?.app.services.mailer?.close();
    await t?.cleanup();
    await smtp?.close();
  });

  async function wave(name: string, unitKey: string): Promise<number> {
    const res = await request(t.app).post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(-HOUR), closesAt: at(20 * DAY), unitKeys: [unitKey] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function emailInvite(waveId: number, unitKey: string, emails: string[]): Promise<Map<string, string>> {
    const before = smtp.mails.length;
    const res = await request(t.app).post(`/api/v1/waves/${waveId}/invitations/email`).set(AUTH).send({ unitKey, emails });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return new Map(smtp.mails.slice(before).map((m) => [m.to[0], /http:\/\/survey\.test\/s\/([A-Za-z0-9_-]{43})/.exec(mailText(m.raw))![1]]));
  }

  async function linkInvite(waveId: number, unitKey: string, count: number): Promise<string[]> {
    const res = await request(t.app).post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.invitations.map((i: { token: string }) => i.token);
  }

  it.skipIf(backend.skip)('leaves no path from a late joiner’s address to their answers: not by reference, id ranges, stored values, order or day', async () => {
    const waveId = await wave('Late joiner', 'u1');
    const first = ['ana', 'ben', 'cai', 'dev', 'eli', 'fay'].map((n) => `${n}@example.org`);
    const tokens = await emailInvite(waveId, 'u1', first);
    const random = seeded(2026);
    const given = new Map<string, string>();
    const snapshot = async () => JSON.stringify([await t.db('invitations').orderBy('id').select('*'), await t.db('recipients').orderBy('id').select('*')]);
    const submit = async (email: string) => {
      const answers = seiAnswers(items, random);
      given.set(email, sortedJson(answers));
      const before = await snapshot();
      expect((await post({ token: tokens.get(email), answers, complete: true })).status).toBe(201);
      // A submission writes nothing that concerns invitations or recipients: a snapshot taken
      // after each one shows the same two tables.
      expect(await snapshot()).toBe(before);
    };
    for (const email of first.slice(0, 3)) await submit(email);
    // The next day one person joins the unit and is invited alone: a batch of one.
    t.clock.advance(DAY);
    for (const [email, token] of await emailInvite(waveId, 'u1', ['late@example.org'])) tokens.set(email, token);
    // Answers that day: one before the late joiner, two after.
    for (const email of ['dev@example.org', 'late@example.org', 'eli@example.org', 'fay@example.org']) await submit(email);

    const db = await dump(t.db);
    const recipients = db.recipients.filter((r) => Number(r.wave_id) === waveId).sort(byId);
    const invitations = db.invitations.filter((i) => Number(i.wave_id) === waveId).sort(byId);
    const responses = db.responses.filter((r) => Number(r.wave_id) === waveId).sort(byId);
    expect(responses).toHaveLength(7);
    const truth = responses.find((r) => sortedJson(JSON.parse(String(r.answers))) === given.get('late@example.org'))!;
    expect(truth).toBeDefined();

    // Step 1 works, by design of the batches: recipients and invitations are inserted together,
    // so the recipient of the batch of one (the last row) pairs with the last invitation.
    const lateRecipient = recipients[recipients.length - 1];
    const lateInvitation = invitations[invitations.length - 1];
    expect(lateRecipient.email).toBe('late@example.org');
    expect(lateInvitation.token_hash).toBe(hashToken(tokens.get('late@example.org')!));

    // Step 2 must fail. By reference: no answer set names an invitation (or a recipient).
    const referenceColumns = Object.keys(responses[0]).filter((c) => /invitation|recipient|token|email/.test(c));
    for (const column of referenceColumns) expect(responses.filter((r) => r[column] !== null && r[column] === lateInvitation.id), column).toEqual([]);
    expect(responses.every((r) => r.invitation_id === null || r.invitation_id === undefined)).toBe(true);

    // By stored value: nothing in an answer row equals, or is a plain hash of, what the store
    // keeps about the invitation or the recipient (token hash, pending tag, sealed token, address).
    const known = new Set(
      [lateInvitation.token_hash, lateRecipient.email, lateRecipient.sealed_token, lateRecipient.pending_tag].filter((v): v is string => typeof v === 'string'),
    );
    for (const v of [...known]) {
      known.add(hashToken(v));
      known.add(pendingTag(v));
    }
    known.add(pendingTag(tokens.get('late@example.org')!));
    for (const r of responses) {
      for (const [column, value] of Object.entries(r)) {
        if (column === 'answers') continue;
        expect(typeof value === 'string' && known.has(value), `${column} of answer set ${r.id}`).toBe(false);
      }
    }
    // The response key is not the token's hash under any purpose the store uses.
    expect(truth.response_key).toBe(keyOf(tokens.get('late@example.org')!));
    expect(truth.response_key).not.toBe(lateInvitation.token_hash);

    // By id range or order: the answer rows' ids follow arrival, so the rank of an invitation
    // says nothing about the rank of its answer set; by day, every set saved on or after the
    // invitation's day remains a candidate. What is left is the anonymity set of that day.
    const candidates = responses.filter((r) => String(r.saved_on) >= String(lateInvitation.created_on));
    expect(candidates.length).toBeGreaterThanOrEqual(4);
    expect(candidates).toContainEqual(truth);
    const rankMatch = responses[invitations.indexOf(lateInvitation)];
    expect(rankMatch.answers).not.toBe(truth.answers);
  });

  it.skipIf(backend.skip)('still takes one complete answer set per token: a retry is 200, another set 409, also when sent at once', async () => {
    const waveId = await wave('Once', 'u2');
    const [one, two] = await linkInvite(waveId, 'u2', 2);
    const full = seiAnswers(items, seeded(5));
    expect((await post({ token: one, answers: full, complete: true })).status).toBe(201);
    expect((await post({ token: one, answers: full, complete: true })).status).toBe(200);
    const other = await post({ token: one, answers: { ...full, SxA_1: full.SxA_1 === 1 ? 2 : 1 }, complete: true });
    expect(other.status).toBe(409);
    const rivals = await Promise.all(Array.from({ length: 10 }, (_, i) => post({ token: two, answers: { ...full, SxA_1: 1 + (i % 7) }, complete: true })));
    expect(rivals.filter((r) => r.status === 201)).toHaveLength(1);
    const stored = await t.db('responses').where({ response_key: keyOf(two) });
    expect(stored).toHaveLength(1);
    const kept = JSON.parse(stored[0].answers).SxA_1;
    rivals.forEach((res, i) => expect(res.status, `submission ${i}`).toBe(1 + (i % 7) === kept ? (res.status === 201 ? 201 : 200) : 409));
  });

  it.skipIf(backend.skip)('resumes a partial answer set from its token', async () => {
    const waveId = await wave('Resume', 'u2');
    const [token] = await linkInvite(waveId, 'u2', 1);
    const full = seiAnswers(items, seeded(6));
    const ids = Object.keys(full);
    const half = Object.fromEntries(ids.slice(0, 20).map((id) => [id, full[id]]));
    const first = await post({ token, answers: half, complete: false, page: 'sei-structural' });
    expect(first.status).toBe(201);
    expect(first.body.answered).toBe(Object.values(half).filter((v) => v !== null).length);
    const page = await request(t.app).get(`/s/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('sei-structural');
    const rest = Object.fromEntries(ids.slice(20).map((id) => [id, full[id]]));
    const done = await post({ token, answers: rest, complete: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ complete: true, answered: Object.values(full).filter((v) => v !== null).length });
    const rows = await t.db('responses').where({ wave_id: waveId });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].answers)).toEqual(full);
  });

  describe('answer sets written before response keys', () => {
    async function legacy(waveId: number, token: string, answers: Record<string, number | null>, complete: boolean): Promise<number> {
      const invitation = await t.db('invitations').where({ token_hash: hashToken(token) }).first('id', 'unit_id');
      const [row] = await t
        .db('responses')
        .insert({ invitation_id: invitation.id, wave_id: waveId, unit_id: invitation.unit_id, locale: 'en', answers: JSON.stringify(answers), complete, saved_on: '2026-03-01' })
        .returning('id');
      return Number(row.id ?? row);
    }

    it.skipIf(backend.skip)('are re-keyed when their token is used (page, save, submit), and a used token stays used', async () => {
      const waveId = await wave('Legacy use', 'u3');
      const [viewed, saved, submitted, racing] = await linkInvite(waveId, 'u3', 4);
      const full = seiAnswers(items, seeded(7));
      const ids = Object.keys(full);
      const part = Object.fromEntries(ids.slice(0, 10).map((id) => [id, full[id]]));
      const rows = {
        viewed: await legacy(waveId, viewed, part, false),
        saved: await legacy(waveId, saved, part, false),
        submitted: await legacy(waveId, submitted, full, true),
        racing: await legacy(waveId, racing, part, false),
      };
      const rekeyed = async (id: number, token: string) => {
        const row = await t.db('responses').where({ id }).first('invitation_id', 'response_key');
        expect(row.invitation_id ?? null).toBeNull();
        expect(row.response_key).toBe(keyOf(token));
      };

      expect((await request(t.app).get(`/s/${viewed}`)).status).toBe(200);
      await rekeyed(rows.viewed, viewed);

      const more = Object.fromEntries(ids.slice(10, 15).map((id) => [id, full[id]]));
      const res = await post({ token: saved, answers: more, complete: false });
      expect(res.status).toBe(200);
      expect(res.body.answered).toBe(Object.values({ ...part, ...more }).filter((v) => v !== null).length);
      await rekeyed(rows.saved, saved);

      expect((await post({ token: submitted, answers: { ...full, SxA_1: full.SxA_1 === 1 ? 2 : 1 }, complete: true })).status).toBe(409);
      await rekeyed(rows.submitted, submitted);

      const rivals = await Promise.all(Array.from({ length: 6 }, (_, i) => post({ token: racing, answers: { ...full, SxA_1: 1 + i }, complete: true })));
      expect(rivals.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      await rekeyed(rows.racing, racing);
      expect(await t.db('responses').where({ wave_id: waveId })).toHaveLength(4);
    });

    it.skipIf(backend.skip)('lose their invitation id when their wave closes, and the migration unlinks the already-closed waves', async () => {
      const open = await wave('Legacy close', 'u3');
      const [a, b] = await linkInvite(open, 'u3', 2);
      const full = seiAnswers(items, seeded(8));
      const ra = await legacy(open, a, full, true);
      const rb = await legacy(open, b, {}, false);
      const stillOpen = await wave('Still open', 'u3');
      const [c] = await linkInvite(stillOpen, 'u3', 1);
      const rc = await legacy(stillOpen, c, {}, false);

      expect((await request(t.app).post(`/api/v1/waves/${open}/close`).set(AUTH)).status).toBe(200);
      const linked = async (id: number) => (await t.db('responses').where({ id }).first('invitation_id')).invitation_id ?? null;
      expect(await linked(ra)).toBeNull();
      expect(await linked(rb)).toBeNull();
      expect(await linked(rc)).not.toBeNull();

      // The migration's step: answer sets of a wave closed by status or past its closing time lose their link, those of an open wave keep it.
      await t.db('responses').where({ id: ra }).update({ invitation_id: (await t.db('invitations').where({ token_hash: hashToken(a) }).first('id')).id });
      expect(await unlinkClosedWaves(t.db, t.clock.now.toISOString())).toBe(1);
      expect(await linked(ra)).toBeNull();
      expect(await linked(rc)).not.toBeNull();
      expect(await unlinkClosedWaves(t.db, new Date(t.clock.now.getTime() + 30 * DAY).toISOString())).toBeGreaterThanOrEqual(1);
      expect(await linked(rc)).toBeNull();
    });
  });
});
