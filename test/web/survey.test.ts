import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGREEMENT_7, INSTRUMENT_V1, NOT_APPLICABLE_LABEL } from '../../instrument/index.js';
import { respondentTexts } from '../../server/respondent/texts.js';
import { api, CHROMIUM, SCREENSHOTS, startDemoServer, type DemoServer } from './harness.js';

/**
 * The respondent's survey page (issue 14) in Chromium, on a 390 × 844 phone (isMobile, touch)
 * and a 1280 × 900 screen: the phone-first rating question, answers kept as they are given,
 * the failed-save notice, the closed wave, the skipped-page question, the German page, the
 * first load's weight, focus after Next. Screenshots go to test-output/screenshots/survey/.
 */
const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false },
] as const;
type Device = (typeof DEVICES)[number];

const SHOTS = join(SCREENSHOTS, 'survey');
const ENDPOINT = '/api/v1/responses';

let server: DemoServer;
let chrome: PlaywrightBrowser;

beforeAll(async () => {
  server = await startDemoServer();
  chrome = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

async function device(d: Device, locale = 'en-GB'): Promise<BrowserContext> {
  return chrome.newContext({ viewport: d.viewport, isMobile: d.isMobile, hasTouch: d.hasTouch, locale, deviceScaleFactor: 1 });
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function openWaveId(): Promise<number> {
  const waves = await api<{ waves: { id: number; status: string; name: string }[] }>(server.url, 'GET', '/api/v1/waves');
  return waves.body.waves.find((w) => w.status === 'open')!.id;
}

let unitCounter = 0;
const UNITS = ['eng-U1', 'eng-U2', 'eng-U3', 'eng-U4', 'ops-U1', 'ops-U2', 'ops-U3', 'ops-U4'];
/** A fresh single-use link into a wave (the demo's open wave unless another is named). */
async function link(waveId?: number, unitKey = UNITS[unitCounter++ % UNITS.length]): Promise<string> {
  const wave = waveId ?? (await openWaveId());
  const issued = await api<{ invitations: { url: string }[] }>(server.url, 'POST', `/api/v1/waves/${wave}/invitations`, { unitKey, count: 1 });
  expect(issued.status).toBe(201);
  return issued.body.invitations[0].url;
}

/** Taps on a touch screen, clicks elsewhere, as a person would. */
async function press(d: Device, target: Locator): Promise<void> {
  if (d.hasTouch) await target.tap();
  else await target.click();
}

const questions = (page: Page) => page.locator('.sd-question');
/** The rating button of a question for a value (1…7, or "none" for "not applicable / don't know"). */
const button = (question: Locator, value: string) => question.locator(`label.sd-rating__item:has(input[value="${value}"])`);
const itemOf = (question: Locator) => question.getAttribute('data-name') as Promise<string>;
async function chosen(question: Locator): Promise<string | null> {
  return question.locator('input[type=radio]:checked').evaluateAll((els) => (els.length ? (els[0] as HTMLInputElement).value : null));
}
async function pageName(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.sd-page__title')?.textContent ?? '').trim());
}
async function waitSaved(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#save-status').textContent(), { timeout: 15_000 }).toBe(respondentTexts('en').client.saved);
}

describe.each(DEVICES)('the survey page on a $name', (d) => {
  it('shows a rating question as one line of buttons, anchors at its ends, "not applicable" apart, within 300 px on a phone; progress counts items', async () => {
    const context = await device(d);
    const page = await context.newPage();
    await page.goto(await link());
    await page.waitForSelector('.sd-rating');
    const ratings = questions(page).filter({ has: page.locator('.sd-rating') });
    const n = await ratings.count();
    expect(n).toBeGreaterThanOrEqual(20);
    const boxes = await ratings.evaluateAll((qs) =>
      qs.map((q) => {
        const items = [...q.querySelectorAll('label.sd-rating__item')].map((l) => l.getBoundingClientRect());
        const rect = (sel: string) => q.querySelector(sel)!.getBoundingClientRect();
        return { height: q.getBoundingClientRect().height, items: items.map((r) => ({ top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height })), min: rect('.sd-rating__min-text'), max: rect('.sd-rating__max-text') };
      }),
    );
    for (const b of boxes) {
      const points = b.items.slice(0, 7);
      const na = b.items[7];
      // One line: the seven scale points share a top; each is a tappable size.
      for (const p of points) {
        expect(Math.abs(p.top - points[0].top)).toBeLessThan(1);
        expect(p.height).toBeGreaterThanOrEqual(d.isMobile ? 44 : 32);
        expect(p.width).toBeGreaterThanOrEqual(d.isMobile ? 36 : 32);
      }
      // The anchors sit at the line's two ends.
      expect(b.min.left).toBeLessThanOrEqual(points[0].left + 1);
      expect(b.max.right).toBeGreaterThanOrEqual(points[6].right - 1);
      // "Not applicable" is set apart: below the line on a phone, after a gap on a desktop.
      if (d.isMobile) expect(na.top).toBeGreaterThan(points[0].bottom + 10);
      else expect(na.left).toBeGreaterThan(points[6].right + 8);
      if (d.isMobile) expect(b.height).toBeLessThanOrEqual(300);
      // A desktop row of the matrix: no taller than its three lines of text.
      else expect(b.height).toBeLessThanOrEqual(110);
    }
    const first = ratings.first();
    // Screen readers hear the full label; the button shows the number.
    expect(await first.locator('input[value="1"]').getAttribute('aria-label')).toBe(`1 – ${AGREEMENT_7.anchors[0].label.en}`);
    expect(await first.locator('input[value="7"]').getAttribute('aria-label')).toBe(`7 – ${AGREEMENT_7.anchors[6].label.en}`);
    expect(await first.locator('input[value="none"]').getAttribute('aria-label')).toBe(NOT_APPLICABLE_LABEL.en);
    expect((await button(first, '4').textContent())?.trim()).toBe('4');
    expect(await first.locator('fieldset').getAttribute('role')).toBe('radiogroup');
    expect(await first.locator('.sd-rating__min-text').textContent()).toBe(AGREEMENT_7.anchors[0].label.en);

    // Progress counts items, not pages.
    const total = INSTRUMENT_V1.items.length;
    await expect.poll(() => page.locator('.sd-progress__text').first().textContent()).toContain(`0/${total}`);
    await press(d, button(first, '5'));
    await press(d, button(ratings.nth(1), 'none'));
    await expect.poll(() => page.locator('.sd-progress__text').first().textContent()).toContain(`2/${total}`);
    expect(await chosen(first)).toBe('5');
    // Pressing the chosen button again keeps the answer (it is not cleared by a second tap).
    await press(d, button(first, '5'));
    expect(await chosen(first)).toBe('5');
    await shot(page, `${d.name}-01-rating-questions`);
    await first.evaluate((q) => q.scrollIntoView());
    await shot(page, `${d.name}-02-rating-answered`);
    await waitSaved(page);
    await context.close();
  }, 120_000);

  it('saves answers as they are given (at most one request a second) and a reload restores every answer and the page, without Next', async () => {
    const context = await device(d);
    const page = await context.newPage();
    const sent: { at: number; body: { answers: Record<string, number | null>; page?: string } }[] = [];
    // When the browser started each save request (its own clock, not the test's event loop).
    page.on('requestfinished', (r) => {
      if (r.url().endsWith(ENDPOINT) && r.method() === 'POST') sent.push({ at: r.timing().startTime, body: r.postDataJSON() });
    });
    const url = await link();
    await page.goto(url);
    await page.waitForSelector('.sd-rating');
    const given: Record<string, string> = {};
    for (let k = 0; k < 8; k++) {
      const q = questions(page).nth(k);
      const value = k === 3 ? 'none' : String((k % 7) + 1);
      await press(d, button(q, value));
      expect(await chosen(q)).toBe(value);
      given[await itemOf(q)] = value;
    }
    await waitSaved(page);
    // Saved while answering, not at a page change; never two requests within a second.
    expect(sent.length).toBeGreaterThanOrEqual(1);
    sent.sort((a, b) => a.at - b.at);
    for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(1000);
    const last = sent[sent.length - 1].body;
    for (const [item, value] of Object.entries(given)) expect(last.answers[item]).toBe(value === 'none' ? null : Number(value));
    expect(last.page).toBe('sei-structural');

    // The server holds "not applicable" as its own code (null), apart from a skipped item (absent).
    const rows = await server.running.db('responses').where({ complete: false }).select('answers', 'resume_page');
    const mine = rows.map((r: { answers: string; resume_page: string }) => ({ answers: JSON.parse(r.answers), page: r.resume_page })).find((r: { answers: Record<string, unknown> }) => Object.keys(given).every((id) => id in r.answers));
    expect(mine).toBeDefined();
    expect(Object.keys(mine!.answers).sort()).toEqual(Object.keys(given).sort());
    expect(Object.values(mine!.answers).filter((v) => v === null)).toHaveLength(1);

    await page.reload();
    await page.waitForSelector('.sd-rating');
    for (const [item, value] of Object.entries(given)) expect(await chosen(page.locator(`.sd-question[data-name="${item}"]`)), item).toBe(value);
    await shot(page, `${d.name}-03-restored-after-reload`);

    // The page is kept on the server too: answer on page 2, reload, and page 2 opens again.
    const firstPage = await pageName(page);
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => pageName(page)).not.toBe(firstPage);
    const secondPage = await pageName(page);
    const q2 = questions(page).first();
    await press(d, button(q2, '6'));
    const item2 = await itemOf(q2);
    await waitSaved(page);
    await page.reload();
    await page.waitForSelector('.sd-rating');
    expect(await pageName(page)).toBe(secondPage);
    expect(await chosen(page.locator(`.sd-question[data-name="${item2}"]`))).toBe('6');
    // The browser keeps nothing: neither the token nor the answers.
    const token = url.split('/s/')[1];
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    expect(stored).not.toContain(token);
    expect(stored).toBe('{"local":{},"session":{},"cookie":""}');
    await context.close();
  }, 120_000);

  it('shows a failed save at the top of the viewport until a retry succeeds', async () => {
    const context = await device(d);
    const page = await context.newPage();
    await page.goto(await link());
    await page.waitForSelector('.sd-rating');
    // The respondent is far down the page when the connection fails.
    const deep = questions(page).nth(12);
    await deep.scrollIntoViewIfNeeded();
    let failing = true;
    let attempts = 0;
    await page.route(`**${ENDPOINT}`, (route) => {
      attempts++;
      return failing ? route.abort('internetdisconnected') : route.continue();
    });
    await press(d, button(deep, '2'));
    const alertBox = page.locator('#save-alert');
    await expect.poll(() => alertBox.isVisible(), { timeout: 10_000 }).toBe(true);
    const inView = () =>
      alertBox.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 && getComputedStyle(el).visibility === 'visible';
      });
    expect(await inView()).toBe(true);
    expect(await alertBox.textContent()).toBe(respondentTexts('en').client.retrying);
    expect(await alertBox.getAttribute('role')).toBe('alert');
    await shot(page, `${d.name}-04-save-failed`);
    // Still there, still in view, while it retries with growing waits; scrolling does not hide it.
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(3500);
    expect(await alertBox.isVisible()).toBe(true);
    expect(await inView()).toBe(true);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(4);
    failing = false;
    await expect.poll(() => alertBox.isVisible(), { timeout: 20_000 }).toBe(false);
    await waitSaved(page);
    await page.unroute(`**${ENDPOINT}`);
    const item = await itemOf(deep);
    await page.reload();
    await page.waitForSelector('.sd-rating');
    expect(await chosen(page.locator(`.sd-question[data-name="${item}"]`))).toBe('2');
    await context.close();
  }, 120_000);

  it('stops the respondent when the wave closes, before more is answered', async () => {
    const now = Date.now();
    const created = await api<{ id: number }>(server.url, 'POST', '/api/v1/waves', {
      name: `Internal closing wave ${d.name}`,
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
      unitKeys: ['eng-U1'],
    });
    expect(created.status).toBe(201);
    const url = await link(created.body.id, 'eng-U1');
    const context = await device(d);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('.sd-rating');
    expect(await page.content()).not.toContain('Internal closing wave');
    await press(d, button(questions(page).first(), '3'));
    await waitSaved(page);
    expect((await api(server.url, 'POST', `/api/v1/waves/${created.body.id}/close`)).status).toBe(200);
    await page.waitForTimeout(1100);
    await press(d, button(questions(page).nth(1), '4'));
    const alertBox = page.locator('#save-alert');
    await expect.poll(() => alertBox.textContent(), { timeout: 10_000 }).toBe(respondentTexts('en').client.closed);
    expect(await alertBox.isVisible()).toBe(true);
    // Nothing more can be answered (a tap changes nothing and sends nothing), and there is no Next.
    let sentAfter = 0;
    page.on('request', (r) => {
      if (r.url().endsWith(ENDPOINT)) sentAfter++;
    });
    await button(questions(page).nth(2), '5').dispatchEvent('click');
    await page.waitForTimeout(1500);
    expect(await chosen(questions(page).nth(2))).toBe(null);
    expect(sentAfter).toBe(0);
    expect(await page.locator('.sd-navigation__next-btn').isVisible()).toBe(false);
    await shot(page, `${d.name}-05-wave-closed`);
    // Coming back shows the closed page, with the time, and never the wave's name.
    const again = await page.goto(url);
    expect(again?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe(respondentTexts('en').messages.closedTitle);
    expect(await page.locator('main p').textContent()).toMatch(/closed on \w+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [AP]M UTC/);
    expect(await page.content()).not.toContain('Internal closing wave');
    await shot(page, `${d.name}-06-closed-page`);
    await context.close();
  }, 120_000);

  it('asks once when a whole page is skipped, and moves focus to the first question of the new page', async () => {
    const context = await device(d);
    const page = await context.newPage();
    await page.goto(await link());
    await page.waitForSelector('.sd-rating');
    const first = await pageName(page);
    const dialog = page.locator('#skip-dialog');
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.locator('#skip-title').textContent()).toBe('You skipped this page; continue?');
    await shot(page, `${d.name}-07-skipped-page`);
    await press(d, page.locator('#skip-stay'));
    expect(await dialog.isVisible()).toBe(false);
    expect(await pageName(page)).toBe(first);
    // Asked once: the second Next goes on.
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => pageName(page)).not.toBe(first);
    expect(await dialog.isVisible()).toBe(false);
    // Focus is on the first question of the new page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.sd-question')?.getAttribute('data-name') ?? null))
      .toBe(await itemOf(questions(page).first()));
    await expect.poll(() => page.evaluate(() => { const q = document.activeElement!.closest('.sd-question')!.getBoundingClientRect(); return q.top < window.innerHeight && q.bottom > 0; })).toBe(true);
    await shot(page, `${d.name}-08-focus-after-next`);

    // An answered page goes on without a question; "Continue" goes on from a skipped one.
    const second = await pageName(page);
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await press(d, page.locator('#skip-continue'));
    await expect.poll(() => pageName(page)).not.toBe(second);
    const third = await pageName(page);
    await press(d, button(questions(page).first(), '4'));
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => pageName(page)).not.toBe(third);
    expect(await dialog.isVisible()).toBe(false);
    await context.close();
  }, 120_000);

  it('shows a visible focus ring on the rating button reached with the keyboard', async () => {
    const context = await device(d);
    const page = await context.newPage();
    await page.goto(await link());
    await page.waitForSelector('.sd-rating');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio')) break;
    }
    const ring = await page.evaluate(() => {
      const label = document.activeElement!.closest('label')!;
      const style = getComputedStyle(label);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await chosen(questions(page).first())).toBe('3');
    await questions(page).first().scrollIntoViewIfNeeded();
    await shot(page, `${d.name}-09-focus-ring`);
    await context.close();
  }, 120_000);

  it('speaks German to a German browser: no English string on the page, its title, its dialogs or its message pages', async () => {
    const context = await device(d, 'de-DE');
    const page = await context.newPage();
    const url = await link();
    await page.goto(url);
    await page.waitForSelector('.sd-rating');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await page.title()).toBe(INSTRUMENT_V1.title.de);
    await expect.poll(() => page.locator('.sd-progress__text').first().textContent()).toContain('Fragen beantwortet');
    const visible = await page.evaluate(() => {
      const labels = [...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'));
      const values = [...document.querySelectorAll('input[type=button], input[type=submit]')].map((e) => (e as HTMLInputElement).value);
      return [document.title, document.body.innerText, document.getElementById('skip-dialog')!.textContent, ...labels, ...values].join('\n');
    });
    const en = respondentTexts('en');
    const english = [
      ...Object.values(en.client).map((s) => s.split('{')[0].trim()).filter((s) => s.length > 3),
      en.privacy.split('{')[0].trim(),
      en.language,
      'Next',
      'Back',
      'Submit',
      'Answered',
      'questions',
      'Page ',
      INSTRUMENT_V1.title.en,
      NOT_APPLICABLE_LABEL.en,
      ...AGREEMENT_7.anchors.map((a) => a.label.en),
      ...INSTRUMENT_V1.items.map((i) => i.text.en),
    ];
    const found = english.filter((s) => visible.includes(s));
    expect(found).toEqual([]);
    expect(visible).toContain('Weiter');
    expect(visible).toContain('Sprache');
    expect(visible).toContain('Stimme überhaupt nicht zu');
    await press(d, page.locator('.sd-navigation__next-btn'));
    await expect.poll(() => page.locator('#skip-title').textContent()).toBe(respondentTexts('de').client.skippedTitle);
    await shot(page, `${d.name}-10-german-skip-question`);
    await press(d, page.locator('#skip-stay'));
    await shot(page, `${d.name}-11-german-page`);
    // A save failure and the message pages speak German too.
    await page.route(`**${ENDPOINT}`, (route) => route.abort('internetdisconnected'));
    await press(d, button(questions(page).first(), '2'));
    await expect.poll(() => page.locator('#save-alert').textContent(), { timeout: 10_000 }).toBe(respondentTexts('de').client.retrying);
    await page.unroute(`**${ENDPOINT}`);
    await waitSavedIn(page, 'de');
    const unknown = await page.goto(`${server.url}/s/unknown-link-0000000000000000`);
    expect(unknown?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe(respondentTexts('de').messages.unknownTitle);
    expect(await page.title()).toBe(respondentTexts('de').messages.unknownTitle);
    await shot(page, `${d.name}-12-german-unknown-link`);
    await context.close();
  }, 120_000);

  it('loads light: at most 600 kB transferred, compressed assets cached for a year, a <noscript> notice', async () => {
    const context = await device(d);
    const page = await context.newPage();
    const responses: { url: string; headers: Record<string, string>; transferred: number }[] = [];
    page.on('requestfinished', async (request) => {
      const response = await request.response();
      const sizes = await request.sizes();
      responses.push({ url: request.url(), headers: response ? await response.allHeaders() : {}, transferred: sizes.responseBodySize + sizes.responseHeadersSize });
    });
    await page.goto(await link(), { waitUntil: 'load' });
    await page.waitForSelector('.sd-rating');
    await page.waitForLoadState('networkidle');
    const total = responses.reduce((sum, r) => sum + r.transferred, 0);
    expect(responses.length).toBeGreaterThanOrEqual(5);
    expect(total).toBeLessThanOrEqual(600_000);
    console.log(`survey page first load on a ${d.name}: ${responses.length} responses, ${total} bytes transferred`);
    const assets = responses.filter((r) => r.url.includes('/static/'));
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const a of assets) {
      expect(a.headers['content-encoding'], a.url).toMatch(/^(br|gzip)$/);
      expect(a.headers['cache-control'], a.url).toBe('public, max-age=31536000, immutable');
    }
    await context.close();

    // Without JavaScript the page says what is needed.
    const noJs = await chrome.newContext({ viewport: d.viewport, isMobile: d.isMobile, hasTouch: d.hasTouch, javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(await link());
    expect(await plain.locator('.noscript').textContent()).toBe(respondentTexts('en').noscript);
    expect(await plain.locator('.noscript').isVisible()).toBe(true);
    await shot(plain, `${d.name}-13-noscript`);
    await noJs.close();
  }, 120_000);
});

async function waitSavedIn(page: Page, locale: string): Promise<void> {
  await expect.poll(() => page.locator('#save-status').textContent(), { timeout: 20_000 }).toBe(respondentTexts(locale).client.saved);
}
