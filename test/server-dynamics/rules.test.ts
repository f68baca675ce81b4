import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, ruleSetFingerprint } from '../../analysis/index.js';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { AUTH, BACKENDS, openTestApp, rowCount, type TestApp } from '../server/harness.js';
import { createUnits, refused } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A rule set differing from the default in persistence and the reopen-rate level. */
function rules(version: string, persistence = 5, level = 0.3) {
  return {
    version,
    persistence,
    signals: { reopenRate: { threshold: { kind: 'absolute', level }, cells: ['TxC', 'TxV'] } },
  };
}

describe.each(BACKENDS)('breakpoint rule versions on $name', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    await createUnits(t, ['team-a']);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function createWave(name: string, opensIn: number): Promise<number> {
    const res = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(opensIn), closesAt: at(opensIn + 14 * DAY), unitKeys: ['team-a'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  describe.skipIf(backend.skip)('versions', () => {
    it('lists the built-in default rules, in force while nothing else is stored', async () => {
      const res = await api().get('/api/v1/breakpoint-rules').set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body.inForce).toBe('seici-default-1');
      expect(res.body.versions).toHaveLength(1);
      expect(res.body.versions[0]).toMatchObject({ version: 'seici-default-1', builtIn: true, inForce: true, lockedBy: [], fingerprint: ruleSetFingerprint(DEFAULT_RULES) });
      expect(res.body.versions[0].rules.signals.reopenRate).toEqual({ threshold: { kind: 'absolute', level: 0.2, strict: false }, cells: ['TxC', 'TxV'] });
    });

    it('stores a new version, content-addressed: identical rules answer 200, a taken name 409, bad rules 400 naming the field', async () => {
      const created = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-1'));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ version: 'team-1', builtIn: false, inForce: true, createdBy: 'SEICI_ADMIN_TOKEN', lockedBy: [] });
      expect(created.body.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(created.body.rules).toMatchObject({ version: 'team-1', persistence: 5, baselinePeriods: 4 });
      const again = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-1'));
      expect(again.status).toBe(200);
      expect(again.body.fingerprint).toBe(created.body.fingerprint);
      expect(await rowCount(t.db, 'breakpoint_rule_sets')).toBe(1);
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-1', 6)), 409, /"team-1" exists already with other rules/);
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('seici-default-1')), 409, /"seici-default-1" exists already/);
      const builtIn = await api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'seici-default-1' });
      expect(builtIn.status).toBe(200);
      expect(builtIn.body).toMatchObject({ version: 'seici-default-1', builtIn: true, fingerprint: ruleSetFingerprint(DEFAULT_RULES) });
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('bad', 0)), 400, /^persistence must be at least 1/);
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'bad', signals: { reopenRate: { threshold: { kind: 'absolute', level: 0.2 }, cells: ['SxQ'] } } }), 400, /^signals\.reopenRate\.cells\.0 must be one of/);
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'bad', window: 3 }), 400, /"window" is not a known field/);
      await refused(t, () => api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team/1')), 400, /^version may contain only letters/);
      const list = await api().get('/api/v1/breakpoint-rules').set(AUTH);
      expect(list.body.inForce).toBe('team-1');
      expect(list.body.versions.map((v: { version: string }) => v.version)).toEqual(['seici-default-1', 'team-1']);
    });

    it('edits and deletes a version while no wave has locked it; the built-in default never', async () => {
      const edited = await api().patch('/api/v1/breakpoint-rules/team-1').set(AUTH).send(rules('team-1', 6));
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect(edited.body.rules.persistence).toBe(6);
      expect(edited.body.updatedAt).toEqual(expect.any(String));
      await refused(t, () => api().patch('/api/v1/breakpoint-rules/team-1').set(AUTH).send(rules('team-2')), 400, /must be the version of the path/);
      await refused(t, () => api().patch('/api/v1/breakpoint-rules/seici-default-1').set(AUTH).send(rules('seici-default-1')), 409, /built-in/);
      await refused(t, () => api().delete('/api/v1/breakpoint-rules/seici-default-1').set(AUTH), 409, /built-in/);
      await refused(t, () => api().delete('/api/v1/breakpoint-rules/nope').set(AUTH), 404, /"nope"/);
      const scratch = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('scratch'));
      expect(scratch.status).toBe(201);
      const deleted = await api().delete('/api/v1/breakpoint-rules/scratch').set(AUTH);
      expect(deleted.status).toBe(200);
      expect((await api().get('/api/v1/breakpoint-rules').set(AUTH)).body.inForce).toBe('team-1');
    });

    it('locks the version in force when a wave opens (the scheduler); a locked version is refused edits and deletion with 409', async () => {
      const waveId = await createWave('Spring', DAY);
      t.clock.advance(HOUR);
      const second = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-2', 4, 0.25));
      expect(second.status).toBe(201);
      const scheduler = new WaveScheduler(t.app.services);
      expect(await scheduler.tick()).toBe(0);
      expect(await rowCount(t.db, 'wave_rule_locks')).toBe(0);
      t.clock.advance(DAY);
      const tickAt = t.clock.now.toISOString();
      expect(await scheduler.tick()).toBe(1);
      const lock = await t.db('wave_rule_locks').where({ wave_id: waveId }).first();
      expect(lock).toMatchObject({ fingerprint: second.body.fingerprint, locked_at: tickAt });

      // A version posted after the opening is in force for the next wave, not this one.
      const third = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-3', 4, 0.4));
      expect(third.status).toBe(201);
      const list = await api().get('/api/v1/breakpoint-rules').set(AUTH);
      const byVersion = Object.fromEntries(list.body.versions.map((v: { version: string }) => [v.version, v]));
      expect(byVersion['team-2'].lockedBy).toEqual([{ waveId, waveName: 'Spring', lockedAt: tickAt }]);
      expect(byVersion['team-3']).toMatchObject({ inForce: true, lockedBy: [] });

      await refused(t, () => api().patch('/api/v1/breakpoint-rules/team-2').set(AUTH).send(rules('team-2', 8)), 409, new RegExp(`"team-2" is locked by wave ${waveId} \\(Spring\\)`));
      await refused(t, () => api().delete('/api/v1/breakpoint-rules/team-2').set(AUTH), 409, /is locked by wave/);
      expect((await api().get('/api/v1/breakpoint-rules/team-2').set(AUTH)).body.fingerprint).toBe(second.body.fingerprint);
      // The store refuses it too: the lock references the version.
      await expect(t.db('breakpoint_rule_sets').where({ version: 'team-2' }).delete()).rejects.toThrow();
      // The unlocked newer version stays editable.
      expect((await api().patch('/api/v1/breakpoint-rules/team-3').set(AUTH).send(rules('team-3', 5, 0.4))).status).toBe(200);
    });

    it('locks a wave created already open without a scheduler tick, before any edit is judged', async () => {
      const fourth = await api().post('/api/v1/breakpoint-rules').set(AUTH).send(rules('team-4', 4, 0.45));
      expect(fourth.status).toBe(201);
      t.clock.advance(HOUR);
      const waveId = await createWave('Ad hoc', -HOUR);
      const edit = await api().patch('/api/v1/breakpoint-rules/team-4').set(AUTH).send(rules('team-4', 9, 0.45));
      expect(edit.status).toBe(409);
      expect(edit.body.error).toMatch(new RegExp(`"team-4" is locked by wave ${waveId} \\(Ad hoc\\)`));
      const lock = await t.db('wave_rule_locks').where({ wave_id: waveId }).first();
      expect(lock.fingerprint).toBe(fourth.body.fingerprint);
      // The scheduler's own open event later keeps the lock it finds.
      t.clock.advance(HOUR);
      await new WaveScheduler(t.app.services).tick();
      expect((await t.db('wave_rule_locks').where({ wave_id: waveId }).first()).fingerprint).toBe(fourth.body.fingerprint);
    });

    it('locks nothing for a wave closed by hand before it opened', async () => {
      const waveId = await createWave('Cancelled', DAY);
      expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH).send({})).status).toBe(200);
      t.clock.advance(2 * DAY);
      await new WaveScheduler(t.app.services).tick();
      expect((await api().get('/api/v1/breakpoint-rules').set(AUTH)).status).toBe(200);
      expect(await t.db('wave_rule_locks').where({ wave_id: waveId }).first()).toBeUndefined();
    });

    it('writes every change to the audit log', async () => {
      const audit = await api().get('/api/v1/audit?limit=50').set(AUTH);
      const actions = audit.body.entries.map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('breakpoint-rules.'));
      expect(actions.sort()).toEqual(
        ['breakpoint-rules.create', 'breakpoint-rules.create', 'breakpoint-rules.create', 'breakpoint-rules.create', 'breakpoint-rules.create', 'breakpoint-rules.delete', 'breakpoint-rules.edit', 'breakpoint-rules.edit'].sort(),
      );
    });
  });
});
