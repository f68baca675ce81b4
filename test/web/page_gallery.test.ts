import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondentTexts } from '../../server/respondent/texts.js';
import { seeded, seiAnswers, type ItemInfo } from '../server/answers.js';
import { ADMIN_TOKEN, api, CHROMIUM, DESKTOP, PHONE, SCREENSHOTS, startDemoServer, type DemoServer } from './harness.js';

/**
 * Every page a respondent or an administrator can reach, at a 390 × 844 phone (isMobile, touch)
 * and a 1280 × 900 screen (issue 14): the survey page in English and German, the message pages
 * (unknown, used, closed, not yet open: in the respondent's language, the time in the
 * organisation's zone), the sign-in page and every console page reachable by links from the
 * overview. Each is photographed to test-output/screenshots/gallery/ and checked for what a
 * person would notice: a page that scrolls sideways, text upper-cased by CSS (it would turn
 * α into Α), the anonymity statement said more than once.
 */
const SHOTS = join(SCREENSHOTS, 'gallery');
const DEVICES = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const;
const DAY = 86_400_000;

let server: DemoServer;
let chrome: PlaywrightBrowser;

beforeAll(async () => {
  server = await startDemoServer({ SEICI_TIME_ZONE: 'Europe/Berlin' });
  chrome = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

async function context(device: typeof PHONE | typeof DESKTOP, locale = 'en-GB'): Promise<BrowserContext> {
  return chrome.newContext({ ...device, locale, deviceScaleFactor: 1 });
}

/** What a person would notice on any page: sideways scrolling, CSS upper-casing, not exactly one h1. */
async function pageProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide)`);
    document.querySelectorAll('body *').forEach((el) => {
      if (getComputedStyle(el).textTransform === 'uppercase' && (el.textContent ?? '').trim()) problems.push(`${el.tagName.toLowerCase()}.${el.className} is upper-cased by CSS`);
    });
    // Charts fill their card; on a phone they keep their drawn size (labels readable) and scroll inside the card.
    document.querySelectorAll('figure.chart').forEach((f, k) => {
      const svg = f.querySelector('svg');
      if (!svg) return;
      const style = getComputedStyle(f);
      const inner = f.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const shown = svg.getBoundingClientRect().width;
      const drawn = svg.width.baseVal.value;
      if (shown < inner - 2) problems.push(`chart ${k + 1} is ${Math.round(shown)} px wide in a ${Math.round(inner)} px card`);
      if (window.innerWidth <= 640 && shown < drawn - 1) problems.push(`chart ${k + 1} is shrunk to ${Math.round((100 * shown) / drawn)}% on a phone, its labels too small to read`);
    });
    const visibleH1 = [...document.querySelectorAll('h1')].filter((h) => h.getClientRects().length > 0);
    if (visibleH1.length > 1) problems.push(`${visibleH1.length} visible h1 headings`);
    return problems;
  });
}

async function link(waveId: number, unitKey = 'eng-U1'): Promise<string> {
  const issued = await api<{ invitations: { url: string }[] }>(server.url, 'POST', `/api/v1/waves/${waveId}/invitations`, { unitKey, count: 1 });
  expect(issued.status).toBe(201);
  return issued.body.invitations[0].url;
}

async function openWaveId(): Promise<number> {
  const waves = await api<{ waves: { id: number; status: string }[] }>(server.url, 'GET', '/api/v1/waves');
  return waves.body.waves.find((w) => w.status === 'open')!.id;
}

describe.each(DEVICES)('every page on a %s', (label, device) => {
  it('the survey page in English and German states anonymity once, fits the screen and upper-cases nothing', async () => {
    const wave = await openWaveId();
    for (const [locale, lang] of [
      ['en-GB', 'en'],
      ['de-DE', 'de'],
    ] as const) {
      const ctx = await context(device, locale);
      const page = await ctx.newPage();
      await page.goto(await link(wave));
      await page.waitForSelector('.sd-rating');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      const text = await page.locator('body').innerText();
      // "at least 5 people" / "mindestens 5 Personen": the privacy promise, said once.
      const promise = lang === 'en' ? /at least 5 people/g : /mindestens 5 Personen/g;
      expect(text.match(promise) ?? [], `${lang}: ${text.slice(0, 600)}`).toHaveLength(1);
      expect(await pageProblems(page)).toEqual([]);
      const heights = await page.locator('.sd-question').evaluateAll((qs) => qs.map((q) => q.getBoundingClientRect().height));
      console.log(`survey page (${lang}) on a ${label}: ${heights.length} questions on page 1, tallest ${Math.round(Math.max(...heights))} px, median ${Math.round(heights.sort((a, b) => a - b)[heights.length >> 1])} px`);
      await page.screenshot({ path: join(SHOTS, `${label}-survey-${lang}-top.png`) });
      await ctx.close();
    }
  }, 120_000);

  it('the message pages speak the respondent\'s language, with times in the organisation\'s zone', async () => {
    const now = Date.now();
    const later = await api<{ id: number }>(server.url, 'POST', '/api/v1/waves', {
      name: `Internal later wave ${label}`,
      opensAt: new Date(now + 30 * DAY).toISOString(),
      closesAt: new Date(now + 40 * DAY).toISOString(),
      unitKeys: ['eng-U1'],
      locales: ['en', 'de'],
    });
    expect(later.status).toBe(201);
    const closing = await api<{ id: number }>(server.url, 'POST', '/api/v1/waves', {
      name: `Internal closed wave ${label}`,
      opensAt: new Date(now - DAY).toISOString(),
      closesAt: new Date(now + DAY).toISOString(),
      unitKeys: ['eng-U1'],
      locales: ['en', 'de'],
    });
    expect(closing.status).toBe(201);
    const closedLink = await link(closing.body.id);
    expect((await api(server.url, 'POST', `/api/v1/waves/${closing.body.id}/close`)).status).toBe(200);
    const notOpenLink = await link(later.body.id);
    // A link used for a complete answer set, answered in each language: the page speaks the language answered in.
    const items = (await api<{ items: ItemInfo[] }>(server.url, 'GET', '/api/v1/instrument')).body.items;
    const usedLinks: Record<string, string> = {};
    for (const lang of ['en', 'de']) {
      usedLinks[lang] = await link(await openWaveId());
      const answered = await fetch(`${server.url}/api/v1/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: usedLinks[lang].split('/s/')[1], answers: seiAnswers(items, seeded(3), 4), complete: true, locale: lang }),
      });
      expect(answered.status).toBe(201);
    }

    for (const [locale, lang, zone] of [
      ['en-GB', 'en', /\b(CET|CEST|GMT\+1|GMT\+2)\b/],
      ['de-DE', 'de', /\b(MEZ|MESZ)\b/],
    ] as const) {
      const t = respondentTexts(lang).messages;
      const ctx = await context(device, locale);
      const page = await ctx.newPage();
      const pages = [
        ['unknown', `${server.url}/s/unknown-link-000000000000000000`, 404, t.unknownTitle],
        ['used', usedLinks[lang], 409, t.usedTitle],
        ['closed', closedLink, 410, t.closedTitle],
        ['not-open', notOpenLink, 403, t.notOpenTitle],
      ] as const;
      for (const [name, target, status, title] of pages) {
        const res = await page.goto(target);
        expect(res?.status(), `${lang} ${name}`).toBe(status);
        expect(await page.locator('h1').textContent()).toBe(title);
        expect(await page.title()).toBe(title);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        const body = await page.locator('body').innerText();
        expect(body).not.toContain('Internal');
        if (name === 'closed' || name === 'not-open') expect(body).toMatch(zone);
        expect(await pageProblems(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${label}-message-${name}-${lang}.png`), fullPage: true });
      }
      await ctx.close();
    }
  }, 120_000);

  it('the sign-in page and every console page reachable from the overview fit the screen and upper-case nothing', async () => {
    // A revoked token's dated badge is the widest cell of the tokens table.
    const made = await api<{ id: number }>(server.url, 'POST', '/api/v1/admin/tokens', { name: `revoked-${label}` });
    expect((await api(server.url, 'DELETE', `/api/v1/admin/tokens/${made.body.id}`)).status).toBe(200);
    const ctx = await context(device);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    expect(await pageProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${label}-console-login.png`), fullPage: true });
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/admin`);

    // One page per route: numbers and unit keys stand for any, queries are left out.
    const pattern = (path: string) =>
      path
        .replace(/\?.*$/, '')
        .replace(/\/\d+(?=\/|$)/g, '/:id')
        .replace(/\/units\/[^/]+\/report$/, '/units/:key/report')
        .replace(/\/instrument\/(?!compare)[^/]+$/, '/instrument/:version')
        .replace(/\/rules\/[^/]+$/, '/rules/:version');
    const seen = new Map<string, string>();
    const queue = ['/admin'];
    while (queue.length > 0 && seen.size < 40) {
      const path = queue.shift()!;
      if (seen.has(pattern(path))) continue;
      seen.set(pattern(path), path);
      // A page that reloads itself (the scale-developer report while it computes) can abort the next navigation: go again once.
      const res = await page.goto(`${server.url}${path}`).catch(() => page.goto(`${server.url}${path}`));
      // The scale-developer report answers 202 while it computes in the background, with a page that says so.
      expect(res?.status(), path).toBe(path.endsWith('/scale-report') && res?.status() === 202 ? 202 : 200);
      expect(await pageProblems(page), path).toEqual([]);
      const name = pattern(path).replace(/^\/admin\/?/, '').replace(/[/:]+/g, '-').replace(/^-|-$/g, '') || 'overview';
      await page.screenshot({ path: join(SHOTS, `${label}-console-${name}.png`), fullPage: true });
      const hrefs = await page.locator('a[href^="/admin"]:not([download])').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      for (const href of hrefs) if (!href.includes('/logout') && !href.includes('#') && !seen.has(pattern(href))) queue.push(href);
    }
    console.log(`console pages photographed on a ${label}: ${[...seen.keys()].join(', ')}`);
    for (const route of ['/admin', '/admin/units', '/admin/waves', '/admin/waves/:id', '/admin/reports', '/admin/rules', '/admin/rules/:version', '/admin/access', '/admin/audit', '/admin/instrument', '/admin/traces', '/admin/exports']) {
      expect([...seen.keys()], route).toContain(route);
    }
    await ctx.close();
  }, 300_000);
});
