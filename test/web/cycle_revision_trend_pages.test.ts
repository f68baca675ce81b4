import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { simulatePanel } from '../../analysis/index.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { answer, publishedRun } from '../server/scale_cycle.js';
import { REVISE_ONLY_PILOT, reviseOnlyPilotRun } from '../helpers/revise_only_pilot.js';
import { DESKTOP, listenOnLoopback, PHONE, SCREENSHOTS, signedInBrowser, visitFitting, type Browser, type LoopbackServer } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DIR = join(SCREENSHOTS, 'cycle');

let t: TestApp;
let served: LoopbackServer | undefined;
let url = '';
const pages: Record<string, string> = {};

/**
 * The pages of issue 13's last steps in Chromium at 1280×900 and 390×844 (no sideways scrolling),
 * on a pilot that only revises (SxC_8): the pilot run with its measurement model, the draft editor
 * with the pilot's reasons beside the item to revise, and, after the revision SxC_9 is published
 * and a follow-up wave on v2 runs, a unit report whose trend crosses from v1 to v2 on the 71
 * shared items. Screenshots under test-output/screenshots/cycle/.
 */
beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
  served = await listenOnLoopback(t.app);
  url = served.url;
  const api = () => request(t.app);
  const runId = await reviseOnlyPilotRun(t);
  pages.pilot = `/admin/analyses/${runId}`;
  expect((await api().post(`/api/v1/analyses/${runId}/draft`).set(AUTH).send({ version: 'v2' })).status).toBe(201);
  pages.editor = '/admin/instrument/v2';
}, 240_000);

afterAll(async () => {
  await served?.close();
  await t?.cleanup();
});

/** Writes the revision, publishes v2, runs a follow-up wave on it: the unit report of its first unit. */
async function followUpReport(): Promise<string> {
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();
  const revise = { action: 'revise', item: 'SxC_8', id: 'SxC_9', text: { en: 'How a decision is communicated across units is agreed before it is announced.', de: 'Wie eine Entscheidung über Einheiten hinweg mitgeteilt wird, ist vor ihrer Ankündigung vereinbart.' }, reason: 'Pilot: low loading.' };
  expect((await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes: [revise] })).status).toBe(200);
  const published = await api().post('/api/v1/instrument/versions/v2/publish').set(AUTH).send({});
  expect(published.status).toBe(200);
  const ids: string[] = published.body.items.filter((i: { cell: string | null }) => i.cell !== null).map((i: { id: string }) => i.id);
  t.clock.advance(2 * DAY);
  const panel = simulatePanel({ ...REVISE_ONLY_PILOT, loadings: {}, waves: ['W2'] }, 2);
  const units = panel.truth.units.map((u) => u.unit);
  const next = await api().post('/api/v1/waves').set(AUTH).send({ name: 'Follow-up', opensAt: at(-HOUR), closesAt: at(DAY), unitKeys: units, instrumentVersion: 'v2' });
  expect(next.status, JSON.stringify(next.body)).toBe(201);
  await answer(t.app, next.body.id, panel, Object.fromEntries(ids.map((id) => [id, id === 'SxC_9' ? 'SxC_8' : id])));
  expect((await api().post(`/api/v1/waves/${next.body.id}/close`).set(AUTH)).status).toBe(200);
  await publishedRun(t.app, next.body.id);
  return `/admin/waves/${next.body.id}/units/${units[0]}/report`;
}

/** A console page at this screen's width, with its screenshot (harness.ts `visitFitting`). */
const visit = (page: Page, path: string, name: string) => visitFitting(page, url, path, DIR, name);

const SIZES = [
  { label: '1280', device: DESKTOP },
  { label: '390', device: PHONE },
] as const;

describe.each(SIZES)('the pilot run and the draft editor at $label px (Chromium)', ({ label, device }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await signedInBrowser(url, device, ADMIN_TOKEN);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the pilot run with its measurement model and the draft editor with the reasons beside the item to revise', async () => {
    const page = await browser.page();
    await visit(page, pages.pilot, `01-pilot-revise-only-${label}`);
    expect(await page.getByTestId('pilot-model').textContent()).toContain('The loadings and AVE/CR/HTMT come from the CFA of each dimension');
    expect(await page.getByRole('button', { name: 'Make a draft from these verdicts' }).count()).toBe(1);
    await visit(page, pages.editor, `02-draft-editor-to-revise-${label}`);
    expect(await page.getByTestId('to-revise').textContent()).toContain('SxC_8');
    const note = page.getByTestId('revision-SxC_8');
    expect(await note.textContent()).toMatch(/standardized loading on SxC is 0\.3\d/);
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DIR, `02b-draft-editor-to-revise-${label}-item.png`) });
    expect(await page.locator('#item-SxC_8 select[name="action"]').inputValue()).toBe('revise');
    expect(await page.locator('#item-SxC_8 input[name="reason"]').inputValue()).toMatch(/^Pilot: its standardized loading/);
  }, 180_000);
});

describe.each(SIZES)('the unit report across versions at $label px (Chromium)', ({ label, device }) => {
  let browser: Browser;
  beforeAll(async () => {
    // Once for both sizes, after the editor's screenshots: the revision is written and v2 published, a follow-up runs on it.
    pages.unit ??= await followUpReport();
    browser = await signedInBrowser(url, device, ADMIN_TOKEN);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the unit report whose trend crosses from v1 to v2 on the shared items', async () => {
    const page = await browser.page();
    await visit(page, pages.unit, `03-unit-report-across-versions-${label}`);
    const statement = await page.getByTestId('trend-across-versions').textContent();
    expect(statement).toMatch(/^The trend crosses from version v1 to v2 at wave Follow-up: wave Pilot \(revise only\) and wave Follow-up are compared on the 71 items both versions share \(per cell: SxA 8, SxC 7,/);
    await page.locator('#trend-h').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DIR, `03b-unit-report-trend-${label}.png`) });
    expect(await page.locator('section[aria-labelledby="trend-h"]').innerHTML()).toContain('v2 from here · 71 shared items');
  }, 240_000);
});
