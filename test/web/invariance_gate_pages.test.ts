import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { simulatePanel, type PanelSpec, type SimulatedPanel } from '../../analysis/index.js';
import { insertResponse } from '../../server/queries/responses.js';
import { findUnitsByKeys } from '../../server/queries/units.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { DESKTOP, listenOnLoopback, PHONE, SCREENSHOTS, signedInBrowser, visitFitting, type Browser, type LoopbackServer } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DIR = join(SCREENSHOTS, 'gate');

/** 26 units × 10 respondents; the 13 units of context `de` answer in German, whose RxC_3 reads +1 SD. */
const BILINGUAL: PanelSpec = {
  contexts: ['en', 'de'],
  unitsPerContext: 13,
  unitSize: { mean: 10, min: 10, max: 10 },
  waves: ['W'],
  nonInvariance: [{ context: 'de', items: ['RxC_3'], intercept: 1 }],
};

let t: TestApp;
let served: LoopbackServer | undefined;
let url = '';
const pages: Record<string, string> = {};

/**
 * Stores a panel's answer sets directly (as the demo seed does; the API path is
 * test/server/invariance_gates.test.ts), each in its unit's language.
 */
async function store(waveId: number, panel: SimulatedPanel) {
  const ids = new Map((await findUnitsByKeys(t.db, [...new Set(panel.unit)])).map((u) => [u.key, u.id]));
  await t.db.transaction(async (trx) => {
    for (const [r, row] of panel.answers.entries()) {
      await insertResponse(trx, {
        responseKey: randomBytes(16).toString('hex'),
        waveId,
        unitId: ids.get(panel.unit[r])!,
        role: null,
        locale: panel.context[r],
        answers: JSON.stringify(Object.fromEntries(panel.items.map((id, j) => [id, row[j]]))),
        complete: true,
        submissionHash: null,
        savedOn: t.clock.now.toISOString().slice(0, 10),
      });
    }
  });
}

/**
 * The console's marks of the gates across languages and waves in Chromium: the reports page and
 * the unit report of a wave whose German RxC_3 reads +1 SD (languages fail) and whose TxC_2 reads
 * +1 SD more than in the wave before (waves fail), at 1280×900 and 390×844 (no sideways
 * scrolling), with screenshots under test-output/screenshots/gate/.
 */
beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
  served = await listenOnLoopback(t.app);
  url = served.url;
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const first = simulatePanel(BILINGUAL, 3);
  for (const [i, unit] of first.truth.units.entries()) {
    expect((await api().post('/api/v1/units').set(AUTH).send({ key: unit.unit, name: `Unit ${i + 1}` })).status).toBe(201);
  }
  const unitKeys = first.truth.units.map((u) => u.unit);
  const second = simulatePanel({ ...BILINGUAL, nonInvariance: [...BILINGUAL.nonInvariance!, { context: 'en', items: ['TxC_2'], intercept: 1 }, { context: 'de', items: ['TxC_2'], intercept: 1 }] }, 4);
  const ids: number[] = [];
  for (const [name, panel, opens] of [['Spring', first, -2 * HOUR], ['Autumn', second, -HOUR]] as const) {
    const wave = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(opens), closesAt: at(DAY), unitKeys, locales: ['en', 'de'] });
    expect(wave.status, JSON.stringify(wave.body)).toBe(201);
    await store(wave.body.id, panel);
    expect((await api().post(`/api/v1/waves/${wave.body.id}/close`).set(AUTH)).status).toBe(200);
    await t.app.services.analyses.idle();
    ids.push(wave.body.id);
  }
  const report = (await api().get(`/api/v1/waves/${ids[1]}/report`).set(AUTH)).body;
  expect(report.waveComparison?.meansAcrossWaves, JSON.stringify(report.waveComparison)).toBe(false);
  expect(report.languageComparison?.meansAcrossLanguages).toBe(false);
  pages.reports = '/admin/reports';
  pages.unit = `/admin/waves/${ids[1]}/units/${unitKeys[0]}/report`;
}, 240_000);

afterAll(async () => {
  await served?.close();
  await t?.cleanup();
});

/** A console page at this screen's width, with its screenshot (harness.ts `visitFitting`). */
const visit = (page: Page, path: string, name: string) => visitFitting(page, url, path, DIR, name);

describe.each([
  { label: '1280', device: DESKTOP },
  { label: '390', device: PHONE },
])('the invariance gates in the console at $label px (Chromium)', ({ label, device }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await signedInBrowser(url, device, ADMIN_TOKEN);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('the reports page prints both gates as banners, and the unit report marks its differences and its drift', async () => {
    const page = await browser.page();
    await visit(page, pages.reports, `gate-01-reports-${label}`);
    expect(await page.getByTestId('language-gate').first().textContent()).toMatch(/^Means compare across languages \(de, en\): no \(Relational/);
    expect(await page.getByTestId('wave-gate').first().textContent()).toMatch(/^Changes since wave Spring .* are not justified: Translational/);
    await visit(page, pages.unit, `gate-02-unit-report-${label}`);
    await page.screenshot({ path: join(DIR, `gate-02b-unit-report-${label}-top.png`) });
    await expect.poll(() => page.getByTestId('language-gate').locator('h2').textContent()).toBe('Comparisons across languages are not justified in this wave');
    expect(await page.getByTestId('wave-gate').locator('h2').textContent()).toBe('Changes since the previous wave are not justified');
    expect(await page.getByTestId('drift-gate-mark').textContent()).toBe('not justified');
    expect(await page.getByTestId('gate-mark').getAttribute('title')).toBe('Not justified: the languages fail scalar invariance');
  }, 120_000);
});
