import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { researchPreregistration, wavePreregistration } from '../../server/prereg/report_commitments.js';
import { scaleReportPreregistration } from '../../server/web/reports/scale_report.js';
import { findWave } from '../../server/queries/waves.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { createUnits } from '../server-dynamics/helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** The Structural dimension's model as the scale-developer run fits it (three correlated cell factors). */
const STRUCTURAL = ['SxA', 'SxC', 'SxV'].map((c) => `${c} =~ ${Array.from({ length: 8 }, (_, k) => `${c}_${k + 1}`).join(' + ')}`).join('\n');
const H7 = [{ hypothesis: 'H7', tested: true, formulas: ['PQ ~ M + M^2'] }];

/**
 * Every report names the commitments its analysis followed, says how it deviated, or says it was
 * not pre-registered (issue 18): the wave report (breakpoint rules), the scale-developer report
 * (measurement models) and the research report (hypotheses with their tests and thresholds).
 */
describe('the commitment each report names', () => {
  let t: TestApp;
  const waves: Record<'followed' | 'deviating' | 'none', number> = { followed: 0, deviating: 0, none: 0 };
  const api = () => request(t.app);
  const commit = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/v1/commitments').set(AUTH).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { seq: number; hash: string };
  };
  const seqs: Record<string, { seq: number; hash: string }> = {};

  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: '2026-06-01T09:00:00.000Z', env: { SEICI_SIGNING_KEY: key } });
    await createUnits(t, ['team-a']);
    const strict = await api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'persist-6', persistence: 6 });
    expect(strict.status, JSON.stringify(strict.body)).toBe(201);
    for (const name of Object.keys(waves) as (keyof typeof waves)[]) {
      const res = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: new Date(t.clock.now.getTime() + HOUR).toISOString(), closesAt: new Date(t.clock.now.getTime() + 14 * DAY).toISOString(), unitKeys: ['team-a'] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      waves[name] = res.body.id;
    }
    // Followed: the rules in force (persist-6), the run's Structural model, H7 at p < .05 with the run's model.
    seqs.rules = await commit({ kind: 'breakpoint-rules', waveId: waves.followed, ruleVersion: 'persist-6' });
    seqs.model = await commit({ kind: 'measurement-model', waveId: waves.followed, title: 'Structural cells', syntax: STRUCTURAL, estimator: 'ML', groups: 'context', invariance: ['configural', 'metric', 'scalar'] });
    seqs.hypothesis = await commit({ kind: 'hypothesis', waveId: waves.followed, title: 'H7 inverted U', statement: 'PQ peaks at modest misalignment.', test: 'b for M^2 in PQ ~ M + M^2', threshold: { statistic: 'p', operator: '<', value: 0.05 } });
    // Deviating: other rules, a two-item SxA factor by MLR across languages, H7 at p < .01 with unit fixed effects.
    seqs.otherRules = await commit({ kind: 'breakpoint-rules', waveId: waves.deviating, ruleVersion: 'seici-default-1' });
    seqs.otherModel = await commit({ kind: 'measurement-model', waveId: waves.deviating, title: 'Short SxA', syntax: 'SxA =~ SxA_1 + SxA_2', estimator: 'MLR', groups: 'language' });
    seqs.otherHypothesis = await commit({ kind: 'hypothesis', waveId: waves.deviating, title: 'H7 strict', statement: 'PQ peaks at modest misalignment.', test: 'quadratic term of M in PQ ~ M + M^2, unit fixed effects', threshold: { statistic: 'p', operator: '<', value: 0.01 } });
    // The waves open: each locks the rules in force (persist-6).
    t.clock.advance(2 * HOUR);
    await new WaveScheduler(t.app.services).tick();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const signed = (c: { seq: number; hash: string }) => new RegExp(`commitment ${c.seq} \\(.*SHA-256 ${c.hash.slice(0, 16)}…, committed 2026-06-01, signed and verified\\)`);

  it('wave report: names the breakpoint-rules commitment followed, says how the locked rules deviate, or says not pre-registered', async () => {
    const followed = await wavePreregistration(t.app.services, waves.followed);
    expect(followed.preregistered).toBe(true);
    expect(followed.commitments.map((c) => [c.seq, c.hash, c.signed])).toEqual([seqs.rules, seqs.model, seqs.hypothesis].map((c) => [c.seq, c.hash, true]));
    expect(followed.statement).toMatch(/^Pre-registered: the analysis followed commitment \d+ \(breakpoint-rules/);
    expect(followed.statement).toMatch(signed(seqs.rules));

    const deviating = await wavePreregistration(t.app.services, waves.deviating);
    expect(deviating.preregistered).toBe(false);
    expect(deviating.deviations).toEqual([`The breakpoint analysis uses rule version persist-6, not version seici-default-1 committed in commitment ${seqs.otherRules.seq}: persistence 4 → 6; version "seici-default-1" → "persist-6".`]);
    expect(deviating.statement).toMatch(/^Deviation from pre-registration: The breakpoint analysis uses rule version persist-6/);

    // The third wave opened on a server with a key: the scheduler committed its locked rules, and the report names that entry.
    const opened = await wavePreregistration(t.app.services, waves.none);
    expect(opened.statement).toMatch(/^Pre-registered: the analysis followed commitment \d+ \(breakpoint-rules, "Breakpoint rules persist-6, locked when "none" opened"/);
    const unknown = await wavePreregistration(t.app.services, 99_999);
    expect(unknown.statement).toBe('Not pre-registered: no signed commitment names this wave.');
  });

  it('scale-developer report: names the measurement model followed, says how the fitted models deviate, or says not pre-registered', async () => {
    const wave = async (id: number) => (await findWave(t.db, id))!;
    const followed = await scaleReportPreregistration(t.app.services, await wave(waves.followed));
    expect(followed.preregistered).toBe(true);
    expect(followed.statement).toMatch(signed(seqs.model));
    expect(followed.commitments).toHaveLength(1);

    const deviating = await scaleReportPreregistration(t.app.services, await wave(waves.deviating));
    expect(deviating.deviations).toEqual([
      `The run's models depart from commitment ${seqs.otherModel.seq} ("Short SxA"): factor SxA was committed with SxA_1, SxA_2 and fitted with SxA_1, SxA_2, SxA_3, SxA_4, SxA_5, SxA_6, SxA_7, SxA_8; the estimator was committed as MLR and is ML; invariance was committed across "language" and tested across "context".`,
    ]);
    expect(deviating.statement).toMatch(/^Deviation from pre-registration: The run's models depart from commitment/);

    const none = await scaleReportPreregistration(t.app.services, await wave(waves.none));
    expect(none).toMatchObject({ preregistered: false, commitments: [], statement: 'Not pre-registered: no signed commitment names a measurement model for this wave.' });
  });

  it('research report: names the hypothesis commitment followed, says which test or threshold deviated, or says not pre-registered', async () => {
    const followed = await researchPreregistration(t.app.services, [waves.followed], H7);
    expect(followed.preregistered).toBe(true);
    expect(followed.statement).toMatch(signed(seqs.hypothesis));

    const deviating = await researchPreregistration(t.app.services, [waves.deviating], H7);
    expect(deviating.deviations).toEqual([
      `H7 departs from commitment ${seqs.otherHypothesis.seq}: the threshold was committed as p < 0.01 and the run decided at p < .05; the committed test uses unit fixed effects, and the run fitted OLS on the three-wave design.`,
    ]);
    // A committed model the run did not fit, and a hypothesis the run could not test, are deviations too.
    const otherModel = await researchPreregistration(t.app.services, [waves.followed], [{ hypothesis: 'H7', tested: true, formulas: ['PQ ~ M'] }]);
    expect(otherModel.deviations).toEqual([`H7 departs from commitment ${seqs.hypothesis.seq}: the committed model PQ ~ M+M^2 is not the run's (PQ ~ M).`]);
    const untested = await researchPreregistration(t.app.services, [waves.followed], [{ hypothesis: 'H7', tested: false, formulas: [] }]);
    expect(untested.deviations).toEqual([`H7, committed in commitment ${seqs.hypothesis.seq}, could not be tested in this run.`]);

    const none = await researchPreregistration(t.app.services, [waves.none], H7);
    expect(none.statement).toBe('Not pre-registered: no signed commitment names a hypothesis for these waves.');
  });

  it('says a commitment whose chain no longer verifies is not a pre-registration', async () => {
    await t.db('commitments').where({ seq: seqs.rules.seq }).update({ signature: Buffer.alloc(64).toString('base64') });
    const broken = await researchPreregistration(t.app.services, [waves.followed], H7);
    expect(broken.preregistered).toBe(false);
    expect(broken.statement).toMatch(new RegExp(`^Not pre-registered: commitment ${seqs.hypothesis.seq} .*signature not verified: entry ${seqs.rules.seq} of the chain is broken: its signature does not verify`));
  });
});
