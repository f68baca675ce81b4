import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, screenshot, startDemoServer, type Browser, type DemoServer } from './harness.js';

let server: DemoServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('expert panel page in Chromium', () => {
  it('shows the blind rating task, takes a page of ratings and saves them', async () => {
    const panel = await api<{ id: number }>(server.url, 'POST', '/api/v1/panels', { name: 'Browser panel' });
    expect(panel.status).toBe(201);
    const invited = await api<{ experts: { url: string }[] }>(server.url, 'POST', `/api/v1/panels/${panel.body.id}/experts`, { count: 1 });
    const page = await browser.page();
    await page.goto(invited.body.experts[0].url);
    await page.waitForSelector('.sd-question');
    expect(await page.locator('.privacy').textContent()).toContain('not as an anonymous respondent');
    await screenshot(page, 'panel-01-first-page');
    const relevance = page.locator('.sd-question').filter({ has: page.locator('input[type=radio][name*="_relevance"]') });
    const essential = page.locator('.sd-question').filter({ has: page.locator('input[type=radio][name*="_essential"]') });
    const n = await relevance.count();
    expect(n).toBe(8);
    for (let k = 0; k < n; k++) {
      await relevance.nth(k).locator('label.sd-selectbase__label').nth(3).click();
      await essential.nth(k).locator('label.sd-selectbase__label').nth(0).click();
    }
    await page.locator('.sd-navigation__next-btn').click();
    await expect.poll(() => page.locator('#save-status').textContent()).toContain('saved');
    const progress = await api<{ experts: { started: number; complete: number } }>(server.url, 'GET', `/api/v1/panels/${panel.body.id}`);
    expect(progress.body.experts).toEqual({ invited: 1, started: 1, complete: 0 });
  });
});
