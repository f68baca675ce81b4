import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './harness.js';

/**
 * The analysis page as a static site: `scripts/build-browser.mjs --out DIR` (what
 * `npm run build:analyse-site` runs) writes a folder that a plain file server, with no seici behind
 * it, serves from a sub-path; the page analyses a dropped file there as on the seici server.
 */
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.txt': 'text/plain' };
let dir: string;
let host: Server;
let url: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seici-site-'));
  execFileSync(process.execPath, [resolve('scripts/build-browser.mjs'), '--out', join(dir, 'tools', 'seici')], { stdio: 'pipe' });
  host = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/\/$/, '/index.html');
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
  const address = host.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/tools/seici/`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => host?.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('the analysis page as a static site', () => {
  it('works from a plain static host under a sub-path', async () => {
    const page = await browser.page();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const text = readFileSync(resolve('test/fixtures/cohesion.csv'), 'utf8');
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'cohesion.csv', { type: 'text/csv' }));
      document.querySelector('[data-testid="drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await expect.poll(() => page.getByTestId('file-status').textContent(), { timeout: 20_000 }).toContain('11 rows, 7 columns');
    await page.getByRole('tab', { name: 'Agreement' }).click();
    await page.locator('#ag-items').fill('COH01,COH02,COH03,COH04,COH05');
    await page.locator('#ag-group').selectOption('UNIT');
    await page.getByRole('button', { name: 'Compute agreement' }).click();
    const icc1 = page.locator('[data-testid="agreement-summary"] tr[data-row="icc1"] [data-col="value"]');
    await expect.poll(() => icc1.count(), { timeout: 60_000 }).toBe(1);
    const want = JSON.parse(readFileSync(resolve('test/fixtures/cases/cohesion-agreement-unit.json'), 'utf8')).expected.icc1;
    expect(Math.abs(Number(await icc1.getAttribute('data-value')) - want)).toBeLessThan(1e-6);
    expect(errors).toEqual([]);
  });
});
