import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SCREENSHOTS, api, launchBrowser, screenshot, signIn, startDemoServer, type Browser, type DemoServer } from './harness.js';

interface Estimate { label: string; est: number; ciLower: number | null; ciUpper: number | null }
interface Hypothesis { hypothesis: string; supported: boolean | null; reading: string | null; n: number | null; estimates: Estimate[]; error?: string }
interface PanelTerm { term: string; est: number; se: number; ciLower: number; ciUpper: number }
interface PanelModel { model: string; terms: PanelTerm[]; units: number | null; error?: string }
interface Panel { treatedUnits: number; eventWaves: Record<string, number>; fe: PanelModel; did: PanelModel; event: PanelModel; clpm: { estimates: { lhs: string; op: string; rhs: string; est: number }[]; error?: string } }
interface ResearchRun { id: number; status: string; options: { waves: number[]; interfaceChanges?: { unit: string; on: string }[] }; results: { hypotheses: Hypothesis[]; design: { units: number }; waves: { name: string; role: string }[]; panel: Panel } }

let server: DemoServer;
let browser: Browser;
let page: Page;
let run: ResearchRun;

/** `{{num x 3}}` as the console prints it (true minus sign). */
const num3 = (x: number) => x.toFixed(3).replace(/^-(?=.*[1-9])/, '−').replace(/^-/, '');

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  page = await browser.page();
  await signIn(page, server.url);
  const latest = await api<ResearchRun>(server.url, 'GET', '/api/v1/research/analyses/latest');
  expect(latest.status).toBe(200);
  run = latest.body;
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the research report of the npm start demo', () => {
  it('was computed when the demo was seeded, over its three closed waves', () => {
    expect(run.status).toBe('done');
    expect(run.results.waves.map((w) => w.role)).toEqual(['T1', 'T2', 'T3']);
    expect(run.results.waves.map((w) => w.name)).toEqual(['Spring pulse (demo)', 'Summer pulse (demo)', 'Autumn pulse (demo)']);
    // Every hypothesis could be tested on the demo's panel.
    for (const h of run.results.hypotheses) expect(h.error, h.hypothesis).toBeUndefined();
    // So could every panel design: the demo records a staggered interface change for two teams in three.
    const panel = run.results.panel;
    for (const m of [panel.fe, panel.did, panel.event]) expect(m.error, m.model).toBeUndefined();
    expect(panel.clpm.error).toBeUndefined();
    expect(panel.treatedUnits).toBeGreaterThan(0);
    expect(run.options.interfaceChanges!.length).toBeGreaterThanOrEqual(panel.treatedUnits);
    expect(new Set(Object.values(panel.eventWaves))).toEqual(new Set([2, 3]));
    expect(panel.event.terms.map((t) => t.term)).toEqual(['rel-2', 'rel0', 'rel1']);
  });

  it('shows every hypothesis with its verdict, reading and estimates, as stored, at 1280×900 and 390×844', async () => {
    for (const [width, height, name] of [[1280, 900, 'research-desktop'], [390, 844, 'research-phone']] as const) {
      await page.setViewportSize({ width, height });
      const res = await page.goto(`${server.url}/admin/research`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('nav[aria-label=Console] a[aria-current=page]').textContent()).toBe('Research');
      // The demo's waves opened without a signing key, so no commitment names their hypotheses, and the report says so.
      expect(await page.locator('[data-testid=preregistration]').textContent()).toBe('Not pre-registered: no signed commitment names a hypothesis for these waves.');
      for (const h of run.results.hypotheses) {
        const section = page.locator(`[data-testid=hypothesis-${h.hypothesis}]`);
        await expect(section.locator('h2 .badge').textContent()).resolves.toBe(h.supported ? 'supported' : 'not supported');
        await expect(section.locator('[data-testid=reading]').textContent()).resolves.toBe(h.reading);
        const rows = section.locator('[data-testid=estimates] tbody tr');
        expect(await rows.count()).toBe(h.estimates.length);
        for (const [k, e] of h.estimates.entries()) {
          const cells = await rows.nth(k).locator('th, td').allTextContents();
          expect(cells[0]).toBe(e.label);
          expect(cells[1]).toBe(num3(e.est));
          if (e.ciLower !== null) expect(cells[2].startsWith(`[${num3(e.ciLower)}, ${num3(e.ciUpper!)}]`), cells[2]).toBe(true);
        }
      }
      // The two charts (H2's conditional indirect effects, H7's inverted U) are drawn from the stored run.
      expect(await page.locator('[data-testid=hypothesis-H2] figure.chart svg').count()).toBe(1);
      expect(await page.locator('[data-testid=hypothesis-H7] figure.chart svg').count()).toBe(1);
      expect(await page.locator('[data-testid=research-waves] tbody tr').count()).toBe(3);
      // The panel designs: each model's clustered terms as stored, the event study drawn with its intervals, the CLPM's paths.
      const panel = run.results.panel;
      for (const m of [panel.fe, panel.did, panel.event]) {
        const rows = page.locator(`[data-testid=panel-${m.model}] tbody tr`);
        expect(await rows.count(), m.model).toBe(m.terms.length);
        for (const [k, t] of m.terms.entries()) {
          const cells = await rows.nth(k).locator('th, td').allTextContents();
          expect(cells.slice(0, 4)).toEqual([t.term, num3(t.est), num3(t.se), `[${num3(t.ciLower)}, ${num3(t.ciUpper)}]`]);
        }
      }
      const chart = page.locator('[data-testid=panel-event] figure.chart svg');
      expect(await chart.count()).toBe(1);
      expect(await page.locator('[data-testid=panel-event] figure.chart [role=img]').getAttribute('aria-label')).toMatch(/^Event-study coefficients/);
      expect(await page.locator('[data-testid=panel-clpm] tbody tr').first().locator('th').textContent()).toBe('TC_2 ~ TC_1');
      // Nothing runs off the side of a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
      await screenshot(page, `research/${name}`);
      // Close-ups to look at: the summary and the hypotheses with charts.
      for (const part of ['summary', 'hypothesis-H1', 'hypothesis-H2', 'hypothesis-H7', 'panel-designs']) {
        const target = part === 'summary' ? page.locator('#summary') : page.locator(`[data-testid=${part}]`);
        await target.screenshot({ path: join(SCREENSHOTS, 'research', `${name}-${part}.png`) });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it('downloads the stored run as JSON and CSV', async () => {
    const json = await (await page.request.get(`${server.url}/admin/research?format=json`)).json();
    expect(json.results).toEqual(run.results);
    const csv = await (await page.request.get(`${server.url}/admin/research?format=csv`)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('hypothesis,kind,model,term,est,se,seHc3,t,p,ciLower,ciUpper,interval,n,supported');
    const estimates = run.results.hypotheses.reduce((s, h) => s + h.estimates.length, 0);
    expect(lines.filter((l) => l.split(',')[1] === 'estimate')).toHaveLength(estimates);
    const p = run.results.panel;
    expect(lines.filter((l) => l.startsWith('panel,term,'))).toHaveLength(p.fe.terms.length + p.did.terms.length + p.event.terms.length);
    expect(lines.filter((l) => l.startsWith('panel,path,clpm,'))).toHaveLength(p.clpm.estimates.length);
  });

  it('starts a new run from the form, refuses a wave chosen twice, and shows the new run when it is done', async () => {
    await page.goto(`${server.url}/admin/research`);
    const waves = run.options.waves;
    await page.selectOption('#wave-T1', String(waves[0]));
    await page.selectOption('#wave-T2', String(waves[0]));
    await page.selectOption('#wave-T3', String(waves[2]));
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.locator('.flash.error').textContent()).resolves.toMatch(/^waves must (name three different waves|be in time order)/);
    await page.selectOption('#wave-T2', String(waves[1]));
    await page.fill('#bootstrap', '500');
    await page.fill('#seed', '3');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.locator('.flash.notice').first().textContent()).resolves.toMatch(/^Research run \d+ was started/);
    await server.running.app.services.analyses.idle();
    const latest = await api<ResearchRun & { options: { bootstrap: number; seed: number } }>(server.url, 'GET', '/api/v1/research/analyses/latest');
    expect(latest.body).toMatchObject({ status: 'done', options: { waves, bootstrap: 500, seed: 3 } });
    // The page that showed the run as pending reloads itself and now shows it.
    await page.waitForSelector('[data-testid=research-options] >> text=500 resamples of units, seed 3', { timeout: 30_000 });
    expect(await page.locator('[data-testid=research-pending]').count()).toBe(0);
  }, 60_000);
});
