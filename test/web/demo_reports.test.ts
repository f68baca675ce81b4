import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, screenshot, signIn, startDemoServer, type Browser, type DemoServer } from './harness.js';

let server: DemoServer;
let browser: Browser;
let page: Page;

interface ApiUnit {
  unitKey: string;
  n: number;
  suppressed: boolean;
  seiCi?: number;
  cells?: Record<string, number | null>;
  dimensions?: Record<string, number | null>;
  rwgj?: Record<string, number | null>;
  misalignment?: number | null;
  rollup?: boolean;
}

interface ApiReport {
  wave: { id: number; name: string };
  minGroupSize: number;
  units: ApiUnit[];
  organisation: { dimensions?: Record<string, number | null> };
  reliability: Record<string, { alpha: number }>;
}

const reports: ApiReport[] = [];

/** Problems a screen-reader or keyboard user would meet on the current page. */
async function accessibilityProblems(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const problems: string[] = [];
    document.querySelectorAll('table.data').forEach((t, k) => {
      if (!t.querySelector('caption')?.textContent?.trim()) problems.push(`table ${k + 1} has no caption`);
      if (t.querySelectorAll('thead th[scope=col]').length === 0) problems.push(`table ${k + 1} has no column headers`);
    });
    document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((el) => {
      const id = el.getAttribute('id');
      const labelled = (id && document.querySelector(`label[for="${id}"]`)) || el.closest('label') || el.getAttribute('aria-label');
      if (!labelled) problems.push(`${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}] has no label`);
    });
    document.querySelectorAll('.chart-svg').forEach((c, k) => {
      if (c.getAttribute('role') !== 'img' || !c.getAttribute('aria-label')) problems.push(`chart ${k + 1} has no accessible name`);
    });
    if (document.querySelectorAll('h1').length !== 1) problems.push('the page needs exactly one h1');
    return problems;
  });
}

async function visit(path: string, name: string): Promise<void> {
  const res = await page.goto(`${server.url}${path}`);
  expect(res?.status(), path).toBe(200);
  expect(await accessibilityProblems(page), path).toEqual([]);
  await screenshot(page, name);
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  page = await browser.page();
  await signIn(page, server.url);
  const waves = await api<{ waves: { id: number }[] }>(server.url, 'GET', '/api/v1/waves');
  for (const w of waves.body.waves) {
    const r = await api<ApiReport>(server.url, 'GET', `/api/v1/waves/${w.id}/report`);
    if (r.status === 200) reports.push(r.body);
  }
  // Start the scale-developer analyses early: they run in worker threads while the other tests go on.
  for (const r of reports) await page.request.get(`${server.url}/admin/waves/${r.wave.id}/scale-report`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('every console page and report renders from the npm start demo', () => {
  it('has analysed demo waves to report on', () => {
    expect(reports.length).toBeGreaterThanOrEqual(2);
  });

  it('renders the console pages, accessibly', async () => {
    await visit('/admin', 'demo-01-overview');
    await visit('/admin/units', 'demo-02-units');
    await visit('/admin/instrument', 'demo-03-instrument');
    await visit('/admin/instrument/v1', 'demo-04-instrument-v1');
    expect(await page.locator('.cell-section').count()).toBe(9);
    await visit('/admin/instrument/compare?from=v1&to=v1', 'demo-05-instrument-compare');
    await visit('/admin/waves', 'demo-06-waves');
    await visit(`/admin/waves/${reports[0].wave.id}`, 'demo-07-wave-closed');
    await visit('/admin/reports', 'demo-08-reports');
    // Each wave's section names its commitments; the demo's waves have none (the demo holds no signing key).
    expect(await page.locator('[data-testid=preregistration]').allTextContents()).toEqual(reports.map(() => 'Not pre-registered: no signed commitment names this wave.'));
    await visit('/admin/exports', 'demo-09-exports');
    await visit('/admin/traces', 'demo-10-traces');
    const analyses = await api<{ analyses: { id: number }[] }>(server.url, 'GET', `/api/v1/waves/${reports[0].wave.id}/analyses`);
    await visit(`/admin/analyses/${analyses.body.analyses[0].id}`, 'demo-11-analysis');
  }, 120_000);

  it('renders every unit report with the numbers of the API report', async () => {
    for (const report of reports) {
      const visible = report.units.filter((u) => !u.suppressed);
      expect(visible.length).toBeGreaterThan(0);
      for (const [k, unit] of visible.entries()) {
        const base = `/admin/waves/${report.wave.id}/units/${unit.unitKey}/report`;
        const htmlRes = await page.request.get(`${server.url}${base}`);
        expect(htmlRes.status(), base).toBe(200);
        const json = await (await page.request.get(`${server.url}${base}?format=json`)).json();
        // heatmap, bars and trend always; the breakpoint timeline only when the unit has breakpoints
        expect(((await htmlRes.text()).match(/<svg/g) ?? []).length, base).toBe(json.breakpoints.length > 0 ? 4 : 3);
        const row = (key: string) => json.aggregates.find((a: { key: string }) => a.key === key);
        expect(row('seiCi').unit).toBeCloseTo(unit.seiCi!, 12);
        for (const [cell, v] of Object.entries(unit.cells!)) expect(row(cell).unit, `${unit.unitKey} ${cell}`).toBeCloseTo(v!, 12);
        // Organisation = the stored organisation aggregate of the wave's run.
        expect(row('structural').organisation).toBe(report.organisation.dimensions!.structural);
        // rwg(j) per dimension from the raw answers (analysis rwgJ) equals what scoreUnits stored.
        for (const d of ['structural', 'relational', 'translational']) {
          if (unit.rwgj![d] === null) expect(row(d).rwgj).toBeNull();
          else expect(row(d).rwgj, `${unit.unitKey} ${d}`).toBeCloseTo(unit.rwgj![d]!, 9);
        }
        expect(json.misalignment).toBe(unit.misalignment);
        const csv = await page.request.get(`${server.url}${base}?format=csv`);
        expect(csv.headers()['content-disposition']).toContain(`wave-${report.wave.id}-${unit.unitKey}-report.csv`);
        if (k === visible.findIndex((u) => !u.rollup)) {
          await visit(base, `demo-12-unit-report-wave-${report.wave.id}`);
          expect(await page.locator('[data-testid=interventions] > li').count()).toBeGreaterThan(0);
        }
      }
    }
  }, 180_000);

  it('fits a phone screen: no page-wide horizontal scrolling', async () => {
    const report = reports.at(-1)!;
    const unit = report.units.find((u) => !u.suppressed)!;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      [`/admin/waves/${report.wave.id}/units/${unit.unitKey}/report`, 'demo-15-phone-unit-report'],
      [`/admin/waves/${report.wave.id}`, 'demo-16-phone-wave'],
    ]) {
      await page.goto(`${server.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), path).toBe(true);
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);

  it('prints a unit report without the console around it', async () => {
    const report = reports.at(-1)!;
    const unit = report.units.find((u) => !u.suppressed)!;
    await page.goto(`${server.url}/admin/waves/${report.wave.id}/units/${unit.unitKey}/report`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.masthead').isVisible()).toBe(false);
    expect(await page.locator('.downloads').isVisible()).toBe(false);
    expect(await page.locator('figure.chart').first().isVisible()).toBe(true);
    await screenshot(page, 'demo-13-unit-report-print');
    await page.pdf({ path: 'test-output/screenshots/demo-13-unit-report.pdf', format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
  }, 60_000);

  it('renders the scale-developer report of each analysed wave once its analyses are done', async () => {
    for (const report of reports) {
      const path = `/admin/waves/${report.wave.id}/scale-report`;
      await page.goto(`${server.url}${path}`);
      // The pending page reloads itself until the worker has finished.
      await expect.poll(() => page.locator('[data-testid=loadings]').count(), { timeout: 240_000, interval: 3000 }).toBe(1);
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await page.locator('[data-testid=item-statistics] tbody tr').count()).toBe(72);
      expect(await page.locator('[data-testid=reliability-cells] tbody tr').count()).toBe(9);
      expect(await page.locator('[data-testid=reliability-aggregates] tbody tr').count()).toBe(6);
      expect(await page.locator('[data-testid=loadings] tbody tr').count()).toBe(72);
      expect(await page.locator('[data-testid=cfa] tbody tr').count()).toBe(3);
      // One invariance table per dimension, or the reason it could not be fitted (a singular group covariance, say).
      const tables = await page.locator('[data-testid=invariance]').count();
      expect(tables).toBeGreaterThanOrEqual(1);
      expect(tables + (await page.locator('[data-testid=invariance-error]').count())).toBe(3);
      expect(await page.locator('#factors svg').count()).toBe(1);
      expect(await page.locator('[data-testid=preregistration]').textContent()).toBe('Not pre-registered: no signed commitment names a measurement model for this wave.');
      await screenshot(page, `demo-14-scale-report-wave-${report.wave.id}`);

      const json = await (await page.request.get(`${server.url}${path}?format=json`)).json();
      // The dimension alphas equal those of the server's own wave analysis (both pairwise psych::alpha).
      for (const d of ['structural', 'relational', 'translational']) {
        const mine = json.analysis.reliability.find((r: { scale: string }) => r.scale === d);
        expect(mine.alpha, d).toBeCloseTo(report.reliability[d].alpha, 12);
      }
      expect(json.unitAgreement.map((u: { unitKey: string }) => u.unitKey)).toEqual(report.units.filter((u) => !u.suppressed).map((u) => u.unitKey));
      const csv = await (await page.request.get(`${server.url}${path}?format=csv`)).text();
      expect(csv.split('\n')[0]).toBe('table,row,column,value');
      expect(csv).toContain('\ncfa,');
    }
  }, 600_000);
});
