import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { ADMIN_TOKEN, api, launchBrowser, signIn, type Browser } from './harness.js';

/**
 * What a respondent's browser and the server's log give away: a survey page load in Chromium
 * asks no host but the server's, breaks no rule of the Content-Security-Policy, leaves the
 * token nowhere in the browser's storage, and the server's JSON log holds no survey link.
 */
let running: RunningServer;
let browser: Browser;
let dataDir: string;
let url: string;
const logLines: string[] = [];
let hints = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'seici-privacy-'));
  const config = readConfig({ PORT: '0', SEICI_DATA_DIR: dataDir, SEICI_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'debug' });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  running = await startServer(config, pino({ level: 'debug' }, sink), (text) => {
    hints += text;
  });
  url = running.url.replace('localhost', '127.0.0.1');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function invitation(unitKey = 'eng-U1'): Promise<{ url: string; token: string }> {
  const waves = await api<{ waves: { id: number; status: string }[] }>(url, 'GET', '/api/v1/waves');
  const open = waves.body.waves.find((w) => w.status === 'open')!;
  const issued = await api<{ invitations: { url: string; token: string }[] }>(url, 'POST', `/api/v1/waves/${open.id}/invitations`, { unitKey, count: 1 });
  expect(issued.status).toBe(201);
  const link = issued.body.invitations[0];
  return { url: link.url.replace(/^http:\/\/[^/]+/, url), token: link.token };
}

describe('what a respondent gives away', () => {
  it('a survey page load and a saved page request nothing from any host but the server, within the CSP', async () => {
    const link = await invitation();
    const page = await browser.page();
    const hosts = new Set<string>();
    const requested: string[] = [];
    page.on('request', (r) => {
      requested.push(r.url());
      if (!r.url().startsWith('data:')) hosts.add(new URL(r.url()).host);
    });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(link.url);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('.sd-question');
    // Answer the first page and move on, so the save request is recorded too.
    const questions = page.locator('.sd-question');
    for (let k = 0; k < (await questions.count()); k++) await questions.nth(k).locator('label.sd-rating__item').nth(2).click();
    await page.locator('.sd-navigation__next-btn').click();
    await expect.poll(() => page.locator('#save-status').textContent()).toContain('saved');
    await page.evaluate(() => document.fonts.ready);
    expect([...hosts]).toEqual([new URL(url).host]);
    expect(requested.some((r) => r.endsWith('/api/v1/responses'))).toBe(true);
    expect(violations).toEqual([]);

    // The token is in no storage the page can write.
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    expect(stored).not.toContain(link.token);
    expect(stored).toBe('{"local":{},"session":{},"cookie":""}');

    // A reload resumes at the first page left open, from the answers the server saved.
    const second = await page.locator('.sd-page__title').first().textContent();
    await page.reload();
    await page.waitForSelector('.sd-question');
    expect(await page.locator('.sd-page__title').first().textContent()).toBe(second);
    await page.close();
  }, 120_000);

  it('sends the security headers on the survey page, the console and the API', async () => {
    const link = await invitation('eng-U2');
    const survey = await fetch(link.url);
    const consolePage = await fetch(`${url}/login`);
    const apiCall = await fetch(`${url}/api/v1/instrument`);
    for (const res of [survey, consolePage, apiCall]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-eval|https?:\/\//);
      // The only 'unsafe-inline' is for style attributes; scripts and <style> elements stay 'self'.
      expect(csp.split(';').filter((d) => d.includes('unsafe-inline')).map((d) => d.trim())).toEqual(["style-src-attr 'unsafe-inline'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('the console works within the CSP: no violation on its pages', async () => {
    const page = await browser.page();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, url);
    for (const path of ['/admin', '/admin/units', '/admin/waves', '/admin/reports']) {
      const res = await page.goto(`${url}${path}`);
      expect(res?.status(), path).toBe(200);
    }
    const waves = await api<{ waves: { id: number; status: string }[] }>(url, 'GET', '/api/v1/waves');
    await page.goto(`${url}/admin/waves/${waves.body.waves[0].id}`);
    expect(violations).toEqual([]);
    await page.close();
  }, 120_000);

  it('prints the demo links once as a console hint and keeps every survey link out of the JSON log', async () => {
    const link = await invitation('eng-U3');
    await fetch(link.url);
    await fetch(`${url}/api/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: link.token, answers: {}, complete: false }) });
    expect(hints).toMatch(/a demo survey link/);
    const hinted = hints.match(/\/s\/[A-Za-z0-9_-]{43}/g) ?? [];
    expect(hinted.length).toBeGreaterThan(0);
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('\n');
    expect(log).toContain('"path":"/s/:token"');
    expect(log).not.toMatch(/\/s\/[A-Za-z0-9_-]{20,}/);
    for (const h of hinted) expect(log).not.toContain(h.slice(3));
    expect(log).not.toContain(link.token);
  });
});
