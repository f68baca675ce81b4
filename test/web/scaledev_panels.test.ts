import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUMENT_V1, seiItems } from '../../instrument/index.js';
import { api, launchBrowser, SCREENSHOTS, signIn, startDemoServer, type Browser, type DemoServer } from './harness.js';
import type { Page } from 'playwright-core';

let server: DemoServer;
let browser: Browser;
const idByText = new Map(seiItems(INSTRUMENT_V1).map((i) => [i.text.en, i]));

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  mkdirSync(join(SCREENSHOTS, 'scaledev'), { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, 'scaledev', `${name}.png`), fullPage: true });
}

/** An expert's complete ratings: every item highly relevant and essential and sorted into its cell, except SxA_3 (barely relevant to all). */
async function rate(url: string): Promise<number> {
  const token = url.split('/p/')[1];
  const page = await fetch(url, { headers: { Accept: 'text/html' } }).then((r) => r.text());
  const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page)![1]);
  const answers: Record<string, number | string> = {};
  for (const p of config.survey.pages) {
    for (const e of p.elements as { name: string; title: string }[]) {
      const item = idByText.get(e.title.replace(/^\d+\. /, ''))!;
      const prefix = e.name.replace(/_item$/, '');
      answers[`${prefix}_relevance`] = item.id === 'SxA_3' ? 1 : 4;
      answers[`${prefix}_essential`] = item.id === 'SxA_3' ? 'useful' : 'essential';
      answers[`${prefix}_cell`] = item.cell!;
    }
  }
  const res = await fetch(`${new URL(url).origin}/api/v1/panel-ratings`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, answers, complete: true }) });
  return res.status;
}

describe('expert panels in the console (Chromium)', () => {
  it('creates a panel, invites experts, shows the ratings progress and the CVI, CVR and item-sort results, at 1280×900 and 390×844', async () => {
    const page = await browser.page();
    await signIn(page, server.url);
    await page.goto(`${server.url}/admin/panels`);
    await page.getByLabel('Name').fill('Content validity of v1');
    await page.getByRole('button', { name: 'Create panel' }).click();
    await page.waitForURL(/\/admin\/panels\/\d+/);
    const panelPath = new URL(page.url()).pathname;
    await page.getByLabel('Invite').fill('6');
    await page.getByRole('button', { name: 'Create links' }).click();
    const links = await page.getByTestId('panel-links').locator('code').allTextContents();
    expect(links).toHaveLength(6);
    expect(await page.getByTestId('panel-progress').textContent()).toContain('0 of 6 experts complete');
    await shot(page, 'panel-01-invited-1280');

    // Five of the six experts complete their ratings; the console shows the progress.
    for (const url of links.slice(0, 5)) expect(await rate(url.replace(/^https?:\/\/[^/]+/, server.url))).toBe(201);
    await page.goto(`${server.url}${panelPath}`);
    expect(await page.getByTestId('panel-progress').textContent()).toContain('5 of 6 experts complete');
    await page.getByRole('button', { name: /Analyse the 5 complete rating sets/ }).click();
    await page.waitForSelector('[data-testid=panel-items]');
    const row = (item: string) => page.getByTestId('panel-items').locator('tr', { has: page.locator(`code:text-is("${item}")`) });
    // SxA_3: no expert rated it relevant (I-CVI 0), none essential (CVR −1, below the exact critical 1.00 for N = 5): drop.
    expect(await row('SxA_3').textContent()).toMatch(/S×A\s*0\.00\s*−1\.00\s*1\.00\s*1\.00\s*1\.00\s*drop/);
    expect(await row('SxA_1').textContent()).toMatch(/S×A\s*1\.00\s*1\.00\s*1\.00\s*1\.00\s*1\.00\s*keep/);
    // S-CVI of S×A: 7 of 8 items with I-CVI 1, one with 0: Ave = UA = .875.
    expect(await page.getByTestId('panel-cells').locator('tr', { hasText: 'S×A' }).textContent()).toMatch(/S×A\s*0\.88\s*0\.88/);
    await shot(page, 'panel-02-results-1280');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}${panelPath}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, 'panel-03-results-390');
    await page.getByTestId('panel-cells').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'scaledev', 'panel-03b-results-390-viewport.png') });
    await page.goto(`${server.url}/admin/panels`);
    expect(await page.getByTestId('panels').textContent()).toContain('Content validity of v1');
    await shot(page, 'panel-04-list-390');

    const progress = await api<{ experts: unknown }>(server.url, 'GET', `/api/v1${panelPath.replace('/admin', '')}`);
    expect(progress.body.experts).toEqual({ invited: 6, started: 5, complete: 5 });
  }, 180_000);
});
