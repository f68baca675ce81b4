import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { insertResponse } from '../../server/queries/responses.js';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { LEASE_MS } from '../../server/jobs/analysis_runner.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { AUTH, BACKENDS, openTestApp, storeSnapshot, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The attacks of issue 10, each against the HTTP API on both stores: results are stored
 * publications decided once by analysis/publication, and no answer reveals fewer than k people.
 */
describe.each(BACKENDS)('publications on $label', (backend) => {
  let t: TestApp;
  let items: ItemInfo[];
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const random = seeded(2026);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    items = (await api().get('/api/v1/instrument')).body.items;
    for (const key of ['a', 'b', 'c', 'd', 'e', 'lead', 'solo']) {
      expect((await api().post('/api/v1/units').set(AUTH).send({ key, name: key.toUpperCase() })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function wave(name: string, unitKeys: string[], minGroupSize = 5): Promise<number> {
    const res = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(-HOUR), closesAt: at(DAY), unitKeys, minGroupSize });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function answer(waveId: number, unitKey: string, n: number, level = 4, extra: Record<string, unknown> = {}): Promise<void> {
    const tokens = (await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count: n })).body.invitations.map((i: { token: string }) => i.token);
    for (const token of tokens) {
      const res = await api().post('/api/v1/responses').send({ token, answers: seiAnswers(items, random, level), complete: true, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }

  async function closeAndPublish(waveId: number) {
    expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
    await t.app.services.analyses.idle();
    const report = await api().get(`/api/v1/waves/${waveId}/report`).set(AUTH);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    return report.body as { analysisId: number; units: Record<string, unknown>[]; organisation: Record<string, unknown> };
  }

  describe.skipIf(backend.skip)('attacks', () => {
    it('refuses an empty or near-empty "complete" answer set with a sentence naming what is missing, storing nothing', async () => {
      const waveId = await wave('Empty', ['a']);
      const [token] = (await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'a', count: 1 })).body.invitations.map((i: { token: string }) => i.token);
      const before = await storeSnapshot(t.db);
      const empty = await api().post('/api/v1/responses').send({ token, answers: {}, complete: true });
      expect(empty.status).toBe(422);
      expect(empty.body.error).toMatch(/^Please answer at least half of the statements in each part before submitting .*still missing: Structural × Accountability: 0 of 8 answered, at least 4 needed;.*\.$/);
      const notApplicable = Object.fromEntries(items.filter((i) => i.cell !== null).map((i) => [i.id, null]));
      const dk = await api().post('/api/v1/responses').send({ token, answers: notApplicable, complete: true });
      expect(dk.status).toBe(422);
      expect(dk.body.error).toContain("\"Not applicable / don't know\" does not count");
      expect(await storeSnapshot(t.db)).toEqual(before);
      const half = Object.fromEntries(items.filter((i) => i.cell !== null && Number(i.id.split('_')[1]) <= 4).map((i) => [i.id, 4]));
      expect((await api().post('/api/v1/responses').send({ token, answers: half, complete: true })).status).toBe(201);
    });

    it('keeps a unit of one real and four empty stored answer sets suppressed, with no count', async () => {
      const waveId = await wave('Padded', ['solo', 'b']);
      await answer(waveId, 'solo', 1, 6);
      await answer(waveId, 'b', 6);
      // Empty "complete" sets as the old survey let them through (now refused at submission): stored directly.
      const unit = await t.db('units').where({ key: 'solo' }).first('id');
      for (let i = 0; i < 4; i++) {
        const [inv] = await t.db('invitations').insert({ wave_id: waveId, unit_id: unit.id, token_hash: `${'e'.repeat(60)}${i}${waveId}`.slice(0, 64), created_on: '2026-03-01' }).returning('id');
        await insertResponse(t.db, { responseKey: `empty-${i}-${Number(inv.id ?? inv)}`, waveId, unitId: Number(unit.id), role: null, locale: 'en', answers: '{}', complete: true, submissionHash: null, savedOn: '2026-03-01' });
      }
      const report = await closeAndPublish(waveId);
      const solo = report.units.find((u) => u.unitKey === 'solo');
      expect(solo).toEqual({ unitKey: 'solo', suppressed: true, rollup: false, n: null, reason: 'below-minimum' });
      const page = await api().get(`/admin/waves/${waveId}/units/solo/report`).set(AUTH);
      expect(page.status).toBe(404);
      expect(page.text).toContain('fewer than 5 respondents');
      expect(page.text.replaceAll('fewer than 5 respondents', '')).not.toMatch(/\d+ respondents?\b/);
    });

    it('publishes nothing of an open wave, so no two publications differ by one respondent', async () => {
      const waveId = await wave('Interim', ['c']);
      await answer(waveId, 'c', 5);
      const before = await storeSnapshot(t.db);
      expect((await api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({})).status).toBe(409);
      expect((await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH)).status).toBe(409);
      expect(await storeSnapshot(t.db)).toEqual(before);
      await answer(waveId, 'c', 1);
      const report = await closeAndPublish(waveId);
      expect(report.units.find((u) => u.unitKey === 'c')).toMatchObject({ suppressed: false, n: 6 });
      // Published again, the closed wave gives the same counts: every run of it matches.
      expect((await api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({})).status).toBe(202);
      await t.app.services.analyses.idle();
      const runs = (await api().get(`/api/v1/waves/${waveId}/analyses`).set(AUTH)).body.analyses;
      expect(runs).toHaveLength(2);
      const counts = await Promise.all(runs.map(async (r: { id: number }) => (await api().get(`/api/v1/analyses/${r.id}`).set(AUTH)).body.results.counts));
      expect(counts[0]).toEqual(counts[1]);
    });

    it('publishes no drift against a baseline unit-wave suppressed under the larger minimum', async () => {
      const w1 = await wave('Baseline k=5', ['a', 'b', 'c', 'd', 'e'], 5);
      await answer(w1, 'a', 3, 2);
      await answer(w1, 'e', 2, 2);
      await answer(w1, 'b', 6, 5);
      await answer(w1, 'c', 6, 3);
      await answer(w1, 'd', 7, 4);
      await closeAndPublish(w1);
      t.clock.advance(2 * DAY);
      const w2 = await wave('Later k=3', ['a', 'b', 'c', 'd'], 3);
      await answer(w2, 'a', 3, 6);
      await answer(w2, 'b', 6, 4);
      await answer(w2, 'c', 6, 5);
      await answer(w2, 'd', 7, 4);
      const report = await closeAndPublish(w2);
      const a = report.units.find((u) => u.unitKey === 'a')!;
      console.log(JSON.stringify(report).slice(0, 3000));
      expect(a).toMatchObject({ suppressed: false, n: 3, drift: null });
      expect((a.trend as { wave: string }[]).map((x) => x.wave)).toEqual([String(w2)]);
      const b = report.units.find((u) => u.unitKey === 'b')!;
      expect(b.drift).toEqual(expect.any(Number));
      const diagnosis = await api().get(`/api/v1/units/a/diagnosis?wave=${w2}`).set(AUTH);
      expect(diagnosis.status, JSON.stringify(diagnosis.body)).toBe(200);
      expect(JSON.stringify(diagnosis.body)).not.toContain(`"${w1}"`);
    });

    it('blanks role and locale values shared by fewer than k rows of a unit, and makes every CSV cell inert', async () => {
      const waveId = await wave('Export', ['lead'], 5);
      await answer(waveId, 'lead', 5, 4, { role: '=HYPERLINK("http://evil.test","x")' });
      await answer(waveId, 'lead', 1, 4, { role: '6' });
      const report = await closeAndPublish(waveId);
      expect(report.units[0]).toMatchObject({ unitKey: 'lead', n: 6 });
      const exported = await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH);
      expect(exported.status).toBe(200);
      const lines = exported.text.trim().split('\n');
      expect(lines).toHaveLength(7);
      const roles = lines.slice(1).map((l) => l.split(',')[3]);
      expect(roles.filter((r) => r === '')).toHaveLength(1); // the only team lead's role is blank
      expect(exported.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
      expect(exported.text).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    });

    it('exports "not applicable / don\'t know" as its own code, apart from a skipped item', async () => {
      const waveId = await wave('Codes', ['d'], 5);
      const tokens = (await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'd', count: 5 })).body.invitations.map((i: { token: string }) => i.token);
      for (const token of tokens) {
        const answers: Record<string, number | null> = seiAnswers(items, random);
        answers.SxA_1 = null;
        delete answers.SxA_2;
        expect((await api().post('/api/v1/responses').send({ token, answers, complete: true })).status).toBe(201);
      }
      await closeAndPublish(waveId);
      const exported = (await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH)).text.replace(/^\uFEFF/, '').trim().split('\n');
      const header = exported[0].split(',');
      const row = exported[1].split(',');
      expect(row[header.indexOf('SxA_1')]).toBe('-1');
      expect(row[header.indexOf('SxA_2')]).toBe('');
      const codebook = (await api().get(`/api/v1/waves/${waveId}/codebook`).set(AUTH)).text;
      expect(codebook).toContain('SxA_1,integer,SxA,seici,false,1,7,0,ordinal,agreement7,-1,skipped (no answer),');
      const values = (await api().get(`/api/v1/waves/${waveId}/codebook/values`).set(AUTH)).text;
      expect(values).toContain("agreement7,-1,Not applicable / don't know,true");
    });

    it('shows a report page whose numbers are the stored run’s', async () => {
      const waveId = await wave('Page', ['a', 'b'], 5);
      await answer(waveId, 'a', 6, 3);
      await answer(waveId, 'b', 7, 5);
      const published = await closeAndPublish(waveId);
      const run = (await api().get(`/api/v1/analyses/${published.analysisId}`).set(AUTH)).body.results;
      const stored = run.units.find((u: { unitKey: string }) => u.unitKey === 'a');
      const json = await api().get(`/admin/waves/${waveId}/units/a/report?format=json`).set(AUTH);
      expect(json.status, json.text.slice(0, 2000)).toBe(200);
      const rows = Object.fromEntries(json.body.aggregates.map((r: { key: string }) => [r.key, r]));
      expect(rows.seiCi.unit).toBe(stored.seiCi);
      expect(rows.seiCi.organisation).toBe(run.organisation.seiCi);
      expect(rows.seiCi.rwgj).toBe(stored.agreement.index);
      for (const cell of ['SxA', 'RxC', 'TxV']) {
        expect(rows[cell].unit).toBe(stored.cells[cell]);
        expect(rows[cell].rwgj).toBe(stored.agreement.cells[cell]);
      }
      expect(rows.structural.unit).toBe(stored.dimensions.structural);
      expect(json.body.misalignment).toBe(stored.misalignment);
      const html = await api().get(`/admin/waves/${waveId}/units/a/report`).set(AUTH);
      expect(html.status).toBe(200);
      expect(html.text).toContain(stored.seiCi.toFixed(2));
      expect(html.text).toContain(`${stored.n} respondents`);
    });

    it('serves the scale-developer report from storage after a restart, fast and with identical numbers', async () => {
      const waveId = await wave('Scale', ['a', 'b', 'c'], 5);
      await answer(waveId, 'a', 12, 3);
      await answer(waveId, 'b', 12, 5);
      await answer(waveId, 'c', 12, 4);
      await closeAndPublish(waveId);
      const first = await api().get(`/admin/waves/${waveId}/scale-report`).set(AUTH);
      expect(first.status).toBe(202);
      await t.app.services.analyses.idle();
      const before = await api().get(`/admin/waves/${waveId}/scale-report?format=json`).set(AUTH);
      expect(before.status).toBe(200);
      expect(before.body.analysis.n).toBe(36);
      expect(before.body.analysis.efa).toMatchObject({ skipped: true, minimum: 360, n: 36 });
      expect(before.body.analysis.reliability[0].alpha).toEqual(expect.any(Number));
      // A new process on the same database: nothing in memory.
      const restarted = createApp({ db: t.db, config: t.config, clock: t.clock.read });
      try {
        const times: number[] = [];
        let after: request.Response | undefined;
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          after = await request(restarted).get(`/admin/waves/${waveId}/scale-report?format=json`).set(AUTH);
          times.push(performance.now() - started);
        }
        expect(after!.status).toBe(200);
        expect(after!.body).toEqual(before.body);
        times.sort((x, y) => x - y);
        expect(times[2]).toBeLessThan(1000);
        const html = await request(restarted).get(`/admin/waves/${waveId}/scale-report`).set(AUTH);
        expect(html.status).toBe(200);
        expect(html.text).toContain('Not computed: The EFA and parallel analysis needs at least 5 respondents per item');
      } finally {
        await restarted.services.responses.close();
      }
    });

    it('retries the run of a process that died once its lease expires, fails it after three claims, and takes a new request', async () => {
      const waveId = await wave('Lease', ['c'], 5);
      await answer(waveId, 'c', 5);
      await t.app.services.analyses.stop(); // this process stops taking runs, as if it had died
      try {
        expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      } finally {
        (t.app.services.analyses as unknown as { stopped: boolean }).stopped = false;
      }
      const [queued] = await t.db('analyses').where({ wave_id: waveId });
      expect(queued.status).toBe('queued'); // stored with the close, though no process ran it
      // A process claimed it and died: its lease runs out.
      await t.db('analyses').where({ id: queued.id }).update({ status: 'running', lease_owner: 'dead-process', lease_expires_at: at(LEASE_MS), attempts: 1 });
      const other = createApp({ db: t.db, config: t.config, clock: t.clock.read });
      try {
        await other.services.analyses.recover();
        await other.services.analyses.idle();
        expect((await t.db('analyses').where({ id: queued.id }).first()).status).toBe('running'); // lease still valid
        t.clock.advance(LEASE_MS + 1000);
        const scheduler = new WaveScheduler(other.services);
        await scheduler.tick(); // every tick picks up runs whose lease expired
        await other.services.analyses.idle();
        const retried = await t.db('analyses').where({ id: queued.id }).first();
        expect(retried.status).toBe('done');
        expect(Number(retried.attempts)).toBe(2);
        // A run that keeps killing its process is failed after three claims, and the button works again.
        await t.db('analyses').where({ id: queued.id }).update({ status: 'running', lease_owner: 'dead-process', lease_expires_at: at(-1000), attempts: 3, results: null });
        await other.services.analyses.recover();
        await other.services.analyses.idle();
        const failed = await t.db('analyses').where({ id: queued.id }).first();
        expect(failed.status).toBe('failed');
        expect(failed.error).toMatch(/stopped 3 times/);
        const again = await request(other).post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({});
        expect(again.status).toBe(202);
        await other.services.analyses.idle();
        expect((await request(other).get(`/api/v1/analyses/${again.body.id}`).set(AUTH)).body.status).toBe('done');
      } finally {
        await other.services.analyses.idle();
        await other.services.responses.close();
      }
    });
  });
});
