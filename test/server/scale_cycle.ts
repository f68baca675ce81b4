import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatePanel, type SimulatedPanel } from '../../analysis/index.js';
import { createApp, type App } from '../../server/app.js';
import { openDatabase, type Db } from '../../server/db.js';
import { CLEAN_FOLLOW_UP, PLANTED_PILOT } from '../helpers/planted_panel.js';
import { AUTH, openTestApp, type Backend, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PLANTED_ITEMS = ['RxC_5', 'SxA_3', 'TxA_2'];

/** Invites each unit's simulated respondents and submits their answers (item ids map to `ids`' columns). */
export async function answer(app: App, waveId: number, panel: SimulatedPanel, ids: Readonly<Record<string, string>>) {
  const byUnit = new Map<string, number[]>();
  panel.unit.forEach((u, i) => byUnit.set(u, [...(byUnit.get(u) ?? []), i]));
  for (const [unitKey, rows] of byUnit) {
    const links = await request(app).post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count: rows.length });
    expect(links.status, JSON.stringify(links.body)).toBe(201);
    for (const [k, row] of rows.entries()) {
      const answers = Object.fromEntries(Object.entries(ids).map(([id, column]) => [id, panel.answers[row][panel.items.indexOf(column)]]));
      const res = await request(app).post('/api/v1/responses').send({ token: links.body.invitations[k].token, answers, complete: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }
}

export async function publishedRun(app: App, waveId: number) {
  await app.services.analyses.idle();
  const list = await request(app).get(`/api/v1/waves/${waveId}/analyses`).set(AUTH);
  const wave = list.body.analyses.filter((a: { kind: string }) => a.kind === 'wave').at(-1);
  expect(wave?.status, JSON.stringify(wave)).toBe('done');
  return wave;
}

/**
 * Issue 13's scale-development cycle end to end through the API, on a `seici simulate` pilot with
 * three planted bad items: the pilot run marks exactly those three, its verdicts become a draft
 * (two retired with their evidence, the non-invariant one revised), the draft is published, a new
 * wave pinned to it asks none of the retired items, and its report compares scores with the pilot
 * wave on the shared items only and says so. The pilot wave's report ranks units within each
 * context only (its contexts fail scalar invariance), the follow-up's across contexts. The second
 * half runs in a new server process on the same database. One test file per store
 * (scale_cycle.sqlite.test.ts, scale_cycle.postgres.test.ts), so each stays near 30 s.
 */
export function scaleDevelopmentCycle(backend: Backend): void {
  describe(`the scale-development cycle on ${backend.label}`, () => {
    let t: TestApp;
    let restartedDb: Db | undefined;
    let restarted: App | undefined;
    const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

    beforeAll(async () => {
      if (backend.skip) return;
      t = await openTestApp(backend);
    });
    afterAll(async () => {
      if (restarted) {
        await restarted.services.analyses.idle();
        await restarted.services.responses.close();
      }
      await restartedDb?.destroy();
      await t?.cleanup();
    });

    it.skipIf(backend.skip)('pilot → verdicts → draft → published version → new wave → cross-version report, before and after a restart', async () => {
      const api = () => request(t.app);
      const pilotPanel = simulatePanel(PLANTED_PILOT, 11);
      for (const [i, unit] of pilotPanel.truth.units.entries()) {
        const res = await api().post('/api/v1/units').set(AUTH).send({ key: unit.unit, name: `Unit ${i + 1}`, context: unit.context });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const unitKeys = pilotPanel.truth.units.map((u) => u.unit);

      // The pilot wave on v1.
      const pilotWave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Pilot', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys });
      expect(pilotWave.status, JSON.stringify(pilotWave.body)).toBe(201);
      expect(pilotWave.body.instrumentVersion).toBe('v1');
      const pilotId = pilotWave.body.id as number;
      await answer(t.app, pilotId, pilotPanel, Object.fromEntries(pilotPanel.items.map((id) => [id, id])));
      // A pilot analysis needs the closed, published wave.
      const early = await api().post(`/api/v1/waves/${pilotId}/pilot`).set(AUTH).send({});
      expect(early.status).toBe(409);
      expect(early.body.error).toMatch(/still open/);
      expect((await api().post(`/api/v1/waves/${pilotId}/close`).set(AUTH)).status).toBe(200);
      await publishedRun(t.app, pilotId);

      // The pilot wave's report: its contexts fail scalar invariance (TxA_2), so no ranking across them.
      const pilotReport = await api().get(`/api/v1/waves/${pilotId}/report`).set(AUTH);
      expect(pilotReport.status).toBe(200);
      const gate = pilotReport.body.comparison;
      expect(gate.contexts).toEqual(['north', 'south']);
      expect(gate.meansAcrossContexts, JSON.stringify(gate.equivalence)).toBe(false);
      expect(gate.rankings.map((r: { scope: string }) => r.scope)).toEqual(['north', 'south']);
      for (const r of gate.rankings) expect(new Set(r.units.map((u: { context: string }) => u.context))).toEqual(new Set([r.scope]));
      expect(gate.statement).toMatch(/^Units are ranked within each context only: .*Translational: scalar invariance fails in full; scalar invariance holds only with TxA_2~1 released/);
      expect(gate.statement).toMatch(/may come from how the items are read there/);
      expect(pilotReport.body.crossVersion).toBeNull();
      // the console's reports page says the same, in the stored run's words
      const reportsPage = await api().get('/admin/reports').set(AUTH).set('Accept', 'text/html');
      expect(reportsPage.status).toBe(200);
      expect(reportsPage.text).toContain('Units are ranked within each context only');
      // and a unit report marks its comparison with the organisation (which pools the contexts) as not justified, saying why
      const unitPage = await api().get(`/admin/waves/${pilotId}/units/${unitKeys[0]}/report`).set(AUTH).set('Accept', 'text/html');
      expect(unitPage.status).toBe(200);
      const banner = /<div class="banner" role="note" data-testid="invariance-gate">([\s\S]*?)<\/div>/.exec(unitPage.text)![1];
      expect(banner).toContain('Comparisons across contexts are not justified in this wave');
      expect(banner).toContain('Units are ranked within each context only: ');
      expect(unitPage.text).toContain('data-testid="gate-mark"');

      // The pilot analysis, a stored run of kind pilot.
      const queued = await api().post(`/api/v1/waves/${pilotId}/pilot`).set(AUTH).send({});
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      expect(queued.body.kind).toBe('pilot');
      await t.app.services.analyses.idle();
      const run = await api().get(`/api/v1/analyses/${queued.body.id}`).set(AUTH);
      expect(run.body.status, run.body.error).toBe('done');
      const pilot = run.body.results;
      expect([...pilot.flagged].sort()).toEqual(PLANTED_ITEMS);
      const verdict = Object.fromEntries(pilot.items.map((i: { item: string; verdict: string; flags: string[] }) => [i.item, i]));
      expect(verdict.SxA_3.flags).toContain('wrong-cell');
      expect(verdict.SxA_3.verdict).toBe('drop');
      expect(verdict.RxC_5.flags).toContain('low-loading');
      expect(verdict.RxC_5.verdict).toBe('drop');
      expect(verdict.TxA_2.flags).toEqual(['non-invariant']);
      expect(verdict.TxA_2.verdict).toBe('revise');
      expect(pilot.items.filter((i: { verdict: string }) => i.verdict === 'keep')).toHaveLength(69);
      // The console shows the run: the flagged items with their reasons, and the action that makes a draft of them.
      const runPage = await api().get(`/admin/analyses/${queued.body.id}`).set(AUTH).set('Accept', 'text/html');
      expect(runPage.status).toBe(200);
      const flaggedTable = /<table class="data stack" data-testid="pilot-flagged">([\s\S]*?)<\/table>/.exec(runPage.text)![1];
      expect(flaggedTable.match(/<code>[A-Za-z_0-9]+<\/code>/g)).toEqual(['<code>SxA_3</code>', '<code>RxC_5</code>', '<code>TxA_2</code>']);
      expect(runPage.text).toContain('Make a draft from these verdicts');

      // The verdicts become a draft: the two items to drop are retired with the run as evidence.
      const draft = await api().post(`/api/v1/analyses/${queued.body.id}/draft`).set(AUTH).send({ version: 'v2' });
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      expect(draft.body).toMatchObject({ version: 'v2', status: 'draft', basedOn: 'v1' });
      const retired = draft.body.changes.map((c: { kind: string; itemId: string }) => [c.kind, c.itemId]);
      expect(retired).toEqual([['retire', 'SxA_3'], ['retire', 'RxC_5']]);
      expect(draft.body.changes[0].evidence.analysisId).toBe(queued.body.id);
      expect(draft.body.changes[0].reason).toMatch(/^Pilot: .*correlates more with TxV's score/);
      expect(draft.body.toRevise.map((r: { item: string }) => r.item)).toEqual(['TxA_2']);
      // The scale developer rewords the non-invariant item (a new id that records which item it revises).
      const changes = [
        ...draft.body.changes.map((c: { itemId: string; reason: string; evidence: unknown }) => ({ action: 'retire', item: c.itemId, reason: c.reason, evidence: c.evidence })),
        {
          action: 'revise',
          item: 'TxA_2',
          id: 'TxA_9',
          text: { en: 'The people who translate our plans into work across units are named and known.', de: 'Die Personen, die unsere Pläne über Einheiten hinweg in Arbeit übersetzen, sind benannt und bekannt.' },
          reason: `Pilot: ${draft.body.toRevise[0].reasons.join('; ')}.`,
          evidence: draft.body.toRevise[0].evidence,
        },
      ];
      const edited = await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      // The console's draft editor shows each change with a link to the pilot run that is its evidence.
      const editor = await api().get('/admin/instrument/v2').set(AUTH).set('Accept', 'text/html');
      expect(editor.status).toBe(200);
      expect(editor.text).toContain(`href="/admin/analyses/${queued.body.id}"`);
      const published = await api().post('/api/v1/instrument/versions/v2/publish').set(AUTH).send({});
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      const v2Ids: string[] = published.body.items.filter((i: { cell: string | null }) => i.cell !== null).map((i: { id: string }) => i.id);
      expect(v2Ids).toHaveLength(70);
      for (const gone of PLANTED_ITEMS) expect(v2Ids).not.toContain(gone);
      expect(v2Ids).toContain('TxA_9');

      // A new server process on the same database takes over.
      await t.app.services.analyses.stop();
      restartedDb = openDatabase(t.config);
      restarted = createApp({ db: restartedDb, config: t.config, clock: t.clock.read });
      const again = () => request(restarted!);
      const storedRun = await again().get(`/api/v1/analyses/${queued.body.id}`).set(AUTH);
      expect(storedRun.body.results.flagged).toEqual(pilot.flagged);

      // The next wave is pinned to v2; its questionnaire lacks the retired and revised items.
      t.clock.advance(2 * DAY);
      const next = await again().post('/api/v1/waves').set(AUTH).send({ name: 'Follow-up', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys, instrumentVersion: 'v2' });
      expect(next.status, JSON.stringify(next.body)).toBe(201);
      const nextId = next.body.id as number;
      const probe = await again().post(`/api/v1/waves/${nextId}/invitations`).set(AUTH).send({ unitKey: unitKeys[0], count: 1 });
      const page = await again().get(`/s/${probe.body.invitations[0].token}`).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      const asked = JSON.stringify(JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]).survey);
      for (const gone of PLANTED_ITEMS) expect(asked).not.toContain(`"${gone}"`);
      expect(asked).toContain('"TxA_9"');
      expect(asked).toContain('"SxA_4"');
      const followUp = simulatePanel(CLEAN_FOLLOW_UP, 12);
      // The revision TxA_9 is answered like a clean TxA item (the simulated follow-up's TxA_2 column).
      await answer(restarted, nextId, followUp, Object.fromEntries(v2Ids.map((id) => [id, id === 'TxA_9' ? 'TxA_2' : id])));
      expect((await again().post(`/api/v1/waves/${nextId}/close`).set(AUTH)).status).toBe(200);
      await publishedRun(restarted, nextId);

      // Its report compares scores with the pilot wave on the 69 shared items only, and says so.
      const report = await again().get(`/api/v1/waves/${nextId}/report`).set(AUTH);
      expect(report.status).toBe(200);
      const cv = report.body.crossVersion;
      expect(cv.earlierWave).toEqual({ label: String(pilotId), name: 'Pilot', version: 'v1' });
      expect(cv.currentVersion).toBe('v2');
      expect(cv.shared.comparable).toBe(true);
      expect(cv.shared.items).toHaveLength(69);
      for (const gone of [...PLANTED_ITEMS, 'TxA_9']) expect(cv.shared.items).not.toContain(gone);
      expect(Object.fromEntries(cv.shared.cells.map((c: { cell: string; shared: number }) => [c.cell, c.shared]))).toEqual({ SxA: 7, SxC: 8, SxV: 8, RxA: 8, RxC: 7, RxV: 8, TxA: 7, TxC: 8, TxV: 8 });
      expect(cv.statement).toMatch(/^Compared with wave Pilot \(version v1\) on the 69 items that versions v1 and v2 share \(per cell: SxA 7, SxC 8/);
      expect(cv.statement).toMatch(/4 items not in both \(SxA_3, RxC_5, TxA_2, TxA_9\) are left out of both waves' scores/);
      expect((await api().get('/admin/reports').set(AUTH).set('Accept', 'text/html')).text).toContain('on the 69 items that versions v1 and v2 share');
      expect(cv.units).toHaveLength(40);
      expect(cv.withheld).toEqual([]);
      // Each wave's shared-item score covers exactly the respondents of its publication.
      const pilotUnits = new Map(pilotReport.body.units.map((u: { unitKey: string; n: number }) => [u.unitKey, u.n]));
      const nextUnits = new Map(report.body.units.map((u: { unitKey: string; n: number }) => [u.unitKey, u.n]));
      for (const u of cv.units) {
        expect(u.earlier.n).toBe(pilotUnits.get(u.unitKey));
        expect(u.current.n).toBe(nextUnits.get(u.unitKey));
        expect(u.change.seiCi).toBeCloseTo(u.current.seiCi - u.earlier.seiCi, 12);
      }
      // Misalignment and drift on the shared items too: z of each dimension against the pilot's units
      // (mean, SD with n − 1), M the SD of a unit-wave's three z (n − 1), drift M now − M then.
      const dims = ['structural', 'relational', 'translational'] as const;
      const sd = (xs: number[]) => {
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
      };
      const base = dims.map((d) => {
        const xs = cv.units.map((u: { earlier: { dimensions: Record<string, number> } }) => u.earlier.dimensions[d]);
        return { mean: xs.reduce((a: number, b: number) => a + b, 0) / xs.length, sd: sd(xs) };
      });
      const mOf = (s: { dimensions: Record<string, number> }) => sd(dims.map((d, k) => (s.dimensions[d] - base[k].mean) / base[k].sd));
      for (const u of cv.units) {
        expect(Math.abs(u.earlier.misalignment - mOf(u.earlier)), u.unitKey).toBeLessThan(1e-9);
        expect(Math.abs(u.current.misalignment - mOf(u.current)), u.unitKey).toBeLessThan(1e-9);
        expect(Math.abs(u.change.misalignment - (mOf(u.current) - mOf(u.earlier))), u.unitKey).toBeLessThan(1e-9);
      }
      // The follow-up holds scalar invariance across the contexts: one ranking over all units.
      expect(report.body.comparison.meansAcrossContexts, report.body.comparison.statement).toBe(true);
      expect(report.body.comparison.rankings).toHaveLength(1);
      expect(report.body.comparison.rankings[0].units).toHaveLength(40);
      const nextUnitPage = await again().get(`/admin/waves/${nextId}/units/${unitKeys[0]}/report`).set(AUTH).set('Accept', 'text/html');
      expect(nextUnitPage.status).toBe(200);
      expect(nextUnitPage.text).not.toContain('data-testid="invariance-gate"');
      // The unit report's trend crosses the version boundary on the shared items (read from the stored
      // comparison), marks the boundary on its chart and says how many shared items per cell it used.
      const unitJson = await again().get(`/admin/waves/${nextId}/units/${unitKeys[0]}/report?format=json`).set(AUTH);
      const across = unitJson.body.acrossVersions;
      const cvUnit = cv.units.find((u: { unitKey: string }) => u.unitKey === unitKeys[0]);
      expect(across).toEqual({
        earlierWave: { id: pilotId, name: 'Pilot', version: 'v1' },
        boundaryWave: { id: nextId, name: 'Follow-up', version: 'v2' },
        comparable: true,
        sharedItems: 69,
        perCell: cv.shared.cells.map((c: { cell: string; shared: number }) => ({ cell: c.cell, shared: c.shared })),
        earlier: { n: cvUnit.earlier.n, misalignment: cvUnit.earlier.misalignment },
        atBoundary: { n: cvUnit.current.n, misalignment: cvUnit.current.misalignment },
        drift: cvUnit.change.misalignment,
        statement: expect.stringMatching(/^The trend crosses from version v1 to v2 at wave Follow-up: wave Pilot and wave Follow-up are compared on the 69 items both versions share \(per cell: SxA 7, SxC 8, SxV 8, RxA 8, RxC 7, RxV 8, TxA 7, TxC 8, TxV 8\), so their M is computed on those items only; drift across the versions [+−]\d\.\d\d\. Waves after the boundary use all items of v2\.$/),
      });
      expect(unitJson.body.trend.map((t: { waveId: number; sharedItemsOf?: string; misalignment: number }) => [t.waveId, t.sharedItemsOf ?? null])).toEqual([[pilotId, 'v1'], [nextId, null]]);
      expect(unitJson.body.trend[0].misalignment).toBe(cvUnit.earlier.misalignment);
      expect(nextUnitPage.text).toContain('data-testid="trend-across-versions">The trend crosses from version v1 to v2 at wave Follow-up');
      expect(nextUnitPage.text).toContain('version v1, M on the shared items');
      expect(nextUnitPage.text).toContain('M on shared items');
      expect(nextUnitPage.text).toContain('v2 from here · 69 shared items');
      // The first server reads the same stored report.
      expect((await api().get(`/api/v1/waves/${nextId}/report`).set(AUTH)).body.crossVersion).toEqual(cv);
    }, 600_000);
  });
}
