import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, screenshot, startDemoServer, type Browser, type DemoServer } from './harness.js';

// Answers are saved debounced and at most once a second, with retries: on a loaded machine a save
// can take several seconds to be acknowledged, so the waits for it are generous (not a speed target).
const SAVE_WAIT = { timeout: 15_000, interval: 100 };

let server: DemoServer;
let browser: Browser;

/** The open demo wave and a fresh single-use link into it. */
async function invitation(unitKey = 'eng-U2'): Promise<string> {
  const waves = await api<{ waves: { id: number; status: string }[] }>(server.url, 'GET', '/api/v1/waves');
  const open = waves.body.waves.find((w) => w.status === 'open')!;
  const issued = await api<{ invitations: { url: string }[] }>(server.url, 'POST', `/api/v1/waves/${open.id}/invitations`, { unitKey, count: 1 });
  expect(issued.status).toBe(201);
  return issued.body.invitations[0].url;
}

/** The item id behind a SurveyJS question element (its `data-name`). */
async function itemIds(page: Page): Promise<string[]> {
  return page.locator('.sd-question').evaluateAll((qs) => qs.map((q) => q.getAttribute('data-name')!));
}

async function checkedValue(page: Page, item: string): Promise<string | null> {
  return page.locator(`input[type=radio][name^="${item}_sq_"]:checked`).evaluateAll((els) => (els.length ? (els[0] as HTMLInputElement).value : null));
}

/** Answers every question of the current page by clicking one of its buttons or labels (not "not applicable"); returns what was chosen. */
async function answerPage(page: Page, pick: (k: number) => number): Promise<Record<string, string>> {
  const chosen: Record<string, string> = {};
  const questions = page.locator('.sd-question');
  const ids = await itemIds(page);
  for (let k = 0; k < ids.length; k++) {
    const labels = questions.nth(k).locator('label.sd-rating__item, label.sd-selectbase__label');
    const choice = pick(k) % ((await labels.count()) - 1);
    await labels.nth(choice).click();
    chosen[ids[k]] = String(choice + 1);
  }
  return chosen;
}

async function pageTitle(page: Page): Promise<string> {
  return (await page.locator('.sd-page__title').first().textContent())?.trim() ?? '';
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('respondent page in Chromium', () => {
  it('answers half the survey, reloads and finds the answers, finishes and sees the confirmation', async () => {
    const url = await invitation();
    const page = await browser.page();
    await page.goto(url);
    await page.waitForSelector('.sd-question');
    expect(await page.locator('.privacy').textContent()).toContain('at least 5 people');
    await screenshot(page, 'respondent-01-first-page');

    const pages: string[] = [];
    const answered: Record<string, string>[] = [];
    const total = await page.evaluate(() => JSON.parse(document.getElementById('seici-config')!.textContent!).survey.pages.length as number);
    expect(total).toBeGreaterThanOrEqual(2);
    const half = Math.floor(total / 2);
    for (let p = 0; p < half; p++) {
      pages.push(await pageTitle(page));
      answered.push(await answerPage(page, (k) => k + p));
      await expect.poll(() => page.locator('#save-status').textContent(), SAVE_WAIT).toContain('saved');
      await page.locator('.sd-navigation__next-btn').click();
    }
    await expect.poll(() => page.locator('#save-status').textContent(), SAVE_WAIT).toContain('saved');
    await screenshot(page, 'respondent-02-half-saved');
    const lastVisited = await pageTitle(page);

    // The reload resumes at the page last visited, with the earlier pages' answers behind it.
    await page.reload();
    await page.waitForSelector('.sd-question');
    expect(await pageTitle(page)).toBe(lastVisited);
    await screenshot(page, 'respondent-03-resumed');
    for (let p = half - 1; p >= 0; p--) {
      await page.locator('.sd-navigation__prev-btn').click();
      expect(await pageTitle(page)).toBe(pages[p]);
      for (const [item, value] of Object.entries(answered[p])) expect(await checkedValue(page, item), item).toBe(value);
    }
    for (let p = 0; p < half; p++) await page.locator('.sd-navigation__next-btn').click();
    expect(await pageTitle(page)).toBe(lastVisited);

    // Finish the remaining pages and submit.
    for (let guard = 0; guard < 20; guard++) {
      await answerPage(page, (k) => k * 3);
      const complete = page.locator('.sd-navigation__complete-btn');
      if (await complete.isVisible()) {
        await complete.click();
        break;
      }
      await page.locator('.sd-navigation__next-btn').click();
    }
    await expect.poll(() => page.locator('.sd-completedpage').textContent(), { timeout: 10_000 }).toContain('Thank you');
    await screenshot(page, 'respondent-04-confirmation');

    // The link is used up: coming back shows a friendly page, not the survey.
    const again = await page.goto(url);
    expect(again?.status()).toBe(409);
    await expect.poll(() => page.locator('h1').textContent(), SAVE_WAIT).toContain('already answered');
    await screenshot(page, 'respondent-05-used-link');
    await page.close();
  }, 300_000);

  it('lets the keyboard alone answer a page', async () => {
    const url = await invitation('ops-U3');
    const page = await browser.page();
    await page.goto(url);
    await page.waitForSelector('.sd-question');
    const first = await pageTitle(page);
    const ids = await itemIds(page);
    // Tab into the first question's radio group.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const inRadio = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio');
      if (inRadio) break;
    }
    for (let k = 0; k < ids.length; k++) {
      const focused = await page.evaluate(() => document.activeElement!.closest('.sd-question')!.getAttribute('data-name'));
      expect(focused).toBe(ids[k]);
      // Arrow keys move through a radio group and select as they go: three steps from the first = the fourth anchor.
      await page.keyboard.press('Space');
      for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
    }
    const focusedNext = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    expect(focusedNext).toBe('Next');
    await screenshot(page, 'respondent-06-keyboard-page');
    await expect.poll(() => page.locator('#save-status').textContent(), SAVE_WAIT).toContain('saved');
    await page.keyboard.press('Enter');
    await expect.poll(() => pageTitle(page)).not.toBe(first);
    await expect.poll(() => page.locator('#save-status').textContent(), SAVE_WAIT).toContain('saved');

    // The reload resumes at the second page; the keyboard's answers are on the first.
    await page.reload();
    await page.waitForSelector('.sd-question');
    expect(await pageTitle(page)).not.toBe(first);
    await page.locator('.sd-navigation__prev-btn').click();
    expect(await pageTitle(page)).toBe(first);
    for (const item of ids) expect(await checkedValue(page, item), item).toBe('4');
    await page.close();
  }, 120_000);

  it('fits a phone screen', async () => {
    const url = await invitation('ops-U4');
    const page = await browser.page();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);
    await page.waitForSelector('.sd-question');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'respondent-08-phone');
    await page.close();
  }, 60_000);

  it('shows a friendly page for an unknown link', async () => {
    const page = await browser.page();
    const res = await page.goto(`${server.url}/s/not-a-real-token-000000000000`);
    expect(res?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').textContent()).toContain('not known');
    await screenshot(page, 'respondent-07-unknown-link');
    await page.close();
  });
});
