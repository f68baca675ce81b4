import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readConfig } from '../../server/config.js';
import { silentLogger } from '../../server/logger.js';
import { startServer, type RunningServer } from '../../server/start.js';

export const ADMIN_TOKEN = 'web-test-admin-token-0123456789abcdefghij';
export const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };
export const SCREENSHOTS = resolve('test-output/screenshots');

/** Debian's Chromium, driven headless; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface DemoServer {
  readonly url: string;
  readonly running: RunningServer;
  close(): Promise<void>;
}

/**
 * The server as `npm start` runs it (server/start.ts: migrate, publish the instrument, seed the
 * demo organisation, listen), on a free port with a fresh data directory.
 */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-web-'));
  const port = await freePort();
  const config = readConfig({
    PORT: String(port),
    SEICI_DATA_DIR: dataDir,
    SEICI_ADMIN_TOKEN: ADMIN_TOKEN,
    SEICI_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SEICI_SCHEDULER_INTERVAL_MS: '1000',
    ...env,
  });
  const running = await startServer(config, silentLogger());
  return {
    url: `http://127.0.0.1:${port}`,
    running,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  readonly context: BrowserContext;
  page(): Promise<Page>;
  close(): Promise<void>;
}

/** A 390 × 844 phone with touch, as the browser tests use it. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
/** A 1280 × 900 desktop screen (the default). */
export const DESKTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false } as const;

/** Headless Chromium with a fresh profile directory, removed at close; a desktop screen unless `device` says otherwise. */
export async function launchBrowser(device: typeof PHONE | typeof DESKTOP = DESKTOP): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'seici-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ...device,
    acceptDownloads: true,
  });
  return {
    context,
    page: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Writes a full-page screenshot to test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Opens a console page, checks that it answers 200 and fits the screen's width (no sideways
 * scrolling), and writes its full-page screenshot to `<dir>/<name>.png`.
 */
export async function visitFitting(page: Page, url: string, path: string, dir: string, name: string): Promise<void> {
  const res = await page.goto(`${url}${path}`);
  expect(res?.status(), path).toBe(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Signs in on the login page with the admin token (the web harness's, unless the server was started with another), as a person would. */
export async function signIn(page: Page, url: string, token: string = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/admin`);
}

/** A browser at this screen's size, already signed in to the console at `url` with `token` (as {@link signIn}). */
export async function signedInBrowser(url: string, device: typeof PHONE | typeof DESKTOP, token: string = ADMIN_TOKEN): Promise<Browser> {
  const browser = await launchBrowser(device);
  await signIn(await browser.page(), url, token);
  return browser;
}

/** An in-process app (a test harness's `t.app`) served on a free loopback port. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(handler: RequestListener): Promise<LoopbackServer> {
  const server = createHttpServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done()))),
  };
}

/** A JSON call to the API with the admin bearer token. */
export async function api<T = unknown>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T };
}
