import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signIn, startDemoServer, type Browser, type DemoServer } from './harness.js';

let server: DemoServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  page = await browser.page();
  await signIn(page, server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('imports and exports in the console', () => {
  it('lists every bad line of a pasted semicolon file and keeps the pasted text in the form; then imports it once corrected', async () => {
    const pasted = 'key;name;context\nimp-ok;Vertrieb Nord;de\nbad key;Einkauf;de\nimp-2;;de\n';
    for (const [width, height, name] of [[1280, 900, 'desktop'], [390, 844, 'phone']] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}/admin/units`);
      await page.getByLabel('…or paste the CSV').fill(pasted);
      await page.getByRole('button', { name: 'Import units' }).click();
      const alert = page.locator('#units-csv-error');
      await expect.poll(() => alert.textContent()).toMatch(/^2 lines cannot be imported, so nothing was stored: Line 3: key may contain only .*; Line 4: name .*\.$/);
      // The form's fields are read trimmed, so only the final line break is gone.
      expect(await page.getByLabel('…or paste the CSV').inputValue()).toBe(pasted.trimEnd());
      await alert.scrollIntoViewIfNeeded();
      await screenshot(page, `exports/units-import-error-${name}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel('…or paste the CSV').fill('key;name;context\nimp-ok;Vertrieb Nord;de\nimp-2;Einkauf, Süd;de\n');
    await page.getByRole('button', { name: 'Import units' }).click();
    await page.waitForURL(/\/admin\/units\?notice=/);
    expect(await page.locator('.flash').first().textContent()).toContain('Imported 2 new and 0 updated units.');
  }, 60_000);

  it('lists every bad line of a trace import and keeps the unit, format, source and text', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/admin/traces`);
    const pasted = 'unit;timestamp;type;key;ref\neng-U2;yesterday;closed;X-1;\neng-U2;2026-01-06T09:00:00Z;closed;X-2;\neng-U2;2026-01-07T09:00:00Z;teleport;X-3;';
    await page.getByLabel('Unit', { exact: true }).selectOption('eng-U2');
    await page.getByLabel('Source label (optional)').fill('paste.csv');
    await page.getByLabel('…or paste it').fill(pasted);
    await page.getByRole('button', { name: 'Import events' }).click();
    await expect.poll(() => page.locator('#trace-error').textContent()).toMatch(/^2 lines cannot be imported, so nothing was stored: events line 2: .*; events line 4: .*teleport.*\.$/);
    expect(await page.getByLabel('…or paste it').inputValue()).toBe(pasted);
    expect(await page.getByLabel('Unit', { exact: true }).inputValue()).toBe('eng-U2');
    expect(await page.getByLabel('Source label (optional)').inputValue()).toBe('paste.csv');
    await page.locator('#trace-error').scrollIntoViewIfNeeded();
    await screenshot(page, 'exports/traces-import-error-desktop');
  }, 60_000);

  it('offers CSV, SPSS, Stata and R downloads with both codebook tables', async () => {
    for (const [width, height, name] of [[1280, 900, 'desktop'], [390, 844, 'phone']] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}/admin/exports`);
      expect(await page.getByRole('heading', { name: 'What the files hold' }).isVisible()).toBe(true);
      await screenshot(page, `exports/exports-${name}`);
    }
    const codebook = page.getByRole('link', { name: 'value labels' }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), codebook.click()]);
    expect(download.suggestedFilename()).toMatch(/^wave-\d+-value-labels\.csv$/);
  }, 60_000);
});
