import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

const HOUR = 3_600_000;

/**
 * The console's page of a stored run, /admin/analyses/:id, for every kind of run: a wave run
 * renders its units, a pilot run its verdicts, and a research or scale-developer run (whose
 * results hold no units) leads to the report that shows it, never to a 500.
 */
describe.each(BACKENDS)('analysis pages on $label', (backend) => {
  let t: TestApp;
  let waveId: number;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    await request(t.app).post('/api/v1/units').set(AUTH).send({ key: 'u1', name: 'U1' });
    const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
    waveId = (await request(t.app).post('/api/v1/waves').set(AUTH).send({ name: 'W', opensAt: at(-HOUR), closesAt: at(HOUR), unitKeys: ['u1'] })).body.id;
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function storedRun(kind: string, results: unknown, status = 'done'): Promise<number> {
    const [row] = await t
      .db('analyses')
      .insert({ wave_id: waveId, kind, status, requested_by: 'test', created_at: '2026-03-02T09:00:00.000Z', finished_at: '2026-03-02T09:01:00.000Z', pipeline_version: 1, attempts: 1, results: results === null ? null : JSON.stringify(results) })
      .returning('id');
    return Number(row.id ?? row);
  }

  it.skipIf(backend.skip)('sends a finished research run to the research report instead of failing', async () => {
    const id = await storedRun('research', { hypotheses: [], waves: [], warnings: [] });
    const res = await request(t.app).get(`/admin/analyses/${id}`).set(AUTH);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/research');
  });

  it.skipIf(backend.skip)('sends a scale-developer run to its wave’s scale report', async () => {
    const id = await storedRun('scale-developer', { items: [], reliability: [] });
    const res = await request(t.app).get(`/admin/analyses/${id}`).set(AUTH);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/waves/${waveId}/scale-report`);
  });

  it.skipIf(backend.skip)('renders a running or failed research run as a page that says so', async () => {
    const failed = await storedRun('research', null, 'failed');
    await t.db('analyses').where({ id: failed }).update({ error: 'the panel has fewer than 3 waves' });
    const res = await request(t.app).get(`/admin/analyses/${failed}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.text).toContain('the panel has fewer than 3 waves');
  });

  it.skipIf(backend.skip)('still answers 404 in words for an unknown run', async () => {
    const res = await request(t.app).get('/admin/analyses/999999').set(AUTH);
    expect(res.status).toBe(404);
    expect(res.text).toContain('No analysis has the id 999999.');
  });
});

describe('console assets', () => {
  it('are revalidated on every use (no-cache with an ETag), so an upgrade never serves stale CSS or JS', async () => {
    const t = await openTestApp(BACKENDS[0]);
    try {
      for (const path of ['/assets/console/console.css', '/assets/console/console.js']) {
        const first = await request(t.app).get(path);
        expect(first.status).toBe(200);
        expect(first.headers['cache-control']).toBe('no-cache');
        expect(first.headers.etag).toEqual(expect.any(String));
        const again = await request(t.app).get(path).set('If-None-Match', first.headers.etag);
        expect(again.status).toBe(304);
      }
    } finally {
      await t.cleanup();
    }
  });
});
