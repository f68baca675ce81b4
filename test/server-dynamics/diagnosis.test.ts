import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seiAnswers, seeded, type ItemInfo } from '../server/answers.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { createUnits, refused, reopenStreamCsv } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The diagnosis runs the real pipeline: answer sets through the API, the wave analysis in its
 * worker thread (from dist/, so build first), then traces, PQ and the locked rules.
 */
describe.each(BACKENDS)('unit diagnosis on $name', (backend) => {
  let t: TestApp;
  let items: ItemInfo[];
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const waves: number[] = [];

  /** Runs a wave: answer sets per unit at a level (1–7), then closes it and analyses it. */
  async function runWave(name: string, sizes: Record<string, [number, number]>, seed: number): Promise<number> {
    const wave = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: Object.keys(sizes) });
    expect(wave.status, JSON.stringify(wave.body)).toBe(201);
    const random = seeded(seed);
    for (const [unitKey, [n, level]] of Object.entries(sizes)) {
      const invited = await api().post(`/api/v1/waves/${wave.body.id}/invitations`).set(AUTH).send({ unitKey, count: n });
      expect(invited.status).toBe(201);
      for (const { token } of invited.body.invitations) {
        const res = await api().post('/api/v1/responses').send({ token, answers: seiAnswers(items, random, level), complete: true });
        expect(res.status).toBe(201);
      }
    }
    expect((await api().post(`/api/v1/waves/${wave.body.id}/close`).set(AUTH).send({})).status).toBe(200);
    expect((await api().post(`/api/v1/waves/${wave.body.id}/analyses`).set(AUTH).send({})).status).toBe(202);
    await t.app.services.analyses.idle();
    const analyses = await api().get(`/api/v1/waves/${wave.body.id}/analyses`).set(AUTH);
    const last = analyses.body.analyses.at(-1);
    expect(last.status, `the wave analysis failed (it runs dist/server/jobs/analysis_worker.js): ${last.error}`).toBe('done');
    t.clock.advance(2 * DAY);
    return wave.body.id;
  }

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend, { now: '2026-05-04T09:00:00.000Z' });
    items = (await api().get('/api/v1/instrument')).body.items;
    await createUnits(t, ['team-a', 'team-b', 'team-c', 'team-d', 'team-e']);
    const traces = await api().post('/api/v1/units/team-a/traces').set(AUTH).set('Content-Type', 'text/csv').send(reopenStreamCsv('team-a'));
    expect(traces.status).toBe(201);
    const pq = await api().post('/api/v1/units/team-a/performance').set(AUTH).set('Content-Type', 'text/csv').send('period,measure,value\n2026Q1,cycle time,4.5\n2026Q2,cycle time,5.5\n');
    expect(pq.status).toBe(201);
    waves.push(await runWave('Spring', { 'team-a': [6, 3], 'team-b': [6, 5], 'team-c': [7, 4], 'team-d': [4, 4] }, 7));
    waves.push(await runWave('Summer', { 'team-a': [6, 3], 'team-b': [6, 5], 'team-c': [6, 4], 'team-d': [4, 4] }, 8));
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  describe.skipIf(backend.skip)('diagnosis', () => {
    it('combines the wave\'s unit scores, drift over both waves, the breakpoints under the wave\'s locked rules and PQ into ranked interventions', async () => {
      const res = await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}`).set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const d = res.body;
      expect(d).toMatchObject({ unitKey: 'team-a', wave: { id: waves[1], name: 'Summer' }, suppressed: false, n: 6, minGroupSize: 5 });
      expect(d.rules).toMatchObject({ version: 'seici-default-1', preregistered: false, commitment: null, lockedBy: { waveId: waves[1] } });
      expect(d.cells).toHaveLength(9);
      // team-a answers lowest, so its cells lie below the organisation of the visible units a, b and c.
      for (const c of d.cells) expect(c.z).toBeLessThan(0);
      expect(d.weakestCells).toHaveLength(3);
      expect(d.breakpoints).toEqual([expect.objectContaining({ signal: 'reopenRate', start: '2026-03-02', periods: 6, ruleVersion: 'seici-default-1' })]);
      expect(d.implicatedCells).toEqual([{ cell: 'TxC', breakpoints: 1 }, { cell: 'TxV', breakpoints: 1 }]);
      expect(d.drift).toMatchObject({ unit: 'team-a', baselineWave: String(waves[0]), latestWave: String(waves[1]) });
      expect(d.drift.history.map((h: { wave: string }) => h.wave)).toEqual(waves.map(String));
      expect(d.waves).toEqual([{ id: waves[0], name: 'Spring' }, { id: waves[1], name: 'Summer' }]);
      expect(d.performance).toEqual({ 'cycle time': { period: '2026Q2', value: 5.5 } });
      // Ranked by evidence; the top intervention addresses a cell the reopen-rate breakpoint implicates.
      const scores = d.interventions.map((i: { score: number }) => i.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      expect(d.interventions[0].cells.some((c: string) => c === 'TxC' || c === 'TxV')).toBe(true);
      expect(d.interventions[0].evidence.some((e: string) => /reopenRate breakpoint 2026-03-02/.test(e))).toBe(true);
      // The organisation never includes the unit below the minimum group size.
      const sxa = d.cells.find((c: { cell: string }) => c.cell === 'SxA');
      const report = await api().get(`/api/v1/waves/${waves[1]}/report`).set(AUTH);
      const visible = report.body.units.filter((u: { suppressed: boolean }) => !u.suppressed);
      expect(visible.map((u: { unitKey: string }) => u.unitKey)).toEqual(['team-a', 'team-b', 'team-c']);
      const mean = visible.reduce((s: number, u: { cells: Record<string, number> }) => s + u.cells.SxA, 0) / visible.length;
      expect(sxa.organisationMean).toBeCloseTo(mean, 12);
    });

    it('is the stored run\'s diagnosis, as the run holds it, with the run\'s options', async () => {
      const res = await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}`).set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const run = await api().get(`/api/v1/analyses/${res.body.analysisId}`).set(AUTH);
      expect(run.body).toMatchObject({ status: 'done', waveId: waves[1], options: { period: 'week', sprintAnchor: null, capacity: 0.5 } });
      const stored = run.body.results.diagnosis.units['team-a'];
      expect(stored.cells).toHaveLength(9);
      expect(stored.interventions.length).toBeGreaterThan(0);
      for (const key of ['cells', 'weakestCells', 'breakpoints', 'changePoints', 'implicatedCells', 'interventions', 'uncoveredCells', 'performance', 'events'] as const) {
        expect(res.body[key], key).toEqual(stored[key]);
      }
      expect(res.body.drift).toEqual(run.body.results.drift.units.find((u: { unit: string }) => u.unit === 'team-a'));
      expect(res.body.n).toBe(run.body.results.units.find((u: { unitKey: string }) => u.unitKey === 'team-a').n);
      expect(res.body).toMatchObject({ options: { period: 'week', sprintAnchor: null, capacity: 0.5 }, analysedAt: run.body.finishedAt, rerun: false, ranking: run.body.results.diagnosis.ranking });
      // The same answer when the query names the run's own options.
      const same = await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}&period=week&capacity=0.5`).set(AUTH);
      expect(same.status).toBe(200);
      expect(same.body).toEqual(res.body);
    });

    it('answers other options with 409 naming the run\'s and how to start a run with them, then serves that run once it is done', async () => {
      const query = `wave=${waves[1]}&period=sprint&sprintAnchor=2026-01-05&capacity=0.05`;
      const refusal = await refused(t, () => api().get(`/api/v1/units/team-a/diagnosis?${query}`).set(AUTH), 409, /used period week and capacity 0\.5 and no finished run of it used period sprint \(from 2026-01-05\) and capacity 0\.05; start one with POST \/api\/v1\/waves\/\d+\/analyses and the body \{"period":"sprint","sprintAnchor":"2026-01-05","capacity":0\.05\}/);
      expect(refusal).toBeDefined();
      const before = (await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}`).set(AUTH)).body;
      const started = await api().post(`/api/v1/waves/${waves[1]}/analyses`).set(AUTH).send({ period: 'sprint', sprintAnchor: '2026-01-05', capacity: 0.05 });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.options).toEqual({ period: 'sprint', sprintAnchor: '2026-01-05', capacity: 0.05 });
      await t.app.services.analyses.idle();
      const res = await api().get(`/api/v1/units/team-a/diagnosis?${query}`).set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ analysisId: started.body.id, options: { period: 'sprint', sprintAnchor: '2026-01-05', capacity: 0.05 }, n: before.n });
      const run = await api().get(`/api/v1/analyses/${started.body.id}`).set(AUTH);
      expect(run.body.results.driftCapacity).toBe(0.05);
      expect(run.body.results.diagnosis).toMatchObject({ period: 'sprint', sprintAnchor: '2026-01-05' });
      expect(res.body.breakpoints).toEqual(run.body.results.diagnosis.units['team-a'].breakpoints);
      expect(res.body.interventions).toEqual(run.body.results.diagnosis.units['team-a'].interventions);
      // Signals counted in two-week sprints from the anchor, not in weeks: the breakpoints are the sprint run's own.
      expect(res.body.breakpoints).not.toEqual(before.breakpoints);
      expect(res.body.drift.drifting).toBe(res.body.drift.change > 0.05);
      // The new run is the latest: a query without options reads it, and the week run stays readable by its options.
      expect((await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}`).set(AUTH)).body.analysisId).toBe(started.body.id);
      const week = await api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}&period=week`).set(AUTH);
      expect(week.status).toBe(200);
      expect(week.body.analysisId).toBe(before.analysisId);
      expect(week.body.interventions).toEqual(before.interventions);
      await refused(t, () => api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}&period=week&sprintAnchor=2026-01-05`).set(AUTH), 400, /sprintAnchor applies only to period=sprint/);
      await refused(t, () => api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[1]}&sprintAnchor=2026-01-06`).set(AUTH), 400, /sprintAnchor must be a Monday/);
      await refused(t, () => api().post(`/api/v1/waves/${waves[1]}/analyses`).set(AUTH).send({ period: 'fortnight' }), 400, /period must be one of/);
    });

    it('says when traces arrived after the run, and serves the run\'s diagnosis as it is', async () => {
      const before = (await api().get(`/api/v1/units/team-b/diagnosis?wave=${waves[1]}&period=week`).set(AUTH)).body;
      expect(before.rerun).toBe(false);
      t.clock.advance(HOUR);
      const traces = await api().post('/api/v1/units/team-b/traces').set(AUTH).set('Content-Type', 'text/csv').send(reopenStreamCsv('team-b'));
      expect(traces.status).toBe(201);
      const after = await api().get(`/api/v1/units/team-b/diagnosis?wave=${waves[1]}&period=week`).set(AUTH);
      expect(after.status).toBe(200);
      expect(after.body.rerun).toBe(true);
      expect(after.body.warnings.join(' ')).toMatch(/Trace events of "team-b" were imported after this analysis ran; the diagnosis is as of the run/);
      expect(after.body.breakpoints).toEqual(before.breakpoints);
      expect(after.body.breakpoints).toEqual([]);
    });

    it('defaults to the latest analysed wave of the unit', async () => {
      const res = await api().get('/api/v1/units/team-b/diagnosis').set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ unitKey: 'team-b', wave: { id: waves[1] }, suppressed: false, breakpoints: [] });
    });

    it('shows no scores, drift, breakpoints or interventions for a unit below the minimum group size', async () => {
      const res = await api().get(`/api/v1/units/team-d/diagnosis?wave=${waves[0]}`).set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ unitKey: 'team-d', wave: { id: waves[0], name: 'Spring' }, minGroupSize: 5, analysisId: expect.any(Number), suppressed: true, n: null });
      // Whatever options are asked for: no 409 naming runs, no count.
      const other = await api().get(`/api/v1/units/team-d/diagnosis?wave=${waves[1]}&period=month&capacity=2`).set(AUTH);
      expect(other.status).toBe(200);
      expect(other.body).toEqual({ unitKey: 'team-d', wave: { id: waves[1], name: 'Summer' }, minGroupSize: 5, analysisId: expect.any(Number), suppressed: true, n: null });
    });

    it('refuses a wave that does not survey the unit, a unit without analysed waves, and a wave without an analysis', async () => {
      await refused(t, () => api().get(`/api/v1/units/team-e/diagnosis?wave=${waves[0]}`).set(AUTH), 400, /does not survey unit "team-e"/);
      await refused(t, () => api().get('/api/v1/units/team-e/diagnosis').set(AUTH), 404, /No wave surveying unit "team-e" has a finished analysis/);
      const open = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Autumn', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: ['team-e'] });
      await refused(t, () => api().get(`/api/v1/units/team-e/diagnosis?wave=${open.body.id}`).set(AUTH), 404, /has no finished analysis yet/);
      await refused(t, () => api().get(`/api/v1/units/team-a/diagnosis?wave=${waves[0]}&capacity=-1`).set(AUTH), 400, /capacity must be/);
    });
  });
});
