import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seici } from '../helpers/cli.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';

const MINUTE = 60_000;

/** Signs in at /login with an admin token; returns the session cookie and the page's CSRF token. */
async function signIn(t: TestApp, token: string): Promise<{ cookie: string; csrf: string }> {
  const res = await request(t.app).post('/login').type('form').send({ token });
  expect(res.status, res.text).toBe(303);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  const page = await request(t.app).get('/admin').set('Cookie', cookie);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? /data-csrf="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf).toBeDefined();
  return { cookie, csrf: csrf! };
}

async function newAdminToken(t: TestApp, name: string): Promise<{ id: number; token: string }> {
  const res = await request(t.app).post('/api/v1/admin/tokens').set(AUTH).send({ name });
  expect(res.status).toBe(201);
  return res.body;
}

describe.each(BACKENDS)('console sessions on $label', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend, { env: { SEICI_SESSION_IDLE_MINUTES: '30', SEICI_SESSION_MAX_HOURS: '8' } });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it.skipIf(backend.skip)('revoking an admin token over the API ends its console sessions at their next request', async () => {
    const ops = await newAdminToken(t, 'ops');
    const session = await signIn(t, ops.token);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', session.cookie)).status).toBe(200);
    const revoked = await request(t.app).delete(`/api/v1/admin/tokens/${ops.id}`).set(AUTH);
    expect(revoked.status).toBe(200);
    // The console sends the admin to the login page; the API refuses; no new token can be minted.
    const page = await request(t.app).get('/admin').set('Cookie', session.cookie);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login');
    expect((await request(t.app).get('/api/v1/units').set('Cookie', session.cookie)).status).toBe(401);
    const mint = await request(t.app).post('/api/v1/admin/tokens').set('Cookie', session.cookie).set('x-csrf-token', session.csrf).send({ name: 'backdoor' });
    expect(mint.status).toBe(401);
    expect((await t.db('admin_tokens').where({ name: 'backdoor' })).length).toBe(0);
    const entry = (await request(t.app).get('/api/v1/audit').set(AUTH)).body.entries.find((e: { action: string }) => e.action === 'admin-token.revoke');
    expect(entry.details).toMatchObject({ name: 'ops', sessionsEnded: 1 });
  });

  it.skipIf(backend.skip)('a session whose row survived revocation is still refused: the token is checked on every request', async () => {
    const ops = await newAdminToken(t, 'ops-2');
    const session = await signIn(t, ops.token);
    // Revoke the token behind the server's back (as another process or an old version might), leaving the session row.
    await t.db('admin_tokens').where({ id: ops.id }).update({ revoked_at: t.clock.now.toISOString() });
    expect(await t.db('admin_sessions').where({ token_id: ops.id }).count({ n: '*' }).then((r) => Number(r[0].n))).toBe(1);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', session.cookie)).status).toBe(401);
  });

  it.skipIf(backend.skip)('lists the valid sessions and revokes one by id, without showing cookies or CSRF tokens', async () => {
    const a = await newAdminToken(t, 'alice');
    const b = await newAdminToken(t, 'bob');
    const sa = await signIn(t, a.token);
    const sb = await signIn(t, b.token);
    const listed = await request(t.app).get('/api/v1/admin/sessions').set(AUTH);
    expect(listed.status).toBe(200);
    const mine = listed.body.sessions.filter((x: { actor: string }) => ['token:alice', 'token:bob'].includes(x.actor));
    expect(mine).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toMatch(/csrf|session_hash/i);
    expect(JSON.stringify(listed.body)).not.toContain(sa.csrf);
    const alice = mine.find((x: { actor: string }) => x.actor === 'token:alice');
    expect(alice).toMatchObject({ tokenId: a.id, createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) });
    expect((await request(t.app).delete(`/api/v1/admin/sessions/${alice.id}`).set(AUTH)).status).toBe(200);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', sa.cookie)).status).toBe(401);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', sb.cookie)).status).toBe(200);
    const again = await request(t.app).delete(`/api/v1/admin/sessions/${alice.id}`).set(AUTH);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatch(/^No console session has the id \d+\.$/);
  });

  it.skipIf(backend.skip)('ends a session after the idle timeout and after the absolute timeout, whichever comes first', async () => {
    const c = await newAdminToken(t, 'carol');
    const idle = await signIn(t, c.token);
    t.clock.advance(29 * MINUTE);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', idle.cookie)).status).toBe(200);
    t.clock.advance(29 * MINUTE);
    // Used 29 minutes ago: still valid, and the use moves the idle deadline on.
    expect((await request(t.app).get('/api/v1/units').set('Cookie', idle.cookie)).status).toBe(200);
    t.clock.advance(31 * MINUTE);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', idle.cookie)).status).toBe(401);

    const busy = await signIn(t, c.token);
    for (let m = 0; m < 8 * 60 - 20; m += 20) {
      t.clock.advance(20 * MINUTE);
      expect((await request(t.app).get('/api/v1/units').set('Cookie', busy.cookie)).status, `after ${m + 20} minutes`).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', busy.cookie)).status).toBe(401);
  });

  it.skipIf(backend.skip)('audits failed and successful sign-ins with the client address and never the token', async () => {
    const wrong = 'not-a-token-' + 'x'.repeat(40);
    const res = await request(t.app).post('/login').type('form').send({ token: wrong });
    expect(res.status).toBe(401);
    const d = await newAdminToken(t, 'dave');
    await signIn(t, d.token);
    const entries = (await request(t.app).get('/api/v1/audit?limit=1000').set(AUTH)).body.entries as { actor: string; action: string; details: Record<string, unknown> }[];
    const failed = entries.find((e) => e.action === 'session.login-failed');
    expect(failed).toMatchObject({ actor: 'anonymous', details: { address: expect.any(String), reason: 'unknown or revoked token' } });
    expect(entries.find((e) => e.action === 'session.login' && e.actor === 'token:dave')?.details).toMatchObject({ address: expect.any(String) });
    const all = JSON.stringify(await t.db('audit_log').select());
    expect(all).not.toContain(wrong);
    expect(all).not.toContain(d.token);
  });

  it.skipIf(backend.skip || backend.name !== 'sqlite')('revoking a token with `seici admin revoke-token` ends its console sessions too', async () => {
    const e = await newAdminToken(t, 'erin');
    const session = await signIn(t, e.token);
    const run = seici(['admin', 'revoke-token', '--id', String(e.id), '--data-dir', t.config.dataDir, '--json'], t.config.dataDir);
    expect(run.status, run.stderr).toBe(0);
    expect((await request(t.app).get('/api/v1/units').set('Cookie', session.cookie)).status).toBe(401);
    expect(Number((await t.db('admin_sessions').where({ token_id: e.id }).count({ n: '*' }))[0].n)).toBe(0);
  });
});
