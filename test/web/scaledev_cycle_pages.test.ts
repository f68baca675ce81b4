import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { simulatePanel } from '../../analysis/index.js';
import { getInstrumentVersion } from '../../instrument/index.js';
import { PLANTED_PILOT } from '../helpers/planted_panel.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { answer, publishedRun } from '../server/scale_cycle.js';
import { DESKTOP, listenOnLoopback, PHONE, SCREENSHOTS, signedInBrowser, visitFitting, type Browser, type LoopbackServer } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DIR = join(SCREENSHOTS, 'scaledev');
const idByText = new Map(getInstrumentVersion('v1').items.map((i) => [i.text.en, i]));

let t: TestApp;
let served: LoopbackServer | undefined;
let url = '';
const pages: Record<string, string> = {};

/**
 * The scale developer's console pages of issue 13 in Chromium, on the planted pilot of the
 * end-to-end cycle (test/server/scale_cycle.ts): the pilot run page, the draft editor with its
 * change log, the comparison of v1 and the draft, the expert panel pages and the expert's own
 * page, each at 1280×900 and 390×844 (no sideways scrolling), with screenshots under
 * test-output/screenshots/scaledev/.
 */
beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
  served = await listenOnLoopback(t.app);
  url = served.url;
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

  // The planted pilot, closed, published and purified.
  const pilot = simulatePanel(PLANTED_PILOT, 11);
  for (const [i, unit] of pilot.truth.units.entries()) {
    expect((await api().post('/api/v1/units').set(AUTH).send({ key: unit.unit, name: `Unit ${i + 1}`, context: unit.context })).status).toBe(201);
  }
  const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Pilot', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: pilot.truth.units.map((u) => u.unit) });
  await answer(t.app, wave.body.id, pilot, Object.fromEntries(pilot.items.map((id) => [id, id])));
  expect((await api().post(`/api/v1/waves/${wave.body.id}/close`).set(AUTH)).status).toBe(200);
  await publishedRun(t.app, wave.body.id);
  const run = await api().post(`/api/v1/waves/${wave.body.id}/pilot`).set(AUTH).send({});
  await t.app.services.analyses.idle();
  pages.pilot = `/admin/analyses/${run.body.id}`;

  // The verdicts become draft v2; the non-invariant item gets new wording with the pilot's evidence, and an item is added.
  const draft = await api().post(`/api/v1/analyses/${run.body.id}/draft`).set(AUTH).send({ version: 'v2' });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const revise = draft.body.toRevise[0];
  const changes = [
    ...draft.body.changes.map((c: { itemId: string; reason: string; evidence: unknown }) => ({ action: 'retire', item: c.itemId, reason: c.reason, evidence: c.evidence })),
    {
      action: 'revise',
      item: revise.item,
      id: 'TxA_9',
      text: { en: 'The people who translate our plans into work across units are named and known.', de: 'Die Personen, die unsere Pläne über Einheiten hinweg in Arbeit übersetzen, sind benannt und bekannt.' },
      reason: `Pilot: ${revise.reasons.join('; ')}.`,
      evidence: revise.evidence,
    },
  ];
  expect((await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes })).status).toBe(200);
  pages.editor = '/admin/instrument/v2';
  pages.compare = '/admin/instrument/compare?from=v1&to=v2';

  // An expert panel on v1: four of five experts complete (SxA_3 barely relevant, RxC_5 sorted into R×A), then analysed.
  const panel = await api().post('/api/v1/panels').set(AUTH).send({ name: 'Content validity of v1' });
  const experts = (await api().post(`/api/v1/panels/${panel.body.id}/experts`).set(AUTH).send({ count: 5 })).body.experts as { token: string }[];
  for (const { token } of experts.slice(0, 4)) {
    const html = (await api().get(`/p/${token}`).set('Accept', 'text/html')).text;
    const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);
    const answers: Record<string, number | string> = {};
    for (const p of config.survey.pages) {
      for (const e of p.elements as { name: string; title: string }[]) {
        const item = idByText.get(e.title.replace(/^\d+\. /, ''))!;
        const prefix = e.name.replace(/_item$/, '');
        answers[`${prefix}_relevance`] = item.id === 'SxA_3' ? 2 : 4;
        answers[`${prefix}_essential`] = item.id === 'SxA_3' ? 'useful' : 'essential';
        answers[`${prefix}_cell`] = item.id === 'RxC_5' ? 'RxA' : item.cell!;
      }
    }
    expect((await api().post('/api/v1/panel-ratings').send({ token, answers, complete: true })).status).toBe(201);
  }
  expect((await api().post(`/api/v1/panels/${panel.body.id}/analyses`).set(AUTH).send({})).status).toBe(201);
  pages.panels = '/admin/panels';
  pages.panel = `/admin/panels/${panel.body.id}`;
  pages.expert = `/p/${experts[4].token}`;
}, 300_000);

afterAll(async () => {
  await served?.close();
  await t?.cleanup();
});

/** A console page at this screen's width, with its screenshot (harness.ts `visitFitting`). */
const visit = (page: Page, path: string, name: string) => visitFitting(page, url, path, DIR, name);

describe.each([
  { label: '1280', device: DESKTOP },
  { label: '390', device: PHONE },
])('the scale-development pages at $label px (Chromium)', ({ label, device }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await signedInBrowser(url, device, ADMIN_TOKEN);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the pilot run, the draft editor with its change log and the version comparison', async () => {
    const page = await browser.page();
    await visit(page, pages.pilot, `cycle-01-pilot-run-${label}`);
    await page.screenshot({ path: join(DIR, `cycle-01b-pilot-run-${label}-viewport.png`) });
    const flagged = await page.getByTestId('pilot-flagged').locator('tbody code').allTextContents();
    expect(flagged).toEqual(['SxA_3', 'RxC_5', 'TxA_2']);
    await visit(page, pages.editor, `cycle-02-draft-editor-${label}`);
    await page.screenshot({ path: join(DIR, `cycle-02a-draft-editor-${label}-top.png`) });
    await page.locator('code', { hasText: /^TxA_9$/ }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DIR, `cycle-02b-draft-editor-${label}-revised-item.png`) });
    const body = await page.locator('main').textContent();
    expect(body).toContain('TxA_9');
    expect(body).toMatch(/SxA_3/);
    expect(await page.locator(`a[href="${pages.pilot}"]`).count()).toBeGreaterThan(0);
    await visit(page, pages.compare, `cycle-03-compare-v1-v2-${label}`);
    expect(await page.locator('#from').inputValue()).toBe('v1');
    expect(await page.locator('#to').inputValue()).toBe('v2');
    expect(await page.locator('#to option[value="v2"]').textContent()).toBe('v2 (draft)');
    const compare = await page.locator('main').textContent();
    for (const id of ['SxA_3', 'RxC_5', 'TxA_2', 'TxA_9']) expect(compare).toContain(id);
  }, 180_000);

  it('shows the panel list, the panel with its progress and results, and the expert page', async () => {
    const page = await browser.page();
    await visit(page, pages.panels, `cycle-04-panels-${label}`);
    expect(await page.getByTestId('panels').textContent()).toContain('Content validity of v1');
    await visit(page, pages.panel, `cycle-05-panel-${label}`);
    expect(await page.getByTestId('panel-progress').textContent()).toContain('4 of 5 experts complete');
    const row = (item: string) => page.getByTestId('panel-items').locator('tr', { has: page.locator(`code:text-is("${item}")`) });
    expect(await row('SxA_3').textContent()).toMatch(/drop/);
    expect(await row('RxC_5').textContent()).toMatch(/revise/);
    const expert = await browser.page();
    await visit(expert, pages.expert, `cycle-06-expert-page-${label}`);
    await expert.waitForSelector('.sd-question');
    expect(await expert.locator('.privacy').textContent()).toContain('not as an anonymous respondent');
    await expert.screenshot({ path: join(DIR, `cycle-06-expert-page-${label}.png`), fullPage: true });
    await expert.screenshot({ path: join(DIR, `cycle-06b-expert-page-${label}-viewport.png`) });
  }, 180_000);
});
