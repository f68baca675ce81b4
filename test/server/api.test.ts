import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model } from 'survey-core';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db.js';
import { hashToken } from '../../server/tokens.js';
import { responseKeyOf } from '../../server/response_key.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, rowCount, storeSnapshot, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(BACKENDS)('HTTP API on $label', (backend) => {
  let t: TestApp;
  let items: ItemInfo[];
  let api: () => ReturnType<typeof request>;
  const now = () => t.clock.now.getTime();
  const at = (ms: number) => new Date(now() + ms).toISOString();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    api = () => request(t.app);
    const res = await api().get('/api/v1/instrument');
    items = res.body.items;
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Sends a request and checks that it is refused with `status` and one sentence, storing nothing. */
  async function refused(send: () => Promise<request.Response>, status: number, pattern: RegExp) {
    const before = await storeSnapshot(t.db);
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toMatch(pattern);
    expect(res.body.error).toMatch(/^[^\n]+[.]$/);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(await storeSnapshot(t.db)).toEqual(before);
    return res;
  }

  async function createWave(body: Record<string, unknown>) {
    const res = await api().post('/api/v1/waves').set(AUTH).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; status: string };
  }

  async function invite(waveId: number, unitKey: string, count: number): Promise<string[]> {
    const res = await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.invitations.map((i: { token: string }) => i.token);
  }

  describe.skipIf(backend.skip)('the contract', () => {
    it('answers /healthz without auth', async () => {
      const res = await api().get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('serves the instrument without auth: 72 SEI-CI items with cell, text and keying', async () => {
      const res = await api().get('/api/v1/instrument');
      expect(res.status).toBe(200);
      expect(res.body.version).toBe('v1');
      expect(res.body.scaleMin).toBe(1);
      expect(res.body.scaleMax).toBe(7);
      const sei = res.body.items.filter((i: ItemInfo) => i.cell !== null);
      expect(sei).toHaveLength(72);
      for (const item of res.body.items) {
        expect(item).toMatchObject({ id: expect.any(String), text: { en: expect.any(String), de: expect.any(String) }, reverse: expect.any(Boolean) });
      }
      expect((await api().get('/api/v1/instrument/versions/v1')).body.version).toBe('v1');
      await refused(() => api().get('/api/v1/instrument/versions/v9'), 404, /v9/);
    });

    it('creates units with a parent, context and attributes; 409 on a duplicate key', async () => {
      const org = await api().post('/api/v1/units').set(AUTH).send({ key: 'org', name: 'Organisation' });
      expect(org.status).toBe(201);
      expect(org.body).toMatchObject({ id: expect.any(Number), key: 'org', name: 'Organisation', parentKey: null });
      for (const key of ['team-a', 'team-b', 'team-c', 'team-d']) {
        const res = await api()
          .post('/api/v1/units')
          .set(AUTH)
          .send({ key, name: `Team ${key.slice(-1).toUpperCase()}`, parentKey: 'org', context: 'de', attributes: { site: 'Berlin', headcount: 12 } });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ key, parentKey: 'org', context: 'de', attributes: { site: 'Berlin', headcount: 12 } });
      }
      await refused(() => api().post('/api/v1/units').set(AUTH).send({ key: 'team-a', name: 'Again' }), 409, /team-a.*exists/);
      const renamed = await api().patch('/api/v1/units/team-d').set(AUTH).send({ name: 'Team D (renamed)', context: 'en' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ key: 'team-d', name: 'Team D (renamed)', parentKey: 'org', context: 'en' });
      const list = await api().get('/api/v1/units').set(AUTH);
      expect(list.body.units.map((u: { key: string }) => u.key)).toEqual(['org', 'team-a', 'team-b', 'team-c', 'team-d']);
    });

    it('refuses bad units with one sentence naming the field, storing nothing', async () => {
      const post = (body: unknown) => () => api().post('/api/v1/units').set(AUTH).send(body as object);
      await refused(post({ key: 'x' }), 400, /^name is required\.$/);
      await refused(post({ name: 'X' }), 400, /^key is required\.$/);
      await refused(post({ key: 5, name: 'X' }), 400, /^key must be a string; got 5\.$/);
      await refused(post({ key: 'a b', name: 'X' }), 400, /^key may contain only letters/);
      await refused(post({ key: 'x', name: '' }), 400, /^name must be at least 1 characters long\.$/);
      await refused(post({ key: 'x', name: 'X', parentKey: 'nope' }), 400, /parentKey names no unit: "nope"/);
      await refused(post({ key: 'x', name: 'X', colour: 'red' }), 400, /"colour" is not a known field/);
      await refused(post({ key: 'x', name: 'X', attributes: { a: [1] } }), 400, /attributes\.a/);
      await refused(post([1, 2]), 400, /^the request body must be an object; got a list\.$/);
      await refused(() => api().post('/api/v1/units').set(AUTH).set('Content-Type', 'application/json').send('{"key": '), 400, /not valid JSON/);
      await refused(() => api().post('/api/v1/units').set(AUTH).set('Content-Type', 'text/plain').send('key=x'), 415, /Content-Type: application\/json/);
      await refused(() => api().patch('/api/v1/units/team-a').set(AUTH).send({ parentKey: 'team-a' }), 400, /own ancestor/);
      await refused(() => api().patch('/api/v1/units/nope').set(AUTH).send({ name: 'N' }), 404, /nope/);
    });

    it('refuses admin calls without a valid bearer token', async () => {
      await refused(() => api().post('/api/v1/units').send({ key: 'x', name: 'X' }), 401, /admin token/);
      await refused(() => api().post('/api/v1/units').set('Authorization', 'Bearer wrong-token').send({ key: 'x', name: 'X' }), 401, /not valid/);
      await refused(() => api().post('/api/v1/units').set('Authorization', ADMIN_TOKEN).send({ key: 'x', name: 'X' }), 401, /Bearer <token>/);
      await refused(() => api().get('/api/v1/waves'), 401, /admin token/);
    });

    it('imports units from CSV with attributes, and refuses a bad file without storing any row', async () => {
      const csv = 'key,name,parentKey,context,site\nimp-b,Imported B,imp-a,en,Hamburg\nimp-a,Imported A,org,en,\n';
      const res = await api().post('/api/v1/units/import').set(AUTH).set('Content-Type', 'text/csv').send(csv);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ created: 2, updated: 0 });
      const b = await api().get('/api/v1/units/imp-b').set(AUTH);
      expect(b.body).toMatchObject({ key: 'imp-b', parentKey: 'imp-a', context: 'en', attributes: { site: 'Hamburg' } });
      const again = await api().post('/api/v1/units/import').set(AUTH).set('Content-Type', 'text/csv').send('key,name\nimp-a,Renamed A\n');
      expect(again.body).toMatchObject({ created: 0, updated: 1 });
      const send = (text: string) => () => api().post('/api/v1/units/import').set(AUTH).set('Content-Type', 'text/csv').send(text);
      await refused(send('key,title\nx,X\n'), 400, /no "name" column/);
      await refused(send('key,name\nnew-1,New\nbad key,Bad\n'), 400, /^Line 3: key may contain only/);
      await refused(send('key,name\nnew-1,New\nnew-1,Again\n'), 400, /^Line 3: the key "new-1" appears already on line 2\.$/);
      await refused(send('key,name,parentKey\nnew-1,New,missing\n'), 400, /^Line 2: parentKey names no unit: "missing"\.$/);
      await refused(() => api().post('/api/v1/units/import').set(AUTH).send({ key: 'x' }), 415, /CSV/);
    });

    it('schedules waves and refuses bad ones, storing nothing', async () => {
      const ok = { name: 'Spring', opensAt: at(-HOUR), closesAt: at(7 * DAY), unitKeys: ['team-a', 'team-b'] };
      const post = (body: unknown) => () => api().post('/api/v1/waves').set(AUTH).send(body as object);
      await refused(post({ ...ok, closesAt: at(-2 * HOUR) }), 400, /closesAt .* must be later than opensAt/);
      await refused(post({ ...ok, unitKeys: ['team-a', 'ghost'] }), 400, /unitKeys names no unit: "ghost"/);
      await refused(post({ ...ok, unitKeys: [] }), 400, /^unitKeys must list at least 1 entries\.$/);
      await refused(post({ ...ok, opensAt: 'tomorrow' }), 400, /^opensAt must be an ISO 8601 date and time/);
      await refused(post({ ...ok, instrumentVersion: 'v9' }), 400, /instrumentVersion names no published version: "v9"/);
      await refused(post({ ...ok, locales: ['fr'] }), 400, /^locales\.0 must be one of "en", "de"; got "fr"\.$/);
      await refused(post({ ...ok, reminders: [at(30 * DAY)] }), 400, /reminders must lie between/);
      await refused(post({ ...ok, minGroupSize: 2 }), 400, /^minGroupSize must be at least 3\.$/);
      const { name: _n, ...noName } = ok;
      await refused(post(noName), 400, /^name is required\.$/);
      const wave = await createWave({ ...ok, locales: ['en', 'de'], reminders: [at(3 * DAY)] });
      expect(wave).toMatchObject({ id: expect.any(Number), status: 'open', instrumentVersion: 'v1', minGroupSize: 5, locales: ['en', 'de'], unitKeys: ['team-a', 'team-b'] });
      const later = await createWave({ ...ok, name: 'Later', opensAt: at(DAY), closesAt: at(2 * DAY) });
      expect(later.status).toBe('scheduled');
      const detail = await api().get(`/api/v1/waves/${wave.id}`).set(AUTH);
      expect(detail.body.progress).toEqual([
        { unitKey: 'team-a', invited: 0, started: 0, complete: 0, belowMinimum: true },
        { unitKey: 'team-b', invited: 0, started: 0, complete: 0, belowMinimum: true },
      ]);
      await refused(() => api().get('/api/v1/waves/abc').set(AUTH), 400, /^id must be a positive integer\.$/);
      await refused(() => api().get('/api/v1/waves/9999').set(AUTH), 404, /9999/);
    });

    it('issues single-use tokens with at least 128 random bits, stored only hashed', async () => {
      const waveId = (await createWave({ name: 'Tokens', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
      const res = await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'team-a', count: 5 });
      expect(res.status).toBe(201);
      expect(res.body.invitations).toHaveLength(5);
      for (const { token, url } of res.body.invitations) {
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits in base64url
        expect(url).toBe(`http://survey.test/s/${token}`);
      }
      const rows: { token_hash: string }[] = await t.db('invitations').where({ wave_id: waveId }).select('token_hash');
      const stored = JSON.stringify(await t.db('invitations').select());
      for (const { token } of res.body.invitations) {
        expect(stored).not.toContain(token);
        expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
      }
      const csv = await api().post(`/api/v1/waves/${waveId}/invitations?format=csv`).set(AUTH).send({ unitKey: 'team-a', count: 2 });
      expect(csv.status).toBe(201);
      expect(csv.type).toBe('text/csv');
      expect(csv.text.trim().split('\n')).toHaveLength(3);
      expect(csv.text).toMatch(/^unitKey,url\nteam-a,http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}\n/);
      const post = (body: unknown, id = waveId) => () => api().post(`/api/v1/waves/${id}/invitations`).set(AUTH).send(body as object);
      await refused(post({ unitKey: 'team-a', count: 0 }), 400, /^count must be at least 1\.$/);
      await refused(post({ unitKey: 'team-a', count: 10_001 }), 400, /^count must be at most 10000\.$/);
      await refused(post({ unitKey: 'team-a', count: 'five' }), 400, /^count must be a number; got "five"\.$/);
      await refused(post({ unitKey: 'team-a', count: 2.5 }), 400, /^count must be an integer; got 2.5\.$/);
      await refused(post({ unitKey: 'team-b', count: 1 }), 400, /"team-b" is not one of wave \d+'s units/);
      await refused(post({ unitKey: 'team-a', count: 1 }, 9999), 404, /9999/);
      await refused(() => api().post(`/api/v1/waves/${waveId}/invitations/email`).set(AUTH).send({ unitKey: 'team-a', emails: ['a@example.org'] }), 409, /SMTP_HOST/);
    });

    it('serves the survey page while the wave is open, with survey-js-ui from the app itself', async () => {
      const waveId = (await createWave({ name: 'Page', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'], locales: ['de', 'en'] })).id;
      const [token] = await invite(waveId, 'team-a', 1);
      const page = await api().get(`/s/${token}`);
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html');
      // SurveyJS and the page's own files come from the app, under fingerprinted, long-cached, compressed URLs.
      const scripts = [...page.text.matchAll(/src="(\/static\/[0-9a-f]{16}\/[^"]+)"/g)].map((m) => m[1]);
      expect(scripts).toEqual(expect.arrayContaining([expect.stringMatching(/\/survey-js-ui\/survey-js-ui\.min\.js$/), expect.stringMatching(/\/survey-core\/survey\.core\.min\.js$/), expect.stringMatching(/\/survey-core\/i18n\/german\.min\.js$/)]));
      for (const src of scripts) {
        const res = await api().get(src).set('Accept-Encoding', 'gzip');
        expect(res.status, src).toBe(200);
        expect(res.headers['cache-control'], src).toBe('public, max-age=31536000, immutable');
        expect(res.headers['content-encoding'], src).toBe('gzip');
      }
      expect((await api().get(scripts[0].replace(/\/static\/[0-9a-f]{16}\//, '/static/0000000000000000/'))).headers['cache-control']).toBe('no-cache');
      expect((await api().get('/static/0000000000000000/seici/../../package.json')).status).toBe(404);
      expect(page.text).not.toMatch(/https?:\/\/(?!survey\.test)[a-z.]*\/[^"]*\.js/);
      // The wave's first locale, German, unless the browser asks for another it offers.
      expect(page.text).toContain('mindestens 5 Personen');
      expect(page.text).toContain('<html lang="de">');
      const english = await api().get(`/s/${token}`).set('Accept-Language', 'en-GB,en;q=0.9');
      expect(english.text).toContain('<html lang="en">');
      expect(english.text).toContain('at least 5 people');
      const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]);
      expect(config.survey.pages.flatMap((p: { elements: { name: string }[] }) => p.elements.map((e) => e.name))).toEqual(expect.arrayContaining(items.map((i) => i.id)));
      for (const asset of ['/assets/survey-js-ui/survey-js-ui.min.js', '/assets/survey-core/survey.core.min.js', '/assets/survey-core/survey-core.min.css', '/assets/seici/respondent.js']) {
        const res = await api().get(asset);
        expect(res.status, asset).toBe(200);
      }
      const unknown = await api().get('/s/not-a-real-token-at-all').set('Accept', 'text/html');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain('This link is not known');
    });

    it('saves partial answers, resumes them, takes one complete submission, and answers a retry without storing twice', async () => {
      const waveId = (await createWave({ name: 'Answers', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
      const [token, other] = await invite(waveId, 'team-a', 2);
      const first = await api().post('/api/v1/responses').send({ token, answers: { SxA_1: 5, SxA_2: null }, complete: false });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toEqual({ complete: false, answered: 1, items: items.length });
      const page = await api().get(`/s/${token}`);
      const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]);
      expect(config.answers).toEqual({ SxA_1: 5, SxA_2: 'none' });
      // The page's questionnaire loads in survey-core and takes the saved answers back.
      const survey = new Model(config.survey);
      survey.data = config.answers;
      expect(survey.getQuestionByName('SxA_1').value).toBe(5);
      expect(survey.getQuestionByName('SxA_2').value).toBe('none');
      expect(survey.getAllQuestions().length).toBe(items.length);
      const second = await api().post('/api/v1/responses').send({ token, answers: { SxA_3: 2 }, complete: false, locale: 'en', role: 'integrator' });
      expect(second.status).toBe(200);
      expect(second.body.answered).toBe(2);
      const full = seiAnswers(items, seeded(1));
      const done = await api().post('/api/v1/responses').send({ token, answers: full, complete: true });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ complete: true, answered: 72 });
      const retry = await api().post('/api/v1/responses').send({ token, answers: full, complete: true });
      expect(retry.status).toBe(200);
      expect(await rowCount(t.db, 'responses')).toBe(1);
      const row = await t.db('responses').first();
      expect(JSON.parse(row.answers)).toEqual(full);
      expect(row.role).toBe('integrator');
      expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['ip']));
      expect(Object.keys(row).join(',')).not.toMatch(/ip|agent|email|token/i);
      await refused(() => api().post('/api/v1/responses').send({ token, answers: { ...full, SxA_1: 1 }, complete: true }), 409, /used for a complete answer set already/);
      await refused(() => api().post('/api/v1/responses').send({ token, answers: {}, complete: false }), 409, /used/);
      const usedPage = await api().get(`/s/${token}`);
      expect(usedPage.status).toBe(409);
      expect(usedPage.text).toContain('You have already answered');
      const fresh = await api().post('/api/v1/responses').send({ token: other, answers: full, complete: true });
      expect(fresh.status).toBe(201);
    });

    it('keeps one answer set per token when the same token is submitted many times at once', async () => {
      const waveId = (await createWave({ name: 'Race', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
      const [same, different] = await invite(waveId, 'team-a', 2);
      const full = seiAnswers(items, seeded(9));
      const retries = await Promise.all(Array.from({ length: 12 }, () => api().post('/api/v1/responses').send({ token: same, answers: full, complete: true })));
      expect(retries.map((r) => r.status).sort()).toEqual([...Array(11).fill(200), 201]);
      const rivals = await Promise.all(
        Array.from({ length: 12 }, (_, i) => api().post('/api/v1/responses').send({ token: different, answers: { ...full, SxA_1: 1 + (i % 7) }, complete: true })),
      );
      expect(rivals.map((r) => r.status).filter((status) => status === 201)).toHaveLength(1);
      const keyOf = (token: string) => responseKeyOf(t.app.services.responseKey, token);
      const rows = await t.db('responses').whereIn('response_key', [keyOf(same), keyOf(different)]).select('response_key', 'answers');
      expect(rows).toHaveLength(2);
      expect(JSON.parse(rows.find((r: { response_key: string }) => r.response_key === keyOf(same)).answers)).toEqual(full);
      // The stored set is one of the submissions; those identical to it were acknowledged, every other one refused with 409.
      const kept = JSON.parse(rows.find((r: { response_key: string }) => r.response_key === keyOf(different)).answers).SxA_1;
      rivals.forEach((res, i) => expect(res.status, `submission ${i}`).toBe(1 + (i % 7) === kept ? (res.status === 201 ? 201 : 200) : 409));
    });

    if (backend.name === 'postgres') {
      it('keeps one answer set per token when two server processes share PostgreSQL', async () => {
        const waveId = (await createWave({ name: 'Two processes', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
        const tokens = await invite(waveId, 'team-a', 20);
        const other = openDatabase(t.config);
        try {
          const second = createApp({ db: other, config: t.config, clock: t.clock.read });
          const apps = [t.app, second];
          const random = seeded(11);
          const results = await Promise.all(
            tokens.flatMap((token, k) => {
              const answers = seiAnswers(items, random);
              return [0, 1, 2, 3].map((i) => request(apps[(i + k) % 2]).post('/api/v1/responses').send({ token, answers, complete: true }));
            }),
          );
          expect(results.filter((r) => r.status === 201)).toHaveLength(20);
          expect(results.filter((r) => r.status === 200)).toHaveLength(60);
          const [{ n }] = await t.db('responses').where({ wave_id: waveId }).count({ n: '*' });
          expect(Number(n)).toBe(20);
          await second.services.responses.close();
        } finally {
          await other.destroy();
        }
      });
    }

    it('refuses bad answers with one sentence naming the item, storing nothing', async () => {
      const waveId = (await createWave({ name: 'Bad answers', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
      const [token] = await invite(waveId, 'team-a', 1);
      await api().post('/api/v1/responses').send({ token, answers: { SxA_1: 4 }, complete: false });
      const post = (body: unknown) => () => api().post('/api/v1/responses').send(body as object);
      await refused(post({ token, answers: { NOPE_1: 3 }, complete: false }), 400, /unknown item "NOPE_1"/);
      await refused(post({ token, answers: { SxA_1: 8 }, complete: false }), 400, /^answers\.SxA_1 must be an integer from 1 to 7 or null; got 8\.$/);
      await refused(post({ token, answers: { SxA_1: 0 }, complete: true }), 400, /from 1 to 7/);
      await refused(post({ token, answers: { RC_1: 6 }, complete: false }), 400, /^answers\.RC_1 must be an integer from 1 to 5 or null; got 6\.$/);
      await refused(post({ token, answers: { SxA_1: 3.5 }, complete: false }), 400, /^answers\.SxA_1 must be an integer; got 3.5\.$/);
      await refused(post({ token, answers: { SxA_1: '5' }, complete: false }), 400, /^answers\.SxA_1 must be a number; got "5"\.$/);
      await refused(post({ token, answers: { SxA_1: 5 } }), 400, /^complete is required\.$/);
      await refused(post({ token, answers: [5], complete: false }), 400, /^answers must be an object; got a list\.$/);
      await refused(post({ answers: {}, complete: false }), 400, /^token is required\.$/);
      await refused(post({ token: 'x'.repeat(43), answers: {}, complete: false }), 404, /not known/);
      await refused(post({ token, answers: {}, complete: false, locale: 'fr' }), 400, /^locale must be one of "en", "de"; got "fr"\.$/);
      await refused(post({ token, answers: {}, complete: false, locale: 'de' }), 400, /^locale must be one of this survey's languages \(en\); got "de"\.$/);
      await refused(post({ token, answers: {}, complete: false, ip: '1.2.3.4' }), 400, /"ip" is not a known field/);
      const huge = { token, answers: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`SxA_${i}`, 1])), complete: false };
      await refused(post(huge), 413, /^The request body is larger than the limit of 64kb\.$/);
      const row = await t.db('responses').whereNotNull('id').orderBy('id', 'desc').first();
      expect(JSON.parse(row.answers)).toEqual({ SxA_1: 4 });
    });

    it('refuses answers before a wave opens and after it closes; a closed wave shows a friendly page', async () => {
      const future = (await createWave({ name: 'Future', opensAt: at(DAY), closesAt: at(2 * DAY), unitKeys: ['team-a'] })).id;
      const [early] = await invite(future, 'team-a', 1);
      await refused(() => api().post('/api/v1/responses').send({ token: early, answers: {}, complete: false }), 403, /opens at/);
      expect((await api().get(`/s/${early}`)).text).toContain('has not opened yet');
      const waveId = (await createWave({ name: 'Closing', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] })).id;
      const [token] = await invite(waveId, 'team-a', 1);
      const closed = await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH);
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).body.status).toBe('closed');
      await refused(() => api().post('/api/v1/responses').send({ token, answers: { SxA_1: 2 }, complete: false }), 410, /closed/);
      const page = await api().get(`/s/${token}`);
      expect(page.status).toBe(410);
      expect(page.text).toContain('This survey is closed');
      await refused(() => api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'team-a', count: 1 }), 409, /closed/);
      await refused(() => api().post('/api/v1/waves/9999/close').set(AUTH), 404, /9999/);
      // Closing time passes without anyone closing the wave: answers are refused all the same.
      const timed = (await createWave({ name: 'Timed', opensAt: at(-HOUR), closesAt: at(HOUR), unitKeys: ['team-a'] })).id;
      const [late] = await invite(timed, 'team-a', 1);
      t.clock.advance(2 * HOUR);
      try {
        await refused(() => api().post('/api/v1/responses').send({ token: late, answers: {}, complete: false }), 410, /closed/);
      } finally {
        t.clock.advance(-2 * HOUR);
      }
    });

    it('publishes a wave once it closes and serves the report; a unit of 4 with minimum group 5 has no score or count in the report, the export or any API answer', async () => {
      const waveId = (await createWave({ name: 'Analysed', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-b', 'team-c', 'team-d'] })).id;
      const random = seeded(42);
      const sizes: Record<string, number> = { 'team-b': 6, 'team-c': 7, 'team-d': 4 };
      for (const [unitKey, n] of Object.entries(sizes)) {
        for (const token of await invite(waveId, unitKey, n)) {
          const level = unitKey === 'team-b' ? 5 : unitKey === 'team-c' ? 3 : 4;
          const res = await api().post('/api/v1/responses').send({ token, answers: seiAnswers(items, random, level), complete: true });
          expect(res.status).toBe(201);
        }
      }
      const detail = await api().get(`/api/v1/waves/${waveId}`).set(AUTH);
      expect(detail.body.progress.find((p: { unitKey: string }) => p.unitKey === 'team-d')).toEqual({ unitKey: 'team-d', invited: 4, started: 4, complete: 4, belowMinimum: true });
      await refused(() => api().get(`/api/v1/waves/${waveId}/report`).set(AUTH), 404, /no finished analysis yet/);
      // An open wave publishes nothing: no interim result can be differenced against a later one.
      await refused(() => api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({}), 409, /still open/);
      await refused(() => api().get(`/api/v1/waves/${waveId}/export`).set(AUTH), 409, /closes/);
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      await t.app.services.analyses.idle();
      const automatic = await api().get(`/api/v1/waves/${waveId}/analyses`).set(AUTH);
      expect(automatic.body.analyses).toHaveLength(1);
      expect(automatic.body.analyses[0]).toMatchObject({ kind: 'wave', status: 'done' });
      const queued = await api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({});
      expect(queued.status).toBe(202);
      expect(queued.body).toMatchObject({ id: expect.any(Number), status: expect.stringMatching(/queued|running|done/) });
      await t.app.services.analyses.idle();
      const analysis = await api().get(`/api/v1/analyses/${queued.body.id}`).set(AUTH);
      expect(analysis.status).toBe(200);
      expect(analysis.body.status, analysis.body.error).toBe('done');
      // A republication of a closed wave is the same publication.
      expect(analysis.body.results).toEqual((await api().get(`/api/v1/analyses/${automatic.body.analyses[0].id}`).set(AUTH)).body.results);
      const report = await api().get(`/api/v1/waves/${waveId}/report`).set(AUTH);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ wave: { id: waveId, name: 'Analysed' }, minGroupSize: 5, n: 7 });
      const byKey = Object.fromEntries(report.body.units.map((u: { unitKey: string }) => [u.unitKey, u]));
      expect(Object.keys(byKey)).toEqual(['org', 'team-b', 'team-c', 'team-d']);
      // org rolls up its three teams (17 people); org − team-b − team-c would be team-d's 4, so team-b is withheld as the complement.
      expect(byKey.org).toMatchObject({ n: 17, suppressed: false, rollup: true, seiCi: expect.any(Number) });
      expect(byKey['team-c']).toMatchObject({ n: 7, suppressed: false, cells: expect.any(Object), dimensions: expect.any(Object), levers: expect.any(Object), seiCi: expect.any(Number), misalignment: null });
      expect(byKey['team-b']).toEqual({ unitKey: 'team-b', n: null, suppressed: true, rollup: false, reason: 'complementary' });
      expect(byKey['team-d']).toEqual({ unitKey: 'team-d', n: null, suppressed: true, rollup: false, reason: 'below-minimum' });
      expect(report.body.reliability.structural).toMatchObject({ skipped: true, minimum: 30, n: 7 });
      expect(report.body.agreement).toMatchObject({ skipped: true, minimum: 2 });
      // No answer of the API mentions a score or a count of team-d.
      for (const path of [`/api/v1/waves/${waveId}/report`, `/api/v1/analyses/${queued.body.id}`, `/api/v1/waves/${waveId}/analyses`, `/api/v1/waves/${waveId}`]) {
        const body = (await api().get(path).set(AUTH)).body;
        const units = JSON.stringify(body).match(/\{[^{}]*"team-d"[^{}]*\}/g) ?? [];
        for (const u of units) expect(u, path).not.toMatch(/cells|seiCi|dimensions|misalignment|rwgj|"z"|"n":\d/);
      }
      const exported = await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH);
      expect(exported.status).toBe(200);
      expect(exported.type).toBe('text/csv');
      expect(exported.text.startsWith('\uFEFF')).toBe(true);
      const lines = exported.text.slice(1).trim().split('\n');
      expect(lines[0].split(',').slice(0, 5)).toEqual(['wave', 'unit', 'context', 'role', 'locale']);
      expect(lines).toHaveLength(1 + 7);
      expect(exported.text).not.toContain('team-d');
      expect(exported.text).not.toContain('team-b');
      expect(exported.text).not.toMatch(/[A-Za-z0-9_-]{43}/);
      const codebook = await api().get(`/api/v1/waves/${waveId}/codebook`).set(AUTH);
      expect(codebook.status).toBe(200);
      expect(codebook.text).toContain('SxA_1,integer,SxA,seici,false,1,7');
      await refused(() => api().post('/api/v1/waves/9999/analyses').set(AUTH).send({}), 404, /9999/);
      await refused(() => api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({ fast: true }), 400, /"fast" is not a known field/);
      await refused(() => api().get('/api/v1/analyses/9999').set(AUTH), 404, /9999/);
    });

    it('creates, uses and revokes named admin tokens, and writes every admin change to the audit log', async () => {
      const created = await api().post('/api/v1/admin/tokens').set(AUTH).send({ name: 'bob' });
      expect(created.status).toBe(201);
      const bob = { Authorization: `Bearer ${created.body.token}` };
      expect((await api().get('/api/v1/units').set(bob)).status).toBe(200);
      const unit = await api().post('/api/v1/units').set(bob).send({ key: 'by-bob', name: 'By Bob' });
      expect(unit.status).toBe(201);
      const stored = JSON.stringify(await t.db('admin_tokens').select());
      expect(stored).not.toContain(created.body.token);
      const revoked = await api().delete(`/api/v1/admin/tokens/${created.body.id}`).set(AUTH);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      await refused(() => api().get('/api/v1/units').set(bob), 401, /revoked/);
      await refused(() => api().post('/api/v1/admin/tokens').set(AUTH).send({}), 400, /^name is required\.$/);
      const audit = await api().get('/api/v1/audit?limit=500').set(AUTH);
      const actions = audit.body.entries.map((e: { action: string }) => e.action);
      for (const action of ['unit.create', 'unit.import', 'unit.update', 'wave.create', 'wave.close', 'invitation.create', 'analysis.request', 'admin-token.create', 'admin-token.revoke']) {
        expect(actions).toContain(action);
      }
      expect(audit.body.entries.find((e: { target: string }) => e.target === 'unit:by-bob').actor).toBe('token:bob');
      expect(JSON.stringify(audit.body)).not.toContain(created.body.token);
      expect(JSON.stringify(audit.body)).not.toContain(ADMIN_TOKEN);
      await refused(() => api().get('/api/v1/audit?limit=0').set(AUTH), 400, /^limit must be at least 1\.$/);
    });

    it('signs admins in with an HttpOnly SameSite=Strict session cookie and demands the CSRF token on changes', async () => {
      const wrong = await api().post('/login').type('form').send({ token: 'nope' });
      expect(wrong.status).toBe(401);
      const login = await api().post('/login').type('form').send({ token: ADMIN_TOKEN });
      expect(login.status).toBe(303);
      const cookie = login.headers['set-cookie'][0] as string;
      expect(cookie).toMatch(/^seici_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const session = cookie.split(';')[0];
      const admin = await api().get('/admin').set('Cookie', session);
      expect(admin.status).toBe(200);
      const csrf = /name="csrf-token" content="([^"]+)"/.exec(admin.text)![1];
      expect((await api().get('/api/v1/units').set('Cookie', session)).status).toBe(200);
      await refused(() => api().post('/api/v1/units').set('Cookie', session).send({ key: 'by-cookie', name: 'C' }), 403, /CSRF/);
      await refused(() => api().post('/api/v1/units').set('Cookie', session).set('x-csrf-token', 'forged').send({ key: 'by-cookie', name: 'C' }), 403, /CSRF/);
      const ok = await api().post('/api/v1/units').set('Cookie', session).set('x-csrf-token', csrf).send({ key: 'by-cookie', name: 'C' });
      expect(ok.status).toBe(201);
      const forgedLogout = await api().post('/logout').set('Cookie', session).type('form').send({ _csrf: 'forged' });
      expect(forgedLogout.status).toBe(403);
      const logout = await api().post('/logout').set('Cookie', session).type('form').send({ _csrf: csrf });
      expect(logout.status).toBe(303);
      await refused(() => api().get('/api/v1/units').set('Cookie', session), 401, /admin token/);
    });

    it('publishes an OpenAPI document generated from the request schemas', async () => {
      const res = await api().get('/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      for (const [path, method] of [
        ['/api/v1/units', 'post'],
        ['/api/v1/waves', 'post'],
        ['/api/v1/waves/{id}/invitations', 'post'],
        ['/api/v1/responses', 'post'],
        ['/api/v1/waves/{id}/close', 'post'],
        ['/api/v1/waves/{id}/analyses', 'post'],
        ['/api/v1/analyses/{id}', 'get'],
        ['/api/v1/waves/{id}/report', 'get'],
        ['/api/v1/instrument', 'get'],
        ['/healthz', 'get'],
      ]) {
        expect(res.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      }
      const submit = res.body.paths['/api/v1/responses'].post.requestBody.content['application/json'].schema;
      expect(submit.required).toEqual(['token', 'answers', 'complete']);
      expect(submit.additionalProperties).toBe(false);
      expect(res.body.paths['/api/v1/waves/{id}/invitations'].post.requestBody.content['application/json'].schema.properties.count).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
      expect(res.body.paths['/api/v1/units'].post.responses['409']).toBeDefined();
    });

    it('answers unknown API paths with a JSON 404', async () => {
      await refused(() => api().get('/api/v1/nothing-here').set(AUTH), 404, /^No API call matches GET \/api\/v1\/nothing-here\.$/);
    });
  });
});
