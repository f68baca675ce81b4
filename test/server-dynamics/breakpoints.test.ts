import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { FIRST_MONDAY, addDays, createUnits, refused, reopenStreamCsv } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A decision log of 20 weeks: three decisions opened each Monday and made on Wednesday (2
 * business days), except in weeks 10–15, when they are made on Friday (4 business days):
 * a decision latency that doubles for six weeks, from Monday 2026-03-16.
 */
function doublingLatencyLog(unit: string): string {
  const rows = ['team,decision,opened_at,made_at'];
  for (let w = 0; w < 20; w++) {
    const monday = addDays(FIRST_MONDAY, 7 * w);
    const made = addDays(monday, w >= 10 && w < 16 ? 4 : 2);
    for (let i = 0; i < 3; i++) rows.push(`${unit},D${w}-${i},${monday}T09:00:00Z,${made}T09:00:00Z`);
  }
  return rows.join('\n') + '\n';
}

describe.each(BACKENDS)('unit breakpoints on $name', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);
  const csv = (path: string, body: string) => api().post(path).set(AUTH).set('Content-Type', 'text/csv').send(body);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend, { now: '2026-06-01T09:00:00.000Z' });
    await createUnits(t, ['team-a', 'team-b', 'team-c']);
    expect((await csv('/api/v1/units/team-a/traces', reopenStreamCsv('team-a'))).status).toBe(201);
    expect((await csv('/api/v1/units/team-b/traces?format=decision-log', doublingLatencyLog('team-b'))).status).toBe(201);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  describe.skipIf(backend.skip)('planted breakpoints', () => {
    it('finds exactly the planted reopen-rate breakpoint (35% for six weeks from 2026-03-02), not the one-week spike, under the default rules', async () => {
      const res = await api().get('/api/v1/units/team-a/breakpoints').set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.rules).toEqual({ version: 'seici-default-1', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), lockedBy: null, preregistered: false, commitment: null, deviation: null });
      expect(res.body.period).toBe('week');
      expect(res.body.breakpoints).toEqual([
        { signal: 'reopenRate', cells: ['TxC', 'TxV'], start: '2026-03-02', end: '2026-04-06', periods: 6, peak: 0.35, level: 0.2, baseline: null, ruleVersion: 'seici-default-1' },
      ]);
      expect(res.body.signals).toHaveLength(20);
      expect(res.body.signals[3]).toMatchObject({ period: '2026-01-26', reopenRate: 0.4 });
      // Change points are reported apart; the detector's shift in the reopen rate is the one the rule caught.
      const reopen = res.body.changePoints.filter((c: { signal: string }) => c.signal === 'reopenRate');
      expect(reopen.length).toBeGreaterThan(0);
      expect(reopen[0]).toMatchObject({ period: '2026-03-02', direction: 'up', coveredByRule: true });
    });

    it('finds the doubled decision latency from 2026-03-16 against the unit\'s own baseline', async () => {
      const res = await api().get('/api/v1/units/team-b/breakpoints').set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body.breakpoints).toEqual([
        { signal: 'decisionLatency', cells: ['SxA', 'SxV'], start: '2026-03-16', end: '2026-04-20', periods: 6, peak: 4, level: 2.6, baseline: 2, ruleVersion: 'seici-default-1' },
      ]);
      const none = await api().get('/api/v1/units/team-c/breakpoints').set(AUTH);
      expect(none.body).toMatchObject({ events: 0, breakpoints: [], changePoints: [], signals: [] });
    });

    it('evaluates with the version the latest opened wave of the unit locked, and records it on each breakpoint', async () => {
      const strict = await api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'persist-6-reopen-30', persistence: 6, signals: { reopenRate: { threshold: { kind: 'absolute', level: 0.3 }, cells: ['TxC', 'TxV'] } } });
      expect(strict.status).toBe(201);
      const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'June', opensAt: new Date(t.clock.now.getTime() + HOUR).toISOString(), closesAt: new Date(t.clock.now.getTime() + 14 * DAY).toISOString(), unitKeys: ['team-a'] });
      expect(wave.status).toBe(201);
      await refused(t, () => api().get(`/api/v1/units/team-a/breakpoints?wave=${wave.body.id}`).set(AUTH), 409, /has not opened yet/);
      // Before the wave opens, team-a is still evaluated with the default rules.
      expect((await api().get('/api/v1/units/team-a/breakpoints').set(AUTH)).body.rules.version).toBe('seici-default-1');
      t.clock.advance(2 * HOUR);
      await new WaveScheduler(t.app.services).tick();

      const res = await api().get('/api/v1/units/team-a/breakpoints').set(AUTH);
      // A lock alone is not a pre-registration: only a signed commitment is (test/prereg).
      expect(res.body.rules).toMatchObject({ version: 'persist-6-reopen-30', fingerprint: strict.body.fingerprint, preregistered: false, commitment: null, lockedBy: { waveId: wave.body.id, waveName: 'June' } });
      expect(res.body.breakpoints).toEqual([
        { signal: 'reopenRate', cells: ['TxC', 'TxV'], start: '2026-03-02', end: '2026-04-06', periods: 6, peak: 0.35, level: 0.3, baseline: null, ruleVersion: 'persist-6-reopen-30' },
      ]);
      expect((await api().get(`/api/v1/units/team-a/breakpoints?wave=${wave.body.id}`).set(AUTH)).body.rules.version).toBe('persist-6-reopen-30');
      // A unit the wave does not survey keeps the default rules.
      expect((await api().get('/api/v1/units/team-b/breakpoints').set(AUTH)).body.rules.version).toBe('seici-default-1');
      // A preview under another stored version is marked as not pre-registered.
      const preview = await api().get('/api/v1/units/team-a/breakpoints?rules=seici-default-1').set(AUTH);
      expect(preview.body.rules).toMatchObject({ version: 'seici-default-1', preregistered: false, lockedBy: null });
      expect(preview.body.breakpoints.map((b: { ruleVersion: string }) => b.ruleVersion)).toEqual(['seici-default-1']);
    });

    it('answers bad options with one sentence', async () => {
      await refused(t, () => api().get('/api/v1/units/team-a/breakpoints?period=fortnight').set(AUTH), 400, /^period must be one of/);
      await refused(t, () => api().get('/api/v1/units/team-a/breakpoints?period=sprint&sprintAnchor=2026-01-06').set(AUTH), 400, /sprintAnchor must be a Monday/);
      await refused(t, () => api().get('/api/v1/units/team-a/breakpoints?rules=nope').set(AUTH), 404, /"nope"/);
      await refused(t, () => api().get('/api/v1/units/team-a/breakpoints?rules=seici-default-1&wave=1').set(AUTH), 400, /either wave or rules/);
      await refused(t, () => api().get('/api/v1/units/nobody/breakpoints').set(AUTH), 404, /nobody/);
      const sprint = await api().get('/api/v1/units/team-a/breakpoints?period=sprint&sprintAnchor=2026-01-05&rules=seici-default-1').set(AUTH);
      expect(sprint.status).toBe(200);
      expect(sprint.body).toMatchObject({ period: 'sprint', sprintAnchor: '2026-01-05' });
    });
  });
});
