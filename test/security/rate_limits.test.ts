import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { ADMIN_TOKEN, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { answerAll, inviteLinks, itemIds, openWave } from './survey.js';

const WRONG = 'wrong-token-0123456789-0123456789-0123456789';

describe.each(BACKENDS)('rate limits on $label', (backend) => {
  const opened: TestApp[] = [];
  async function app(env: Record<string, string> = {}): Promise<TestApp> {
    const t = await openTestApp(backend, { env });
    opened.push(t);
    return t;
  }
  afterAll(async () => {
    for (const t of opened) await t.cleanup();
  });

  it.skipIf(backend.skip)('answers 200 wrong sign-ins from one address with 429 and Retry-After before the 200th, and takes a right one meanwhile only after the window', async () => {
    const t = await app();
    const started = Date.now();
    let first429 = 0;
    let retryAfter = '';
    let body = '';
    for (let i = 1; i <= 200; i++) {
      const res = await request(t.app).post('/login').type('form').send({ token: `${WRONG}-${i}` });
      if (res.status === 429 && first429 === 0) {
        first429 = i;
        retryAfter = res.headers['retry-after'];
        body = res.text;
      }
      if (first429 === 0) expect(res.status).toBe(401);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(first429).toBeGreaterThan(0);
    expect(first429).toBeLessThan(200);
    expect(first429).toBe(11); // the default SEICI_RATE_LOGIN is 10 failures per 15 minutes
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(900);
    expect(body).toMatch(/Too many failed sign-ins from this address\. Try again in \d+ seconds\./);
    const refused = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN });
    expect(refused.status).toBe(429);
  });

  it.skipIf(backend.skip)('limits failed sign-ins from all addresses together', async () => {
    const t = await app({ SEICI_RATE_LOGIN: '100000/900', SEICI_RATE_LOGIN_GLOBAL: '25/60' });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await request(t.app).post('/login').type('form').send({ token: WRONG })).status);
    expect(statuses.indexOf(429)).toBe(25);
  });

  it.skipIf(backend.skip)('a successful sign-in is never counted', async () => {
    const t = await app({ SEICI_RATE_LOGIN: '3/900' });
    for (let i = 0; i < 20; i++) expect((await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN })).status).toBe(303);
  });

  it.skipIf(backend.skip)('limits unknown survey tokens per address on /s/:token and POST /api/v1/responses together', async () => {
    const t = await app({ SEICI_RATE_SURVEY_TOKEN: '20/600' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(t.app).get(`/s/guess${i}-0123456789abcdef`)).status);
    for (let i = 0; i < 12; i++) {
      statuses.push((await request(t.app).post('/api/v1/responses').send({ token: `guess${i}-0123456789abcdef`, answers: {}, complete: false })).status);
    }
    // A failure is counted once it has been answered; on PostgreSQL that write may still be on
    // its way when the next request is checked, so one more may pass.
    const first = statuses.indexOf(429);
    expect(first === 20 || first === 21, `first 429 at ${first}`).toBe(true);
    expect(statuses.slice(0, first)).toEqual(Array(first).fill(404));
    expect(statuses.slice(first)).toEqual(Array(24 - first).fill(429));
    const res = await request(t.app).post('/api/v1/responses').send({ token: 'guess-0123456789abcdef', answers: {}, complete: false });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.error).toMatch(/^Too many survey links that did not work were tried from this address\. Try again in \d+ seconds\.$/);
  });

  it.skipIf(backend.skip)('never throttles a well-behaved respondent: page loads, many partial saves, a reload, the submission and a retry', async () => {
    const t = await app({ SEICI_RATE_SURVEY_TOKEN: '3/600' });
    const waveId = await openWave(t, ['team-a']);
    const [token] = await inviteLinks(t, waveId, 'team-a', 1);
    const ids = await itemIds(t);
    expect((await request(t.app).get(`/s/${token}`)).status).toBe(200);
    for (let i = 0; i < ids.length; i += 4) {
      const res = await request(t.app).post('/api/v1/responses').send({ token, answers: answerAll(ids.slice(0, i + 1)), complete: false });
      expect(res.status).toBeLessThan(300);
      if (i % 20 === 0) expect((await request(t.app).get(`/s/${token}`)).status).toBe(200);
    }
    const done = { token, answers: answerAll(ids), complete: true };
    expect((await request(t.app).post('/api/v1/responses').send(done)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await request(t.app).post('/api/v1/responses').send(done)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await request(t.app).get(`/s/${token}`)).status).toBe(409);
    // Forty colleagues behind one office address submitting at the same moment.
    const office = await inviteLinks(t, waveId, 'team-a', 40);
    const all = await Promise.all(office.map((k) => request(t.app).post('/api/v1/responses').send({ token: k, answers: answerAll(ids, 3), complete: true })));
    expect(all.map((r) => r.status)).toEqual(Array(40).fill(201));
  });

  it.skipIf(backend.skip || backend.name !== 'postgres')('counts across server processes sharing one PostgreSQL database', async () => {
    const t = await app({ SEICI_RATE_LOGIN: '10/900' });
    const other = createApp({ db: t.db, config: t.config, clock: t.clock.read });
    for (let i = 0; i < 6; i++) expect((await request(t.app).post('/login').type('form').send({ token: WRONG })).status).toBe(401);
    for (let i = 0; i < 4; i++) expect((await request(other).post('/login').type('form').send({ token: WRONG })).status).toBe(401);
    expect((await request(other).post('/login').type('form').send({ token: WRONG })).status).toBe(429);
    expect((await request(t.app).post('/login').type('form').send({ token: WRONG })).status).toBe(429);
    const rows = await t.db('rate_limit_hits').select('key', 'hits');
    expect(rows.find((r: { key: string }) => r.key.startsWith('login-address:'))?.hits).toBe(10); // 10 failures; a refused attempt is answered 429, not counted again
    await other.services.responses.close();
  });
});
