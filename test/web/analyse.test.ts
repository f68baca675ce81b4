import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, startDemoServer, type Browser, type DemoServer } from './harness.js';

/**
 * The browser analysis page (/analyse/, web/analyse/): a researcher drops a contract case's CSV,
 * fills the form as the case's command line does, and reads the same numbers as `seici` prints
 * (run here) and as R gave (the case's expected values, at the contract's tolerances), with the
 * network switched off right after the page loaded and no request made after that; a
 * 20,000 × 72 file is analysed while no main-thread task takes 200 ms of the thread's CPU time
 * (Chromium's trace), and with SEICI_TIMED_TESTS=1 on an idle machine none lasts 200 ms of wall
 * time either, as the repository's other latency targets are judged.
 */

const FIXTURES = resolve('test/fixtures');
const CLI = resolve('dist/cli/main.js');
const SHOTS = join(SCREENSHOTS, 'browser');

let server: DemoServer;
let browser: Browser;
let page: Page;
/** Requests of the page and its worker after the page had loaded. */
const lateRequests: string[] = [];
const problems: string[] = [];
let loaded = false;

function cli(args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, '--json'], { cwd: FIXTURES, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

function expected(name: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, 'cases', `${name}.json`), 'utf8')).expected;
}

/** Equal within `tol`, relative to the size of the numbers above 1. */
function close(actual: number | null, want: number | null, tol: number, what: string): void {
  if (want === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - want) / Math.max(1, Math.abs(want)), `${what}: page ${actual}, expected ${want}`).toBeLessThanOrEqual(tol);
}

/** The exact value behind a table cell of the newest result of `kind`. */
async function cellValue(kind: string, table: string, row: string, col: string): Promise<number | null> {
  const cell = page.locator(`[data-testid="result-${kind}"]`).first().locator(`[data-testid="${table}"] tr[data-row="${row}"] [data-col="${col}"]`);
  const v = await cell.getAttribute('data-value', { timeout: 5000 });
  return v === null || v === '' ? null : Number(v);
}

/** Waits until the element's text contains `text`. */
async function waitForText(selector: string, text: string, timeout = 10_000): Promise<void> {
  await expect.poll(() => page.locator(selector).first().textContent(), { timeout }).toContain(text);
}

async function dropFile(name: string, text: string): Promise<void> {
  await page.evaluate(
    ({ name, text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'text/csv' }));
      document.querySelector('[data-testid="drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { name, text },
  );
  await expect.poll(() => page.getByTestId('file-status').textContent(), { timeout: 20_000 }).toContain(`${name}:`);
}

async function run(tab: string, button: string, kind: string): Promise<void> {
  const before = await page.locator(`[data-testid="result-${kind}"]`).count();
  await page.getByRole('tab', { name: tab }).click();
  await page.getByRole('button', { name: button }).click();
  await expect
    .poll(async () => ((await page.getByTestId('run-status').getAttribute('class')) ?? '').includes('error') ? `error: ${await page.getByTestId('run-status').textContent()}` : await page.locator(`[data-testid="result-${kind}"]`).count(), { timeout: 120_000 })
    .toBe(before + 1);
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
  browser.context.on('request', (r: Request) => {
    if (loaded) lateRequests.push(`${r.method()} ${r.url()}`);
  });
  page = await browser.page();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const answer = await page.goto(`${server.url}/analyse`);
  expect(answer?.status()).toBe(200);
  expect(page.url()).toBe(`${server.url}/analyse/`);
  await page.waitForLoadState('networkidle');
  loaded = true;
  // from here on the page is on its own: no network at all
  await browser.context.setOffline(true);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the browser analysis page (no upload)', () => {
  it('is public, same-origin only, and under the server\'s Content-Security-Policy', async () => {
    const res = await fetch(`${server.url}/analyse/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from another host
    const worker = await fetch(`${server.url}/analyse/worker.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/javascript/);
  });

  it('computes reliability of a dropped file as `seici reliability` and R do', async () => {
    await dropFile('hs1939.csv', readFileSync(join(FIXTURES, 'hs1939.csv'), 'utf8'));
    await waitForText('[data-testid="file-status"]', '301 rows, 15 columns');
    await page.locator('#rel-items').fill('x1,x2,x3');
    await run('Reliability', 'Compute reliability', 'reliability');
    const mine = cli(['reliability', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3']);
    const r = expected('hs1939-reliability-visual');
    for (const key of ['alpha', 'alphaStd', 'averageR', 'omegaTotal', 'n']) {
      const shown = await cellValue('reliability', 'reliability-summary', key, 'value');
      close(shown, mine[key], 1e-12, `${key} vs CLI`);
      if (r[key] !== undefined) close(shown, r[key], 1e-6, `${key} vs R`);
    }
    close(await cellValue('reliability', 'reliability-summary', 'omegaTotal', 'lower'), mine.omegaTotalCi.lower, 1e-12, 'omega CI lower vs CLI');
    for (const item of r.items) {
      for (const col of ['mean', 'sd', 'rDrop', 'alphaIfDropped']) close(await cellValue('reliability', 'item-table', item.item, col), item[col], 1e-6, `${item.item} ${col} vs R`);
    }
  });

  it('runs parallel analysis and the EFA solution as `seici factors` and `seici efa`', async () => {
    await page.getByRole('tab', { name: 'Factors' }).click();
    await page.locator('#fa-items').fill('x1,x2,x3,x4,x5,x6,x7,x8,x9');
    await page.locator('#fa-n').fill('3');
    await page.locator('#fa-fm').selectOption('ml');
    await run('Factors', 'Run parallel analysis and EFA', 'factors');
    const efa = cli(['efa', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3,x4,x5,x6,x7,x8,x9', '--nfactors', '3', '--fm', 'ml']);
    const count = cli(['factors', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3,x4,x5,x6,x7,x8,x9', '--fm', 'ml']);
    for (const item of Object.keys(efa.loadings)) {
      for (let j = 0; j < 3; j++) close(await cellValue('factors', 'loadings', item, `F${j + 1}`), efa.loadings[item][j], 1e-9, `${item} F${j + 1} vs CLI`);
      close(await cellValue('factors', 'loadings', item, 'h2'), efa.communalities[item], 1e-9, `${item} h2 vs CLI`);
      // communalities do not depend on the factors' order or sign: against R directly
      close(await cellValue('factors', 'loadings', item, 'h2'), expected('hs1939-efa-3-ml-oblimin').communalities[item], 1e-3, `${item} h2 vs R`);
    }
    const R = expected('hs1939-efa-3-ml-oblimin');
    close(await cellValue('factors', 'efa-summary', 'chisq', 'value'), R.fit.chisq, 1e-3, 'chisq vs R');
    close(await cellValue('factors', 'efa-summary', 'kmo', 'value'), R.kmo, 1e-6, 'KMO vs R');
    for (let k = 0; k < 5; k++) {
      close(await cellValue('factors', 'parallel-table', String(k + 1), 'pc'), R.eigenvalues[k], 1e-6, `eigenvalue ${k + 1} vs R`);
      close(await cellValue('factors', 'parallel-table', String(k + 1), 'pcRandom'), count.parallel.resampled.components.quantile[k], 1e-9, `random eigenvalue ${k + 1} vs CLI`);
    }
    await waitForText('[data-testid="parallel-verdict"]', `retains ${count.parallel.nfactors} factor`);
    // the report's scree plot, rendered to SVG in the worker
    expect(await page.locator('[data-testid="result-factors"] figure.chart svg').first().isVisible()).toBe(true);
  });

  it('fits a CFA typed in lavaan syntax and tests invariance across a column\'s groups', async () => {
    const model = readFileSync(join(FIXTURES, 'hs1939-3factor.lav'), 'utf8');
    await page.getByRole('tab', { name: 'CFA and invariance' }).click();
    await page.getByLabel('Model in lavaan syntax').fill(model);
    await run('CFA and invariance', 'Fit the CFA', 'cfa');
    const R = expected('hs1939-cfa-3factor');
    for (const key of ['chisq', 'df', 'cfi', 'tli', 'rmsea', 'rmseaLower', 'rmseaUpper', 'srmr', 'aic', 'bic']) close(await cellValue('cfa', 'fit', 'model', key), R.fit[key], 1e-3, `fit ${key} vs R`);
    for (const e of R.estimates) {
      const row = `${e.lhs}${e.op}${e.rhs}`;
      close(await cellValue('cfa', 'estimates', row, 'est'), e.est, 1e-3, `${row} est vs R`);
      close(await cellValue('cfa', 'estimates', row, 'std'), e.std, 1e-3, `${row} std vs R`);
    }

    await page.getByLabel('Groups').selectOption('school');
    await run('CFA and invariance', 'Test invariance across groups', 'invariance');
    const I = expected('hs1939-invariance-school');
    const mine = cli(['invariance', '--csv', 'hs1939.csv', '--model', 'hs1939-3factor.lav', '--group', 'school']);
    for (const [i, m] of I.models.entries()) {
      for (const key of ['chisq', 'df', 'cfi', 'rmsea', 'srmr', 'bic']) {
        const shown = await cellValue('invariance', 'invariance-models', m.level, key);
        close(shown, m[key], 1e-3, `${m.level} ${key} vs R`);
        close(shown, mine.models[i][key], 1e-9, `${m.level} ${key} vs CLI`);
      }
    }
    for (const c of I.comparisons) {
      close(await cellValue('invariance', 'invariance-comparisons', `${c.from}-${c.to}`, 'chisqDiff'), c.chisqDiff, 1e-3, `${c.from}→${c.to} Δχ² vs R`);
      expect(await page.locator('[data-testid="result-invariance"]').first().locator(`tr[data-row="${c.from}-${c.to}"] [data-col="holds"]`).getAttribute('data-value')).toBe(String(c.holds));
    }
  });

  it('computes agreement and ICCs, and SEI-CI unit scores with their charts, from other files', async () => {
    await dropFile('cohesion.csv', readFileSync(join(FIXTURES, 'cohesion.csv'), 'utf8'));
    await page.getByRole('tab', { name: 'Agreement' }).click();
    await page.locator('#ag-items').fill('COH01,COH02,COH03,COH04,COH05');
    await page.locator('#ag-group').selectOption('UNIT');
    await page.locator('#ag-points').fill('5');
    await run('Agreement', 'Compute agreement', 'agreement');
    const A = expected('cohesion-agreement-unit');
    for (const key of ['icc1', 'icc2', 'F', 'p', 'meanRwgj']) close(await cellValue('agreement', 'agreement-summary', key, 'value'), key === 'F' || key === 'p' ? A.anova[key] : A[key], 1e-6, `${key} vs R`);
    for (const u of A.units) close(await cellValue('agreement', 'agreement-units', u.unit, 'rwgj'), u.rwgj, 1e-6, `${u.unit} rwg(j) vs R`);

    await dropFile('sei-small.csv', readFileSync(join(FIXTURES, 'sei-small.csv'), 'utf8'));
    await page.getByRole('tab', { name: 'Unit scores' }).click();
    await page.getByLabel('Item map (JSON)').fill(readFileSync(join(FIXTURES, 'sei-small-map.json'), 'utf8'));
    await page.locator('#sc-unit').selectOption('team');
    await page.locator('#sc-wave').selectOption('round');
    await page.locator('#sc-k').fill('1');
    await run('Unit scores', 'Score the units', 'score');
    const S = expected('sei-small-score');
    for (const u of S.units) {
      const row = `${u.unit}|${u.wave}`;
      close(await cellValue('score', 'unit-scores', row, 'structural'), u.dimensions.structural, 1e-6, `${row} S vs R`);
      close(await cellValue('score', 'unit-scores', row, 'seiCi'), u.seiCi, 1e-6, `${row} SEI-CI vs R`);
      close(await cellValue('score', 'unit-scores', row, 'misalignment'), u.misalignment, 1e-6, `${row} M vs R`);
    }
    // the unit report's heatmap and bars for the first unit-wave, then for another one picked
    const charts = page.locator('[data-testid="result-score"] figure.chart');
    expect(await charts.count()).toBe(2);
    expect(await charts.first().getAttribute('aria-label')).toContain(`${S.units[0].unit} · ${S.units[0].wave}`);
    await page.locator('[data-testid="result-score"] .unit-picker select').selectOption({ index: 1 });
    await expect.poll(() => charts.first().getAttribute('aria-label')).toContain(`${S.units[1].unit} · ${S.units[1].wave}`);
  });

  it('says what is wrong with a form in one sentence, computing nothing', async () => {
    await page.getByRole('tab', { name: 'Reliability' }).click();
    await page.locator('#rel-items').fill('SxA_1,nope');
    await page.getByRole('button', { name: 'Compute reliability' }).click();
    expect(await page.getByTestId('run-status').textContent()).toBe('Items: "nope" is not a column of sei-small.csv.');
    await page.getByRole('tab', { name: 'CFA and invariance' }).click();
    await page.getByLabel('Model in lavaan syntax').fill('f =~ SxA_1 + SxA_2 +');
    await page.getByRole('button', { name: 'Fit the CFA' }).click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('class')).toContain('error');
    expect(await page.getByTestId('run-status').textContent()).not.toContain('unexpectedly');
  });

  it('made no network request after loading, and no CSP violation or script error', async () => {
    expect(lateRequests).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('looks right at 1280 × 900 and 390 × 844', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'analyse-scores-1280x900-full.png'), fullPage: true });
    await dropFile('hs1939.csv', readFileSync(join(FIXTURES, 'hs1939.csv'), 'utf8'));
    await page.getByRole('tab', { name: 'Factors' }).click();
    await page.locator('#fa-items').fill('x1,x2,x3,x4,x5,x6,x7,x8,x9');
    await page.locator('#fa-n').fill('');
    await run('Factors', 'Run parallel analysis and EFA', 'factors');
    await page.screenshot({ path: join(SHOTS, 'analyse-1280x900.png') });
    await page.screenshot({ path: join(SHOTS, 'analyse-factors-1280x900-full.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'analyse-390x844.png') });
    await page.screenshot({ path: join(SHOTS, 'analyse-factors-390x844-full.png'), fullPage: true });
    // nothing wider than the phone's screen: wide tables and charts scroll inside their own boxes
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('a 20,000 × 72 file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seici-analyse-'));
    // nine correlated blocks of eight 7-point items, a seeded generator, 400 units
    let s = 12345;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const items = Array.from({ length: 72 }, (_, j) => `q${j + 1}`);
    const lines = [['unit', ...items].join(',')];
    for (let i = 0; i < 20_000; i++) {
      const f = Array.from({ length: 9 }, () => random() * 2 - 1);
      const row = [`u${i % 400}`];
      for (let j = 0; j < 72; j++) row.push(String(Math.max(1, Math.min(7, Math.round(4 + 1.2 * f[j % 9] + (random() - 0.5) * 2.5)))));
      lines.push(row.join(','));
    }
    writeFileSync(join(dir, 'big.csv'), lines.join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is analysed in the worker while the main thread never blocks for 200 ms', async () => {
    // Chromium's own trace of the page's main thread: each task with its wall time and the CPU
    // time the thread spent on it (tdur), which the machine's other load cannot stretch
    const cdp = await browser.context.newCDPSession(page);
    const events: { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
    await cdp.send('Tracing.start', { categories: 'toplevel,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; frameGap: number; stopFrames: boolean };
      w.longTasks = [];
      w.frameGap = 0;
      w.stopFrames = false;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const frame = (t: number) => {
        w.frameGap = Math.max(w.frameGap, t - last);
        last = t;
        if (!w.stopFrames) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await page.locator('#file-input').setInputFiles(join(dir, 'big.csv'));
    await expect.poll(() => page.getByTestId('file-status').textContent(), { timeout: 60_000 }).toContain('20,000 rows, 73 columns');
    await page.getByRole('tab', { name: 'Reliability' }).click();
    await page.getByRole('button', { name: 'all numeric columns' }).first().click();
    await page.locator('#rel-boot').fill('0');
    // the page answers while the worker computes: a click on another tab is handled at once
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Compute reliability' }).click();
    await waitForText('[data-testid="run-status"]', 'Computing');
    await page.getByRole('tab', { name: 'Factors' }).click({ timeout: 1000 });
    expect(await page.locator('#form-factors').isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-testid="result-reliability"] [data-testid="item-table"] tbody tr').count(), { timeout: 300_000 }).toBe(72);
    const seconds = (Date.now() - clicked) / 1000;
    const { longTasks, frameGap } = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; frameGap: number; stopFrames: boolean };
      w.stopFrames = true;
      return { longTasks: w.longTasks, frameGap: w.frameGap };
    });
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    const threads = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args?.name]));
    const mainTasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && threads.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
    const workerTasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && threads.get(`${e.pid}:${e.tid}`) === 'DedicatedWorker thread');
    const mainCpu = Math.max(0, ...mainTasks.map((e) => (e.tdur ?? 0) / 1000));
    const workerWall = Math.max(0, ...workerTasks.map((e) => (e.dur ?? 0) / 1000));
    const longest = Math.max(0, ...longTasks);
    console.log(
      `20,000 × 72 reliability: ${seconds.toFixed(1)} s; main thread: ${mainTasks.length} tasks, the longest ${mainCpu.toFixed(0)} ms of CPU, ` +
        `long tasks ${longTasks.length} (longest ${longest.toFixed(0)} ms wall), longest frame gap ${frameGap.toFixed(0)} ms; worker's longest task ${(workerWall / 1000).toFixed(1)} s`,
    );
    expect(mainTasks.length).toBeGreaterThan(0);
    // the analysis ran in the worker, not on the main thread: the worker held a task longer than
    // any the main thread is allowed (≈ 0.7 s on this session's machine; a fixed second failed on a faster one)
    expect(workerWall).toBeGreaterThan(200);
    expect(workerWall).toBeGreaterThan(2 * mainCpu);
    // no main-thread task took 200 ms of the thread's time, however busy the machine
    expect(mainCpu).toBeLessThan(200);
    if (process.env.SEICI_TIMED_TESTS === '1') {
      // on an otherwise idle machine, in wall time too: no long task of 200 ms, no frame missed for that long
      expect(longest).toBeLessThan(200);
      expect(frameGap).toBeLessThan(200);
    }
    expect(await cellValue('reliability', 'reliability-summary', 'n', 'value')).toBe(20_000);
    expect(lateRequests).toEqual([]);
    expect(problems).toEqual([]);
  }, 400_000);
});
