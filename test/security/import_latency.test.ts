import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { answerAll, inviteLinks, itemIds, openWave } from './survey.js';

/** The largest unit CSV the API takes is 5 MB; this one is just under it. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;

function maximumUnitCsv(): { csv: string; rows: number } {
  const lines = ['key,name,parentKey,context,site,region,cost_centre'];
  let size = lines[0].length + 1;
  for (let i = 0; ; i++) {
    const key = `imp-${String(i).padStart(6, '0')}`;
    const parent = i < 100 ? '' : `imp-${String(i % 100).padStart(6, '0')}`;
    const line = `${key},Imported team ${i} of the organisation,${parent},${i % 2 ? 'north' : 'south'},site-${i % 37},region-${i % 7},cc-${100000 + i}`;
    if (size + line.length + 1 > MAX_CSV_BYTES - 64) return { csv: lines.join('\n') + '\n', rows: lines.length - 1 };
    lines.push(line);
    size += line.length + 1;
  }
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

describe.each(BACKENDS)('a maximum-size unit import on $label', (backend) => {
  let t: TestApp;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    server?.closeAllConnections();
    await t?.cleanup();
  });

  it.skipIf(backend.skip)('keeps answer submissions under 100 ms at the 99th percentile while it runs', async (ctx) => {
    const waveId = await openWave(t, ['team-a']);
    const tokens = await inviteLinks(t, waveId, "team-a", Number(process.env.SUBMIT_TOKENS ?? 4000));
    const answers = answerAll(await itemIds(t), 4);
    const { csv, rows } = maximumUnitCsv();
    expect(csv.length).toBeGreaterThan(MAX_CSV_BYTES - 200);

    // The same submissions without an import, for comparison.
    let next = 0;
    const submit = async (token: string, into: number[], complete = true) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, answers, complete }) });
      await res.arrayBuffer();
      into.push(performance.now() - started);
      expect(complete ? [201] : [200, 201]).toContain(res.status);
    };
    // Four links are kept back for partial saves (repeatable on one link), so that the submitters
    // keep writing for the whole import even on a machine where complete sets use up the others.
    const spare = tokens.splice(tokens.length - 4, 4);
    const baseline: number[] = [];
    const quiet = async () => {
      while (baseline.length < 400) await submit(tokens[next++], baseline);
    };
    await Promise.all([quiet(), quiet(), quiet(), quiet()]);

    let importing = true;
    const importStarted = performance.now();
    const imported = fetch(`${base}/api/v1/units/import`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' }, body: csv }).then(async (res) => {
      const body = (await res.json()) as { created?: number };
      importing = false;
      return { status: res.status, body, seconds: (performance.now() - importStarted) / 1000 };
    });
    const latencies: number[] = [];
    const submitter = async (i: number) => {
      while (importing) {
        if (next < tokens.length) await submit(tokens[next++], latencies);
        else await submit(spare[i], latencies, false);
      }
    };
    await Promise.all([submitter(0), submitter(1), submitter(2), submitter(3)]);
    const result = await imported;
    expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(200);
    expect(result.body.created).toBe(rows);
    expect(importing).toBe(false);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    console.log(`${backend.label}: without an import, p50 ${percentile(baseline, 0.5).toFixed(1)} ms, p99 ${percentile(baseline, 0.99).toFixed(1)} ms`);
    console.log(`${backend.label}: ${rows} units (${(csv.length / 1e6).toFixed(2)} MB) imported in ${result.seconds.toFixed(1)} s; ${latencies.length} submissions meanwhile, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThan(100);
    // The import does not hold answers: before it ran in bounded transactions off the main thread,
    // a submission waited for the whole import (39 s); now none waits for even half of it.
    expect(Math.max(...latencies)).toBeLessThan((result.seconds * 1000) / 2);
    const stored = await t.db('units').where('key', 'like', 'imp-%').count({ n: '*' });
    expect(Number(stored[0].n)).toBe(rows);
    const child = await t.db('units as u').join('units as p', 'p.id', 'u.parent_id').where('u.key', 'imp-000150').first('p.key');
    expect(child.key).toBe('imp-000050');
    // Latency targets are judged only where asked (SEICI_TIMED_TESTS=1, on a machine doing nothing
    // else), and only when the machine meets the bound without an import: a shared or busy machine
    // (CI runs test files in parallel) cannot judge a 100 ms p99, and the test says so.
    if (process.env.SEICI_TIMED_TESTS !== '1') ctx.skip('latency targets are judged only with SEICI_TIMED_TESTS=1 (the numbers are printed above)');
    const quietP99 = percentile(baseline, 0.99);
    if (quietP99 >= 50) ctx.skip(`the machine is too busy to judge a 100 ms p99: without an import p99 is already ${quietP99.toFixed(0)} ms`);
    expect(p50).toBeLessThan(2 * percentile(baseline, 0.5) + 20);
    expect(p99).toBeLessThan(100);
  }, 300_000);
});
