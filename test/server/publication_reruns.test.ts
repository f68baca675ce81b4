import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { reopenStreamCsv } from '../server-dynamics/helpers.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Report {
  analysisId: number;
  units: { unitKey: string; suppressed: boolean; n: number | null; [key: string]: unknown }[];
  organisation: { suppressed: boolean; n?: number; cells?: Record<string, number> };
}

/**
 * Attacks across publications of one closed wave (issue 10): a re-run after the hierarchy
 * changed, and the organisation aggregate beside a single publishable unit.
 */
describe.each(BACKENDS)('re-runs of a closed wave on $label', (backend) => {
  let t: TestApp;
  let items: ItemInfo[];
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const random = seeded(1010);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    items = (await api().get('/api/v1/instrument')).body.items;
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function unit(key: string, parentKey: string | null = null, context: string | null = null): Promise<void> {
    const res = await api().post('/api/v1/units').set(AUTH).send({ key, name: key.toUpperCase(), ...(parentKey ? { parentKey } : {}), ...(context ? { context } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  async function wave(name: string, unitKeys: string[], minGroupSize = 5): Promise<number> {
    const res = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(-HOUR), closesAt: at(DAY), unitKeys, minGroupSize });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function answer(waveId: number, unitKey: string, n: number, level = 4): Promise<void> {
    const tokens = (await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count: n })).body.invitations.map((i: { token: string }) => i.token);
    for (const token of tokens) {
      const res = await api().post('/api/v1/responses').send({ token, answers: seiAnswers(items, random, level), complete: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }

  async function report(waveId: number): Promise<Report> {
    const res = await api().get(`/api/v1/waves/${waveId}/report`).set(AUTH);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Report;
  }

  async function rerun(waveId: number): Promise<Report> {
    expect((await api().post(`/api/v1/waves/${waveId}/analyses`).set(AUTH).send({})).status).toBe(202);
    await t.app.services.analyses.idle();
    return report(waveId);
  }

  /** Respondent counts of every published aggregate in every stored wave run of a wave. */
  async function allCounts(waveId: number): Promise<Record<string, number>[]> {
    const runs = (await api().get(`/api/v1/waves/${waveId}/analyses`).set(AUTH)).body.analyses as { id: number; kind: string; status: string }[];
    const done = runs.filter((r) => r.kind === 'wave' && r.status === 'done');
    return Promise.all(done.map(async (r) => (await api().get(`/api/v1/analyses/${r.id}`).set(AUTH)).body.results.counts as Record<string, number>));
  }

  describe.skipIf(backend.skip)('attacks', () => {
    it('publishes no organisation aggregate beyond the one publishable unit, so the organisation minus that unit reveals no one', async () => {
      await unit('solo-big');
      await unit('small-1');
      await unit('small-2');
      const waveId = await wave('One publishable unit', ['solo-big', 'small-1', 'small-2']);
      await answer(waveId, 'solo-big', 7, 4);
      await answer(waveId, 'small-1', 3, 1);
      await answer(waveId, 'small-2', 4, 7);
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      await t.app.services.analyses.idle();
      const r = await report(waveId);
      const big = r.units.find((u) => u.unitKey === 'solo-big')!;
      expect(big).toMatchObject({ suppressed: false, n: 7 });
      for (const key of ['small-1', 'small-2']) expect(r.units.find((u) => u.unitKey === key)).toMatchObject({ suppressed: true, n: null });
      // The organisation is either suppressed or exactly the published unit: its means minus the unit's leave nobody.
      if (!r.organisation.suppressed) {
        expect(r.organisation.n).toBe(7);
        expect(r.organisation.cells).toEqual(big.cells);
      }
      // The first wave of the store is its own baseline: with one published unit, z and M have no spread to stand on.
      expect(Object.values((big.z ?? {}) as Record<string, number | null>).every((v) => v === null)).toBe(true);
      expect(big.misalignment).toBeNull();
      // The unit report shows no organisation figure other than the unit's own.
      const page = await api().get(`/admin/waves/${waveId}/units/solo-big/report?format=json`).set(AUTH);
      if (page.status === 200) {
        for (const a of JSON.parse(page.text).aggregates as { unit: number | null; organisation: number | null }[]) {
          if (a.organisation !== null) expect(a.organisation).toBeCloseTo(a.unit!, 12);
        }
        const text = page.text;
        expect(text).not.toMatch(/"n":\s*(3|4|14)\b/);
      }
    });
    it('re-publishes a closed wave unchanged after a team moved to another parent, so no run differences another', async () => {
      // D = {A: 4, B: 6}: A is too small, and B alone would reveal A as D − B, so only D is published.
      await unit('dept');
      await unit('team-a', 'dept');
      await unit('team-b', 'dept');
      await unit('other');
      const waveId = await wave('Before the move', ['team-a', 'team-b', 'other']);
      await answer(waveId, 'team-a', 4, 2);
      await answer(waveId, 'team-b', 6, 5);
      await answer(waveId, 'other', 6, 4);
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      await t.app.services.analyses.idle();
      const first = await report(waveId);
      expect(first.units.find((u) => u.unitKey === 'dept')).toMatchObject({ suppressed: false, n: 10 });
      expect(first.units.find((u) => u.unitKey === 'team-b')).toMatchObject({ suppressed: true, n: null });

      // Team A moves out of the department; a re-run under the new hierarchy would publish B (6)
      // beside the first run's D (10): D − B is team A's four people.
      expect((await api().patch('/api/v1/units/team-a').set(AUTH).send({ parentKey: null })).status).toBe(200);
      const second = await rerun(waveId);
      expect(second.analysisId).not.toBe(first.analysisId);
      expect(second.units).toEqual(first.units);
      expect(second.organisation).toEqual(first.organisation);

      // Moving it under another parent and back changes nothing either.
      expect((await api().patch('/api/v1/units/team-a').set(AUTH).send({ parentKey: 'other' })).status).toBe(200);
      const third = await rerun(waveId);
      expect(third.units).toEqual(first.units);
      // Across all runs, no aggregate's counts differ by 1 … k − 1, and no aggregate appears that the first run suppressed.
      const counts = await allCounts(waveId);
      expect(counts).toHaveLength(3);
      for (const c of counts) expect(c).toEqual(counts[0]);
    });


    it('stores each published unit’s diagnosis with the run, reads it in the report, and offers a re-run for traces imported since', async () => {
      for (const key of ['diag-a', 'diag-b', 'diag-small']) await unit(key);
      for (const key of ['diag-a', 'diag-small']) {
        const res = await api().post(`/api/v1/units/${key}/traces`).set(AUTH).set('Content-Type', 'text/csv').send(reopenStreamCsv(key));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const waveId = await wave('Diagnosed', ['diag-a', 'diag-b', 'diag-small']);
      await answer(waveId, 'diag-a', 6, 2);
      await answer(waveId, 'diag-b', 6, 6);
      await answer(waveId, 'diag-small', 2, 4);
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
      await t.app.services.analyses.idle();
      const published = await report(waveId);
      const run = (await api().get(`/api/v1/analyses/${published.analysisId}`).set(AUTH)).body.results;
      // Only published units are diagnosed: the suppressed unit's traces are not even read.
      expect(Object.keys(run.diagnosis.units).sort()).toEqual(['diag-a', 'diag-b']);
      expect(run.diagnosis.units['diag-a'].breakpoints.length).toBeGreaterThan(0);
      expect(run.diagnosis.units['diag-a'].events).toBeGreaterThan(0);
      expect(run.diagnosis.units['diag-b'].events).toBe(0);
      expect(JSON.stringify(run.diagnosis)).not.toContain('diag-small');

      const json = async (key: string) => {
        const res = await api().get(`/admin/waves/${waveId}/units/${key}/report?format=json`).set(AUTH);
        expect(res.status, res.text.slice(0, 500)).toBe(200);
        return JSON.parse(res.text);
      };
      const a = await json('diag-a');
      expect(a.breakpoints.map((b: { signal: string; start: string; end: string; peak: number }) => [b.signal, b.start, b.end, b.peak])).toEqual(
        run.diagnosis.units['diag-a'].breakpoints.map((b: { signal: string; start: string; end: string; peak: number }) => [b.signal, b.start, b.end, b.peak]),
      );
      expect(a.interventions.map((i: { name: string }) => i.name)).toEqual(run.diagnosis.units['diag-a'].interventions.map((i: { name: string }) => i.name));
      expect(a.rerun).toBe(false);

      // Traces of B imported after the run: the report stays as of the run and says so.
      t.clock.advance(HOUR);
      expect((await api().post('/api/v1/units/diag-b/traces').set(AUTH).set('Content-Type', 'text/csv').send(reopenStreamCsv('diag-b'))).status).toBe(201);
      const b = await json('diag-b');
      expect(b.breakpoints).toEqual([]);
      expect(b.rerun).toBe(true);
      expect(b.warnings.join(' ')).toMatch(/imported after this analysis ran; the diagnosis is as of the run/);
      const page = await api().get(`/admin/waves/${waveId}/units/diag-b/report`).set(AUTH);
      expect(page.text).toContain('data-testid="rerun-diagnosis"');
      // Re-run: the same publication (frozen), and B's breakpoints now read.
      const again = await rerun(waveId);
      expect(again.units).toEqual(published.units);
      const after = await json('diag-b');
      expect(after.rerun).toBe(false);
      expect(after.breakpoints.length).toBeGreaterThan(0);
    });
  });
});
