import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatePanel, type PanelSpec, type SimulatedPanel } from '../../analysis/index.js';
import type { App } from '../../server/app.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 26 units × 10 respondents; the 13 units of context `de` answer in German, whose RxC_3 reads +1 SD. */
const BILINGUAL: PanelSpec = {
  contexts: ['en', 'de'],
  unitsPerContext: 13,
  unitSize: { mean: 10, min: 10, max: 10 },
  waves: ['W'],
  nonInvariance: [{ context: 'de', items: ['RxC_3'], intercept: 1 }],
};

/** Invites each unit's simulated respondents and submits their answers in the unit's language (its simulated context). */
async function answer(app: App, waveId: number, panel: SimulatedPanel) {
  const byUnit = new Map<string, number[]>();
  panel.unit.forEach((u, i) => byUnit.set(u, [...(byUnit.get(u) ?? []), i]));
  for (const [unitKey, rows] of byUnit) {
    const links = await request(app).post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count: rows.length });
    expect(links.status, JSON.stringify(links.body)).toBe(201);
    for (const [k, row] of rows.entries()) {
      const answers = Object.fromEntries(panel.items.map((id, j) => [id, panel.answers[row][j]]));
      const res = await request(app).post('/api/v1/responses').send({ token: links.body.invitations[k].token, answers, complete: true, locale: panel.context[row] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }
}

async function closeAndPublish(app: App, waveId: number) {
  expect((await request(app).post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
  await app.services.analyses.idle();
  const list = await request(app).get(`/api/v1/waves/${waveId}/analyses`).set(AUTH);
  const run = list.body.analyses.filter((a: { kind: string }) => a.kind === 'wave').at(-1);
  expect(run?.status, JSON.stringify(run)).toBe('done');
}

/**
 * Issue 13's gates across languages and waves through the API and the console: a wave answered
 * in English and German whose German RxC_3 reads +1 SD stores "means compare across languages:
 * no" for Relational only, and its reports mark the comparisons; the next wave, where TxC_2 reads
 * +1 SD for everyone, stores "changes since the previous wave are not justified" for
 * Translational only, and the unit report marks its drift.
 */
describe('the invariance gates across languages and waves, through the API and the console (SQLite)', () => {
  let t: TestApp;
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  beforeAll(async () => {
    t = await openTestApp(BACKENDS.find((b) => b.name === 'sqlite')!);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('stores both gates and marks the unjustified comparisons in the report, the reports page and the unit report', async () => {
    const api = () => request(t.app);
    const first = simulatePanel(BILINGUAL, 3);
    for (const [i, unit] of first.truth.units.entries()) {
      const res = await api().post('/api/v1/units').set(AUTH).send({ key: unit.unit, name: `Unit ${i + 1}` });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const unitKeys = first.truth.units.map((u) => u.unit);

    const waveA = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Spring', opensAt: at(-2 * HOUR), closesAt: at(DAY), unitKeys, locales: ['en', 'de'] });
    expect(waveA.status, JSON.stringify(waveA.body)).toBe(201);
    await answer(t.app, waveA.body.id, first);
    await closeAndPublish(t.app, waveA.body.id);

    const reportA = (await api().get(`/api/v1/waves/${waveA.body.id}/report`).set(AUTH)).body;
    const languages = reportA.languageComparison;
    expect(languages.locales).toEqual(['de', 'en']);
    expect(languages.meansAcrossLanguages, languages.statement).toBe(false);
    expect(languages.relationsAcrossLanguages).toBe(true);
    expect(languages.equivalence.map((e: { holds: string }) => e.holds)).toEqual(['scalar', 'metric', 'scalar']);
    expect(languages.statement).toMatch(/^Means compare across languages \(de, en\): no \(Relational: scalar invariance fails in full; scalar invariance holds only with RxC_3~1 released\)/);
    expect(reportA.waveComparison).toBeNull();
    // The context gate is not involved: the units have no context.
    expect(reportA.comparison.equivalence).toEqual([]);

    const reportsPage = await api().get('/admin/reports').set(AUTH).set('Accept', 'text/html');
    expect(reportsPage.status).toBe(200);
    expect(reportsPage.text).toMatch(/<p class="banner" data-testid="language-gate">Means compare across languages \(de, en\): no/);
    const unitA = await api().get(`/admin/waves/${waveA.body.id}/units/${unitKeys[0]}/report`).set(AUTH).set('Accept', 'text/html');
    expect(unitA.status).toBe(200);
    expect(unitA.text).toContain('Comparisons across languages are not justified in this wave');
    expect(unitA.text).toContain('data-testid="gate-mark"');
    expect(unitA.text).not.toContain('data-testid="wave-gate"');

    // The next wave: the same translation issue, and now TxC_2 reads +1 SD for everyone.
    const second = simulatePanel({ ...BILINGUAL, nonInvariance: [...BILINGUAL.nonInvariance!, { context: 'en', items: ['TxC_2'], intercept: 1 }, { context: 'de', items: ['TxC_2'], intercept: 1 }] }, 4);
    const waveB = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Autumn', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys, locales: ['en', 'de'] });
    expect(waveB.status, JSON.stringify(waveB.body)).toBe(201);
    await answer(t.app, waveB.body.id, second);
    await closeAndPublish(t.app, waveB.body.id);

    const reportB = (await api().get(`/api/v1/waves/${waveB.body.id}/report`).set(AUTH)).body;
    const waves = reportB.waveComparison;
    expect(waves.earlierWave).toEqual({ label: String(waveA.body.id), name: 'Spring', version: 'v1' });
    expect(waves.meansAcrossWaves, waves.statement).toBe(false);
    expect(waves.relationsAcrossWaves).toBe(true);
    expect(waves.equivalence.map((e: { holds: string }) => e.holds)).toEqual(['scalar', 'scalar', 'metric']);
    expect(waves.statement).toMatch(/^Changes since wave Spring \(drift, trends, score changes\) are not justified: Translational: scalar invariance fails in full; scalar invariance holds only with TxC_2~1 released \(tested on all 72 items\)/);
    // Drift since the baseline (wave A, the first) rests on this one pair.
    expect(reportB.baselineWave).toBe(String(waveA.body.id));
    expect(waves.chain).toEqual([{ from: String(waveA.body.id), fromName: 'Spring', to: String(waveB.body.id), toName: 'Autumn', meansAcrossWaves: false }]);
    expect(waves.driftJustified).toBe(false);
    expect(reportB.crossVersion).toBeNull();
    expect(reportB.languageComparison.meansAcrossLanguages).toBe(false);

    const unitB = await api().get(`/admin/waves/${waveB.body.id}/units/${unitKeys[0]}/report`).set(AUTH).set('Accept', 'text/html');
    expect(unitB.status).toBe(200);
    expect(unitB.text).toContain('Changes since the previous wave are not justified');
    expect(unitB.text).toContain('data-testid="drift-gate-mark"');
    const reportsAgain = await api().get('/admin/reports').set(AUTH).set('Accept', 'text/html');
    expect(reportsAgain.text).toMatch(/<p class="banner" data-testid="wave-gate">Changes since wave Spring/);
  }, 240_000);
});
