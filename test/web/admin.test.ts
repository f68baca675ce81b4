import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, seiAnswers, type ItemInfo } from '../server/answers.js';
import { ADMIN_TOKEN, api, launchBrowser, screenshot, startDemoServer, type Browser, type DemoServer } from './harness.js';

let server: DemoServer;
let browser: Browser;
let page: Page;

const SMALL = 'browser-small';
const BIG = 'browser-big';

/** Submits complete answer sets through the respondent API, as the survey page would. */
async function respond(urls: readonly string[], items: readonly ItemInfo[], seed: number): Promise<void> {
  const random = seeded(seed);
  for (const url of urls) {
    const token = url.split('/s/')[1];
    const res = await fetch(`${server.url}/api/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, answers: seiAnswers(items, random, 3 + random() * 3), complete: true }),
    });
    expect(res.status).toBe(201);
  }
}

/** Issues invitation links on the wave page and returns the links of the downloaded CSV. */
async function downloadLinks(unitKey: string, count: number): Promise<string[]> {
  await page.getByLabel('Unit', { exact: true }).selectOption(unitKey);
  await page.getByLabel('Links', { exact: true }).fill(String(count));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download links (CSV)' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^wave-\\d+-${unitKey}-links\\.csv$`));
  const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('unitKey,url');
  return lines.slice(1).map((l) => l.split(',')[1]);
}

async function html(path: string): Promise<{ status: number; text: string }> {
  const res = await page.request.get(`${server.url}${path}`);
  return { status: res.status(), text: await res.text() };
}

/** Every five-second refresh of the live section is waited for by polling the visible text. */
async function rowText(unitKey: string): Promise<string> {
  return (await page.locator(`#wave-live tr[data-unit="${unitKey}"]`).textContent()) ?? '';
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  page = await browser.page();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('admin console in Chromium', () => {
  let waveId = 0;

  it('signs in and lands on the console overview', async () => {
    const refused = await page.goto(`${server.url}/admin/waves`);
    expect(refused?.url()).toBe(`${server.url}/login?next=%2Fadmin%2Fwaves`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/admin/waves`);
    await page.goto(`${server.url}/admin`);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    expect(await page.locator('meta[name="csrf-token"]').getAttribute('content')).toMatch(/\S{20,}/);
    await screenshot(page, 'admin-01-overview');
  }, 60_000);

  it('creates units with the form and by CSV import, and shows the hierarchy', async () => {
    await page.goto(`${server.url}/admin/units`);
    await page.getByLabel('Key').fill(SMALL);
    await page.getByLabel('Name').fill('Browser small team');
    await page.getByLabel('Parent').selectOption('eng');
    await page.getByLabel('Context').fill('eng');
    await page.getByRole('button', { name: 'Create unit' }).click();
    expect(await page.locator('.flash.notice').textContent()).toContain(`Unit "${SMALL}" was created.`);
    await page.getByLabel('…or paste the CSV').fill(`key,name,parentKey,context,site\n${BIG},Browser big team,ops,ops,Berlin\n`);
    await page.getByRole('button', { name: 'Import units' }).click();
    expect(await page.locator('.flash.notice').textContent()).toContain('Imported 1 new');
    const tree = (await page.locator('[data-testid=unit-tree]').textContent()) ?? '';
    expect(tree).toContain(SMALL);
    expect(tree).toContain('site: Berlin');
    await page.getByLabel('…or paste the CSV').fill('key,name\nbad key!,X\n');
    await page.getByRole('button', { name: 'Import units' }).click();
    expect(await page.locator('.flash.error').textContent()).toMatch(/^Line 2: key/);
    await screenshot(page, 'admin-02-units');
  }, 60_000);

  it('creates a wave, issues links and sees the response rate rise under the minimum-group rule', async () => {
    await page.goto(`${server.url}/admin/waves`);
    await screenshot(page, 'admin-03-waves');
    await page.getByLabel('Name').fill('Browser wave');
    for (const box of await page.locator('input[name=unitKeys]').all()) await box.uncheck();
    await page.locator(`input[name=unitKeys][value="${SMALL}"]`).check();
    await page.locator(`input[name=unitKeys][value="${BIG}"]`).check();
    await page.getByRole('button', { name: 'Create wave' }).click();
    await page.waitForURL(/\/admin\/waves\/\d+\?notice=/);
    waveId = Number(/\/admin\/waves\/(\d+)/.exec(page.url())![1]);
    expect(await page.locator('[data-testid=wave-status]').textContent()).toBe('open');

    const big = await downloadLinks(BIG, 7);
    const small = await downloadLinks(SMALL, 3);
    expect(big).toHaveLength(7);
    expect(new Set([...big, ...small]).size).toBe(10);
    // The live section refreshes itself: the links issued show as invited.
    await expect.poll(() => rowText(BIG), { timeout: 20_000, interval: 1000 }).toMatch(/Browser big team\s*7\s*0\s*0%\s*0\s*0%\s*Hidden: fewer than 5 complete/);
    await screenshot(page, 'admin-04-wave-before');

    const instrument = await api<{ items: ItemInfo[] }>(server.url, 'GET', '/api/v1/instrument');
    await respond(big.slice(0, 3), instrument.body.items, 1);
    await respond(small.slice(0, 2), instrument.body.items, 2);
    await page.waitForTimeout(6000);
    expect(await rowText(BIG)).toContain('Hidden: fewer than 5 complete');
    await respond(big.slice(3, 6), instrument.body.items, 3);
    await expect.poll(() => rowText(BIG), { timeout: 20_000, interval: 1000 }).toContain('Reportable');
    const row = await rowText(BIG);
    expect(row).toMatch(/7\s*6\s*86%\s*6\s*86%/);
    expect(await page.locator('[data-testid=reportable-units]').textContent()).toBe('1');
    const smallRow = await rowText(SMALL);
    // Participation is not a result: the small unit's counts show, its results stay hidden.
    expect(smallRow).toMatch(/3\s*2\s*67%\s*2\s*67%\s*Hidden: fewer than 5 complete/);
    await screenshot(page, 'admin-05-wave-rates-risen');
  }, 120_000);

  it('publishes the wave when it closes, follows the analysis and opens the unit report', async () => {
    // An open wave offers no analysis: its results are published once, after it closes.
    expect(await page.getByRole('button', { name: 'Run the analysis' }).count()).toBe(0);
    expect(await page.getByTestId('published-after-close').count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Close wave' }).click();
    expect(await page.locator('.flash.notice').textContent()).toMatch(/The wave is closed/);
    await expect
      .poll(() => page.locator('[data-testid=analyses] tbody tr').first().getAttribute('data-status'), { timeout: 60_000, interval: 1000 })
      .toBe('done');
    await screenshot(page, 'admin-06-analysis-done');
    await page.locator('[data-testid=analyses]').getByRole('link', { name: 'Results' }).first().click();
    expect(await page.locator('h1').textContent()).toMatch(/Analysis #\d+/);
    expect(await page.locator('main').textContent()).not.toContain(SMALL);
    await screenshot(page, 'admin-07-analysis-results');

    await page.goto(`${server.url}/admin/waves/${waveId}`);
    await page.locator('[data-testid=unit-report-links]').getByRole('link', { name: 'Browser big team' }).click();
    expect(await page.locator('h1').textContent()).toBe('Unit report: Browser big team');
    // Cells, dimensions and levers, misalignment; no breakpoint chart without breakpoints.
    expect(await page.locator('figure.chart svg').count()).toBe(3);
    expect(await page.locator('[data-testid=aggregates] tbody tr').count()).toBe(1 + 3 + 3 + 9);
    await screenshot(page, 'admin-08-unit-report');
    const json = await page.request.get(`${server.url}/admin/waves/${waveId}/units/${BIG}/report?format=json`);
    expect(json.status()).toBe(200);
    const report = await json.json();
    expect(report.unit).toEqual({ key: BIG, name: 'Browser big team', n: 6, rollup: false });
    // Published: BIG and its parent ops (a roll-up of BIG alone); eng (SMALL's parent) and the root stay suppressed.
    expect(report.organisationUnits).toBe(2);
    expect(report.organisationN).toBe(6);
    const csv = await page.request.get(`${server.url}/admin/waves/${waveId}/units/${BIG}/report?format=csv`);
    expect((await csv.text()).split('\n')[0]).toBe('section,key,label,unit,organisation,difference,rwgj,detail');
  }, 120_000);

  it('opens the scale-developer report, which computes in the background', async () => {
    await page.goto(`${server.url}/admin/waves/${waveId}`);
    await page.getByTestId('scale-report-link').click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 5000 }).toContain('Scale-developer report');
    await expect.poll(() => page.locator('[data-testid=reliability-cells]').count(), { timeout: 150_000, interval: 2000 }).toBe(1);
    expect(await page.locator('[data-testid=item-statistics] tbody tr').count()).toBe(72);
    expect(await page.locator('[data-testid=icc] tbody tr').count()).toBe(3);
    await screenshot(page, 'admin-09-scale-report-small-wave');
  }, 180_000);

  it('shows nothing about a unit below the minimum group size anywhere', async () => {
    const pages = [
      '/admin',
      '/admin/reports',
      `/admin/analyses/${(await api<{ analyses: { id: number }[] }>(server.url, 'GET', `/api/v1/waves/${waveId}/analyses`)).body.analyses[0].id}`,
      `/admin/waves/${waveId}/units/${BIG}/report`,
      `/admin/waves/${waveId}/units/${BIG}/report?format=json`,
      `/admin/waves/${waveId}/units/${BIG}/report?format=csv`,
      `/admin/waves/${waveId}/scale-report`,
      `/admin/waves/${waveId}/scale-report?format=json`,
      `/admin/waves/${waveId}/scale-report?format=csv`,
      `/api/v1/waves/${waveId}/export`,
    ];
    for (const path of pages) {
      const { status, text } = await html(path);
      expect(status, path).toBe(200);
      expect(text, path).not.toContain(SMALL);
    }
    const report = await html(`/admin/waves/${waveId}/units/${SMALL}/report`);
    expect(report.status).toBe(404);
    expect(report.text).toContain('fewer than 5 respondents');
    expect(report.text).not.toMatch(/\b2 respondents\b/);
    // On the wave page the small unit's key appears only in its participation row (the closed wave has no invitation form).
    const wave = await html(`/admin/waves/${waveId}`);
    const mentions = wave.text.split(SMALL).length - 1;
    expect(mentions).toBe(1);
  }, 60_000);

  it('imports trace events for a unit and shows its breakpoints and interventions in the unit report', async () => {
    const monday = Date.UTC(2026, 0, 5, 9);
    const lines = ['unit,timestamp,type,key,ref'];
    for (let w = 0; w < 12; w++) {
      for (let i = 0; i < 10; i++) {
        const at = new Date(monday + w * 7 * 86_400_000 + i * 3_600_000).toISOString();
        lines.push(`eng-U1,${at},closed,W${w}-${i},`);
        if (w >= 3 && w < 9 && i < 4) lines.push(`eng-U1,${new Date(monday + w * 7 * 86_400_000 + i * 3_600_000 + 86_400_000).toISOString()},reopened,W${w}-${i},`);
      }
    }
    // The demo seeds one import per team; a refused import must leave that list as it was.
    const importList = async () =>
      (await page.getByTestId('trace-imports').count()) === 0 ? '' : ((await page.getByTestId('trace-imports').textContent()) ?? '');
    await page.goto(`${server.url}/admin/traces`);
    const before = await importList();
    await page.getByLabel('Unit', { exact: true }).selectOption('eng-U1');
    await page.getByLabel('…or paste it').fill('unit,timestamp,type,key,ref\neng-U1,yesterday,closed,X,\n');
    await page.getByRole('button', { name: 'Import events' }).click();
    expect(await page.locator('.flash.error').textContent()).toMatch(/line 2/);
    expect(await importList()).toBe(before);
    await page.getByLabel('Unit', { exact: true }).selectOption('eng-U1');
    await page.getByLabel('Source label (optional)').fill('browser-test.csv');
    await page.getByLabel('…or paste it').fill(lines.join('\n'));
    await page.getByRole('button', { name: 'Import events' }).click();
    expect(await page.locator('.flash.notice').textContent()).toContain(`Imported ${lines.length - 1} events for unit "eng-U1"`);
    expect(await page.getByTestId('trace-imports').textContent()).toContain('browser-test.csv');
    await screenshot(page, 'admin-10-traces');

    const waves = await api<{ waves: { id: number; name: string }[] }>(server.url, 'GET', '/api/v1/waves');
    const autumn = waves.body.waves.find((w) => w.name.startsWith('Autumn'))!;
    const reportUrl = `${server.url}/admin/waves/${autumn.id}/units/eng-U1/report`;
    await page.goto(reportUrl);
    // The diagnosis is stored with the run: traces imported since are named, with the offer to re-run.
    expect(await page.locator('.flash.warning').allTextContents()).toContainEqual(expect.stringContaining('were imported after this analysis ran; the diagnosis is as of the run'));
    await screenshot(page, 'admin-11a-unit-report-traces-since-the-run');
    await page.getByTestId('rerun-diagnosis').getByRole('button', { name: 'Re-run the analysis' }).click();
    await page.waitForURL(/\/admin\/waves\/\d+\?notice=/);
    for (let i = 0; i < 60; i++) {
      const runs = await api<{ analyses: { status: string }[] }>(server.url, 'GET', `/api/v1/waves/${autumn.id}/analyses`);
      if (runs.body.analyses.every((a) => a.status === 'done' || a.status === 'failed')) break;
      await page.waitForTimeout(500);
    }
    await page.goto(reportUrl);
    expect(await page.getByTestId('rerun-diagnosis').count()).toBe(0);
    const breakpoints = (await page.getByTestId('breakpoints').textContent()) ?? '';
    expect(breakpoints).toContain('Reopen rate');
    expect(breakpoints).toContain('2026-01-26');
    expect(await page.getByTestId('interventions').textContent()).toMatch(/breakpoint/);
    await screenshot(page, 'admin-11-unit-report-with-breakpoints');
  }, 120_000); // with a re-run of the wave's analysis
});
