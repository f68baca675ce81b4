import request from 'supertest';
import { expect } from 'vitest';
import { simulatePanel, type PanelSpec } from '../../analysis/index.js';
import { AUTH, type TestApp } from '../server/harness.js';
import { answer, publishedRun } from '../server/scale_cycle.js';

/**
 * A pilot whose verdicts only revise: 12 units × 10 respondents in one context (n = 120, the
 * minimum of each dimension's CFA, below the nine-cell model's 360), SxC_8 loading .30 on its cell
 * (every other item .70): with seed 1 its standardized loading lands between .30 and .40 (revise),
 * and no item is dropped.
 */
export const REVISE_ONLY_PILOT: PanelSpec = {
  contexts: ['north'],
  unitsPerContext: 12,
  unitSize: { mean: 10, min: 10, max: 10 },
  waves: ['W1'],
  loadings: { SxC: [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.3] },
};

/** Runs {@link REVISE_ONLY_PILOT} through the API (units, wave, answers, close, publication, pilot run) and returns the pilot run's id. */
export async function reviseOnlyPilotRun(t: TestApp): Promise<number> {
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const panel = simulatePanel(REVISE_ONLY_PILOT, 1);
  for (const [i, unit] of panel.truth.units.entries()) {
    expect((await api().post('/api/v1/units').set(AUTH).send({ key: unit.unit, name: `Unit ${i + 1}`, context: unit.context })).status).toBe(201);
  }
  const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Pilot (revise only)', opensAt: at(-3_600_000), closesAt: at(86_400_000), unitKeys: panel.truth.units.map((u) => u.unit) });
  expect(wave.status, JSON.stringify(wave.body)).toBe(201);
  await answer(t.app, wave.body.id, panel, Object.fromEntries(panel.items.map((id) => [id, id])));
  expect((await api().post(`/api/v1/waves/${wave.body.id}/close`).set(AUTH)).status).toBe(200);
  await publishedRun(t.app, wave.body.id);
  const run = await api().post(`/api/v1/waves/${wave.body.id}/pilot`).set(AUTH).send({});
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  await t.app.services.analyses.idle();
  return run.body.id;
}
