import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db.js';
import { publishBundledInstruments } from '../../server/instrument_source.js';
import { insertInstrumentDocument } from '../../server/queries/instruments.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { AUTH, BACKENDS, openTestApp, rowCount, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const V2 = {
  from: 'v1',
  version: 'v2',
  changes: [
    {
      action: 'retire',
      item: 'SxA_8',
      reason: 'Low loading on its cell in the pilot.',
      evidence: { analysisId: 41, statistics: { loading: 0.21, iCvi: 0.56 } },
    },
    {
      action: 'revise',
      item: 'SxC_2',
      id: 'SxC_9',
      text: { en: 'Our unit and the units we depend on meet at fixed times to settle open questions.', de: 'Unsere Einheit und die Einheiten, von denen wir abhängen, treffen sich zu festen Zeiten, um offene Fragen zu klären.' },
      reason: 'Experts sorted it into RxC; reworded towards the formal forum.',
      evidence: { statistics: { psa: 0.33 } },
    },
    {
      action: 'add',
      id: 'TxV_9',
      cell: 'TxV',
      reverse: false,
      text: { en: 'We can see which strategic goal each of our cross-unit deliverables serves.', de: 'Wir können sehen, welchem strategischen Ziel jedes unserer einheitsübergreifenden Arbeitsergebnisse dient.' },
      reason: 'A gap in the cell found by the panel.',
    },
  ],
};

describe.each(BACKENDS)('instrument versions over HTTP on $label', (backend) => {
  let t: TestApp;
  let api: () => ReturnType<typeof request>;
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    api = () => request(t.app);
    for (const key of ['team-a', 'team-b']) expect((await api().post('/api/v1/units').set(AUTH).send({ key, name: key })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function refused(send: () => Promise<request.Response>, status: number, pattern: RegExp) {
    const before = [await rowCount(t.db, 'instrument_documents'), await rowCount(t.db, 'instrument_versions'), await rowCount(t.db, 'waves')];
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toMatch(pattern);
    expect(res.body.error).toMatch(/^[^\n]+[.]$/);
    expect([await rowCount(t.db, 'instrument_documents'), await rowCount(t.db, 'instrument_versions'), await rowCount(t.db, 'waves')]).toEqual(before);
  }

  const itemIds = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

  it.skipIf(backend.skip)('derives a draft, refuses bad changes naming the change, publishes it, pins waves to it and serves it after a restart', async () => {
    // A restart stores the shipped versions again only where missing (the harness stored them once).
    await publishBundledInstruments(t.db, '2026-02-01T00:00:00.000Z');
    expect(await rowCount(t.db, 'instrument_documents')).toBe(1);
    expect((await t.db('instrument_documents').first()).published_at).toBe('2026-01-01T00:00:00.000Z');
    const again = { version: 'v1', status: 'draft' as const, basedOn: null, document: {}, createdAt: 'x', createdBy: 'x', publishedAt: null };
    expect(await insertInstrumentDocument(t.db, again)).toBe(false);

    // Derive the draft.
    await refused(() => api().post('/api/v1/instrument/versions').send(V2), 401, /./);
    const draft = await api().post('/api/v1/instrument/versions').set(AUTH).send(V2);
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ version: 'v2', status: 'draft', basedOn: 'v1', publishedAt: null, scaleMin: 1, scaleMax: 7 });
    const ids = itemIds(draft.body);
    expect(ids).not.toContain('SxA_8');
    expect(ids).not.toContain('SxC_2');
    expect(ids.indexOf('SxC_9')).toBe(ids.indexOf('SxC_1') + 1);
    expect(ids).toContain('TxV_9');
    expect(draft.body.items.find((i: { id: string }) => i.id === 'SxC_9')).toMatchObject({ cell: 'SxC', revises: 'SxC_2' });
    expect(draft.body.changes[0]).toMatchObject({ kind: 'retire', itemId: 'SxA_8', evidence: { analysisId: 41, statistics: { loading: 0.21 } } });
    expect(draft.body.carriedOver).toHaveLength(96 - 2); // 72 SEI-CI items and 24 of the supplementary scales
    expect((await api().get('/api/v1/instrument/versions/v2')).body).toMatchObject({ version: 'v2', status: 'draft' });
    expect((await api().get('/api/v1/instrument')).body.version).toBe('v1');

    // Refusals: each names the change or field at fault and stores nothing.
    await refused(() => api().post('/api/v1/instrument/versions').set(AUTH).send(V2), 409, /v2 exists already/);
    await refused(() => api().post('/api/v1/instrument/versions').set(AUTH).send({ ...V2, version: 'v1' }), 409, /v1 exists already/);
    await refused(() => api().post('/api/v1/instrument/versions').set(AUTH).send({ ...V2, from: 'v2', version: 'v3' }), 400, /v2 is a draft/);
    await refused(() => api().post('/api/v1/instrument/versions').set(AUTH).send({ ...V2, from: 'v0', version: 'v3' }), 400, /from names no stored instrument version: "v0"/);
    const bad = (changes: unknown[]) => () => api().post('/api/v1/instrument/versions').set(AUTH).send({ from: 'v1', version: 'v3', changes });
    await refused(bad([V2.changes[0], { action: 'retire', item: 'SxA_99', reason: 'x' }]), 400, /^changes\[1\] \(retire SxA_99\): v1 has no item "SxA_99" to retire\.$/);
    await refused(bad([{ action: 'retire', item: 'SxA_1' }]), 400, /^changes\.0\.reason is required\.$/);
    await refused(bad([{ action: 'add', id: 'SxV_9', cell: 'TxV', reverse: false, text: { en: 'a', de: 'b' }, reason: 'x' }]), 400, /changes\[0\] \(add SxV_9\): .*form <cell>_<number>/);
    await refused(bad([{ action: 'add', id: 'TxV_9', cell: 'TxV', reverse: false, text: { en: 'English only.' }, reason: 'x' }]), 400, /changes\[0\] \(add TxV_9\): Item TxV_9 has no de text/);
    await refused(bad([{ action: 'revise', item: 'SxA_1', id: 'SxA_2', text: { en: 'New.' }, reason: 'x' }]), 400, /changes\[0\] \(revise SxA_1\): .*cannot use the id SxA_2/);
    const retireSix = [1, 2, 3, 4, 5, 6].map((n) => ({ action: 'retire', item: `RxA_${n}`, reason: 'x' }));
    await refused(bad(retireSix), 400, /changes\[5\] \(retire RxA_6\): instrument version v3 has 2 items in cell RxA; each cell needs at least 3/);
    await refused(bad([{ action: 'rename', item: 'SxA_1', reason: 'x' }]), 400, /changes\.0\.action/);

    // A draft cannot be pinned; an unknown version neither.
    const wave = { name: 'On v2', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-a'] };
    await refused(() => api().post('/api/v1/waves').set(AUTH).send({ ...wave, instrumentVersion: 'v2' }), 400, /v2 is a draft; publish it/);
    await refused(() => api().post('/api/v1/waves').set(AUTH).send({ ...wave, instrumentVersion: 'v9' }), 400, /names no published version: "v9"/);

    // Publish: immutable afterwards.
    await refused(() => api().post('/api/v1/instrument/versions/v2/publish'), 401, /./);
    await refused(() => api().post('/api/v1/instrument/versions/v7/publish').set(AUTH), 404, /v7/);
    const published = await api().post('/api/v1/instrument/versions/v2/publish').set(AUTH).send({});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ version: 'v2', status: 'published', publishedAt: '2026-03-02T09:00:00.000Z' });
    await refused(() => api().post('/api/v1/instrument/versions/v2/publish').set(AUTH), 409, /published already/);
    await refused(() => api().post('/api/v1/instrument/versions').set(AUTH).send(V2), 409, /v2 exists already/);
    expect((await api().get('/api/v1/instrument')).body.version).toBe('v2');
    expect((await api().get('/api/v1/instrument/versions')).body.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v2']);

    // The console compares the stored versions item by item.
    const compared = await api().get('/admin/instrument/compare?from=v1&to=v2').set(AUTH).set('Accept', 'text/html');
    expect(compared.status).toBe(200);
    expect(compared.text).toMatch(/SxC_2[\s\S]*SxC_9/);
    expect(compared.text).toContain('SxA_8');
    expect(compared.text).toContain('TxV_9');

    // A wave pinned to v2 asks v2's items, takes answers to them, analyses and exports them.
    const created = await api().post('/api/v1/waves').set(AUTH).send({ ...wave, instrumentVersion: 'v2' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.instrumentVersion).toBe('v2');
    const defaulted = await api().post('/api/v1/waves').set(AUTH).send({ ...wave, name: 'Default version' });
    expect(defaulted.body.instrumentVersion).toBe('v2');
    const waveId = created.body.id as number;
    const links = await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'team-a', count: 6 });
    const tokens: string[] = links.body.invitations.map((i: { token: string }) => i.token);
    const page = await api().get(`/s/${tokens[0]}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]);
    const asked = JSON.stringify(config.survey);
    expect(asked).toContain('"SxC_9"');
    expect(asked).toContain('"TxV_9"');
    expect(asked).not.toContain('"SxA_8"');
    expect(asked).not.toContain('"SxC_2"');
    expect(asked).toContain('fixed times to settle open questions');
    const v2Items: ItemInfo[] = published.body.items;
    const refusedOld = await api().post('/api/v1/responses').send({ token: tokens[0], answers: { SxA_8: 3 }, complete: false });
    expect(refusedOld.status).toBe(400);
    expect(refusedOld.body.error).toMatch(/SxA_8/);
    const random = seeded(5);
    for (const token of tokens) {
      const res = await api().post('/api/v1/responses').send({ token, answers: seiAnswers(v2Items, random), complete: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }

    // A new server process on the same database: the stored version serves everything.
    const other = openDatabase(t.config);
    try {
      const restarted = createApp({ db: other, config: t.config, clock: t.clock.read });
      const again = await request(restarted).get('/api/v1/instrument/versions/v2');
      expect(again.body).toMatchObject({ version: 'v2', status: 'published', basedOn: 'v1' });
      expect(again.body.changes.map((c: { kind: string }) => c.kind)).toEqual(['retire', 'revise', 'add']);
      expect(itemIds(again.body)).toEqual(itemIds(published.body));
      const links2 = await request(restarted).post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey: 'team-a', count: 1 });
      const page2 = await request(restarted).get(`/s/${links2.body.invitations[0].token}`).set('Accept', 'text/html');
      expect(page2.status).toBe(200);
      expect(page2.text).toContain('SxC_9');
      expect(page2.text).not.toContain('"SxA_8"');
      // Results are published only after the wave closes: close it, then analyse and export on v2.
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      await t.app.services.analyses.idle();
      const queued = await api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({});
      await t.app.services.analyses.idle();
      const analysis = await api().get(`/api/v1/analyses/${queued.body.id}`).set(AUTH);
      expect(analysis.body.status, analysis.body.error).toBe('done');
      const exported = await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH);
      expect(exported.status, exported.text).toBe(200);
      const header = exported.text.split('\n')[0].split(',');
      expect(header).toContain('SxC_9');
      expect(header).not.toContain('SxA_8');
      expect((await request(restarted).get(`/api/v1/waves/${waveId}/export`).set(AUTH)).text.split('\n')[0]).toBe(exported.text.split('\n')[0]);
      await refused(() => request(restarted).post('/api/v1/instrument/versions/v2/publish').set(AUTH), 409, /published already/);
      const v3 = await request(restarted).post('/api/v1/instrument/versions').set(AUTH).send({ from: 'v2', version: 'v3', changes: [{ action: 'retire', item: 'SxC_9', reason: 'Still sorted into RxC.' }] });
      expect(v3.status, JSON.stringify(v3.body)).toBe(201);
      expect(v3.body).toMatchObject({ basedOn: 'v2', status: 'draft' });
      // Two processes racing to create and to publish the same version: one wins, the other gets 409.
      const body = { from: 'v2', version: 'v4', changes: [{ action: 'retire', item: 'TxV_9', reason: 'Race.' }] };
      const created = await Promise.all([0, 1, 2, 3].map((i) => request(i % 2 ? restarted : t.app).post('/api/v1/instrument/versions').set(AUTH).send(body)));
      expect(created.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      const publishes = await Promise.all([0, 1, 2, 3].map((i) => request(i % 2 ? restarted : t.app).post('/api/v1/instrument/versions/v4/publish').set(AUTH)));
      expect(publishes.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      expect(await rowCount(t.db, 'instrument_versions')).toBe(3);
      await restarted.services.analyses.idle();
      await restarted.services.responses.close();
    } finally {
      await other.destroy();
    }
  });
});
