import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TRACE_WEEKS, seedDemo } from '../../server/demo.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

describe('the demo organisation of the first start', () => {
  let t: TestApp;
  let links: string[];
  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
    links = await seedDemo(t.app.services);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('has units, three analysed closed waves and an open wave whose survey links work', async () => {
    const waves = (await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves;
    expect(waves.map((w: { status: string }) => w.status)).toEqual(['closed', 'closed', 'closed', 'open']);
    const report = await request(t.app).get(`/api/v1/waves/${waves[1].id}/report`).set(AUTH);
    expect(report.status).toBe(200);
    expect(report.body.baselineWave).toBe(String(waves[0].id));
    const shown = report.body.units.filter((u: { suppressed: boolean }) => !u.suppressed);
    expect(shown.length).toBeGreaterThan(5);
    for (const u of shown) expect(u.n).toBeGreaterThanOrEqual(5);
    const hidden = report.body.units.filter((x: { suppressed: boolean }) => x.suppressed);
    expect(hidden.map((u: { unitKey: string; reason: string }) => `${u.unitKey}:${u.reason}`)).toEqual(expect.arrayContaining(['eng-U9:below-minimum', 'ops-U9:below-minimum']));
    for (const u of hidden) {
      expect(Object.keys(u).sort()).toEqual(['n', 'reason', 'rollup', 'suppressed', 'unitKey']);
      expect(u.n).toBeNull();
    }
    expect(links).toHaveLength(3);
    const page = await request(t.app).get(new URL(links[0]).pathname);
    expect(page.status).toBe(200);
  });

  it('has past waves that opened before now and locked their breakpoint rules, so their diagnoses answer', async () => {
    const waves = (await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves;
    const report = await request(t.app).get(`/api/v1/waves/${waves[1].id}/report`).set(AUTH);
    const unitKey = report.body.units.find((u: { suppressed: boolean; rollup: boolean }) => !u.suppressed && !u.rollup).unitKey;
    for (const wave of waves) {
      // The open wave has no analysis to diagnose yet, but it has locked its rules like the others.
      const path = wave.status === 'closed' ? 'diagnosis' : 'breakpoints';
      const res = await request(t.app).get(`/api/v1/units/${unitKey}/${path}?wave=${wave.id}`).set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.rules).toMatchObject({ version: 'seici-default-1', preregistered: false, commitment: null, lockedBy: { waveId: wave.id, lockedAt: wave.opensAt } });
    }
  });

  it('has coordination traces whose breakpoints are exactly the two planted persistent ones, not the short spikes', async () => {
    const now = new Date(t.clock.now);
    const thisMonday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * 86_400_000;
    const week = (w: number) => new Date(thisMonday + (w - DEMO_TRACE_WEEKS) * 7 * 86_400_000).toISOString().slice(0, 10);
    const units = (await request(t.app).get('/api/v1/units').set(AUTH)).body.units as { key: string }[];
    const found: Record<string, unknown>[] = [];
    const signals = new Map<string, Record<string, number | string>[]>();
    let withTraces = 0;
    for (const { key } of units) {
      const res = await request(t.app).get(`/api/v1/units/${key}/breakpoints`).set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      signals.set(key, res.body.signals);
      if (res.body.signals.length > 0) withTraces++;
      for (const b of res.body.breakpoints) found.push({ unitKey: key, ...b });
    }
    expect(withTraces).toBe(18);
    expect(found).toEqual([
      expect.objectContaining({ unitKey: expect.stringMatching(/^eng-/), signal: 'reopenRate', start: week(17), end: week(22), periods: 6, peak: 0.35, ruleVersion: 'seici-default-1' }),
      expect.objectContaining({ unitKey: expect.stringMatching(/^ops-/), signal: 'decisionLatency', start: week(19), end: week(24), periods: 6, peak: 4, baseline: 2 }),
    ]);
    // The short spikes are there in the signals, over the level, yet too short to count.
    const at = (unitKey: unknown, w: number) => signals.get(unitKey as string)!.find((p) => p.period === week(w));
    expect(at(found[0].unitKey, 8)).toMatchObject({ reopenRate: 0.4 });
    expect(at(found[1].unitKey, 9)).toMatchObject({ decisionLatency: 4 });
    expect(at(found[1].unitKey, 10)).toMatchObject({ decisionLatency: 4 });
    const twoWeekSpikes = [...signals.values()].filter((list) => list.filter((p) => p.reopenRate === 0.3).length === 2);
    expect(twoWeekSpikes).toHaveLength(1);
  });

  it('is seeded only into an empty database', async () => {
    expect(await seedDemo(t.app.services)).toEqual([]);
    expect((await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves).toHaveLength(4);
  });

  it('has performance quality and a finished research run in which every hypothesis H1–H7 could be tested', async () => {
    const waves = (await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves as { id: number; status: string }[];
    const closed = waves.filter((w) => w.status === 'closed').map((w) => w.id);
    const pq = await request(t.app).get('/api/v1/units/eng-U1/performance').set(AUTH);
    expect(pq.body.values.map((v: { measure: string }) => v.measure)).toEqual(['delivery quality', 'delivery quality', 'delivery quality']);
    const run = await request(t.app).get('/api/v1/research/analyses/latest').set(AUTH);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'done', options: { waves: closed, pqMeasure: 'delivery quality', bootstrap: 5000, seed: 1 } });
    const r = run.body.results;
    expect(r.hypotheses.map((h: { hypothesis: string }) => h.hypothesis)).toEqual(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7']);
    for (const h of r.hypotheses) {
      expect(h.error, h.hypothesis).toBeUndefined();
      expect(h.n, h.hypothesis).toBeGreaterThanOrEqual(10);
      expect(h.reading).toMatch(new RegExp(`${h.hypothesis} is (not )?supported`));
    }
    // Exactly the units each wave published enter (the teams of three, eng-U9 and ops-U9, never do).
    for (const [k, id] of closed.entries()) {
      const report = (await request(t.app).get(`/api/v1/waves/${id}/report`).set(AUTH)).body;
      const published = report.units.filter((u: { suppressed: boolean; rollup: boolean }) => !u.suppressed && !u.rollup);
      expect(published.map((u: { unitKey: string }) => u.unitKey)).not.toContain('eng-U9');
      expect(r.waves[k].units, `wave ${id}`).toBe(published.length);
    }
    // Rework stays under the breakpoint level (the breakpoints test above finds only the planted two),
    // yet rises with misalignment as planted.
    const h4 = r.hypotheses.find((h: { hypothesis: string }) => h.hypothesis === 'H4');
    expect(h4.estimates[1].est).toBeGreaterThan(0);
  });
});
