import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIND_INVITATIONS_PG } from '../../server/queries/invitation_lookup.js';
import { insertInvitations } from '../../server/queries/invitations.js';
import { responseKeyOf } from '../../server/response_key.js';
import { hashToken, newToken } from '../../server/tokens.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';

/**
 * The token lookups of one turn of the event loop are answered together (one read transaction
 * on SQLite, one statement over two arrays on PostgreSQL): each caller must get its own
 * token's invitation and answer set, whatever else the batch holds.
 */
describe.each(BACKENDS)('token lookups answered together on $label', (backend) => {
  let t: TestApp;
  const tokens: { token: string; unitKey: string }[] = [];
  let saved = '';

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    const api = () => request(t.app);
    for (const key of ['north', 'south']) expect((await api().post('/api/v1/units').set(AUTH).send({ key, name: key })).status).toBe(201);
    const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'W', opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-04-01T00:00:00.000Z', unitKeys: ['north', 'south'] });
    expect(wave.status).toBe(201);
    for (const unitKey of ['north', 'south']) {
      const res = await api().post(`/api/v1/waves/${wave.body.id}/invitations`).set(AUTH).send({ unitKey, count: 4 });
      expect(res.status).toBe(201);
      for (const { token } of res.body.invitations as { token: string }[]) tokens.push({ token, unitKey });
    }
    // Interleave the units, so that a batch answered in the wrong order would give a token the other unit.
    tokens.sort((a, b) => (a.token < b.token ? -1 : 1));
    const items = (await api().get('/api/v1/instrument')).body.items as ItemInfo[];
    saved = tokens[3].token;
    const res = await api().post('/api/v1/responses').send({ token: saved, answers: seiAnswers(items, seeded(3)), complete: true });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it.skipIf(backend.skip)('gives each lookup of a turn its own invitation, unit and answer set, and nothing to unknown tokens among them', async () => {
    const units = new Map((await t.db('units').select('id', 'key')).map((u: { id: number | string; key: string }) => [u.key, Number(u.id)]));
    const key = t.app.services.responseKey;
    const unknown = [newToken(), newToken()];
    const asked = [unknown[0], ...tokens.slice(0, 4).map((x) => x.token), unknown[1], ...tokens.slice(4).map((x) => x.token), tokens[0].token];
    // Asked in one turn: every find() before any of them is answered.
    const found = await Promise.all(asked.map((token) => t.app.services.invitations.find(hashToken(token), responseKeyOf(key, token))));
    expect(found).toHaveLength(asked.length);
    asked.forEach((token, i) => {
      const expected = tokens.find((x) => x.token === token);
      if (!expected) {
        expect(found[i], `unknown token at ${i}`).toBeUndefined();
        return;
      }
      expect(found[i]?.unitId, `unit of the lookup at ${i}`).toBe(units.get(expected.unitKey));
      if (token === saved) expect(found[i]?.response?.complete).toBe(true);
      else expect(found[i]?.response).toBeUndefined();
    });
    // Different lookups, different invitations; the same token asked twice, the same one.
    const ids = found.filter((f) => f !== undefined).map((f) => f.invitationId);
    expect(new Set(ids).size).toBe(tokens.length);
    expect(found.at(-1)?.invitationId).toBe(found[1]?.invitationId);
  });
});

/**
 * On PostgreSQL the lookup of a turn must reach each token through the indexes whatever the
 * tables hold: written as plain joins, the planner hashed the whole invitations and responses
 * tables for a turn of a few dozen tokens (a sequential scan of each), a cost that grows with
 * every invitation issued.
 */
describe.skipIf(BACKENDS[1].skip)('the PostgreSQL lookup plan', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await openTestApp(BACKENDS[1]);
    const api = () => request(t.app);
    expect((await api().post('/api/v1/units').set(AUTH).send({ key: 'big', name: 'Big' })).status).toBe(201);
    const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'W', opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-04-01T00:00:00.000Z', unitKeys: ['big'] });
    expect(wave.status).toBe(201);
    const unit = await t.db('units').where({ key: 'big' }).first('id');
    // 12,000 invitations and 3,000 answer sets, written straight to the tables (as many through the API would take minutes).
    await insertInvitations(t.db, wave.body.id, Number(unit.id), Array.from({ length: 12_000 }, (_, i) => hashToken(`token-${i}`)), '2026-03-01');
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ response_key: `key-${i}`, wave_id: wave.body.id, unit_id: Number(unit.id), role: null, locale: 'en', answers: '{}', complete: true, submission_hash: null, saved_on: '2026-03-02', resume_page: null }));
    for (let i = 0; i < rows.length; i += 500) await t.db('responses').insert(rows.slice(i, i + 500));
    await t.db.raw('analyze invitations, responses, waves');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('scans neither the invitations nor the responses table for a turn of 60 tokens', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `token-${i * 197}`);
    const plan = await t.db.raw(`explain ${FIND_INVITATIONS_PG}`, [tokens.map((x) => hashToken(x)), tokens.map((x) => `no-key-${x}`)]);
    const text = (plan.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan using invitations_token_hash_unique/);
    expect(text).not.toMatch(/Seq Scan on (invitations|responses)/);
    const found = await Promise.all(tokens.map((token) => t.app.services.invitations.find(hashToken(token), `no-key-${token}`)));
    expect(found.every((f) => f !== undefined && f.response === undefined)).toBe(true);
  });
});
