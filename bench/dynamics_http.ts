/**
 * Benchmark: the SEI dynamics calls over HTTP (server/dynamics) on the embedded SQLite store
 * (WAL, synchronous=FULL), the app listening on loopback in this process: importing one
 * large unit-year of coordination events as native CSV (validated row by row and stored in
 * one transaction), evaluating that unit's breakpoints and change points from the stored
 * events (`GET /units/:key/breakpoints`), and deleting the import. Medians of RUNS runs, each
 * on a fresh unit.
 */
import { performance } from 'node:perf_hooks';
import { startEmbeddedApp } from './loader/embedded_app.js';
import { median } from './timing.js';

const ADMIN = 'bench-admin-token-0123456789abcdefghijklmnopqrstu';
const RUNS = 3;
const WEEKS = 52;

/** Per week: how many events of each type a large unit produces. */
const WEEKLY = { closed: 1000, reopened: 100, rework: 150, decision_opened: 300, decision_made: 300, approval: 600, escalation: 50, artifact_created: 100, artifact_retired: 80, revisited: 50, owner_committed: 30 } as const;

/** A year of one unit's events as native CSV, times spread over each week's working hours. */
function unitYearCsv(unit: string): { csv: string; events: number } {
  const rows = ['unit,timestamp,type,key,ref'];
  const start = Date.UTC(2026, 0, 5);
  let seq = 0;
  for (let w = 0; w < WEEKS; w++) {
    for (const [type, count] of Object.entries(WEEKLY)) {
      for (let i = 0; i < count; i++) {
        const time = new Date(start + w * 7 * 86_400_000 + (i % 5) * 86_400_000 + 8 * 3_600_000 + ((i * 7919) % 36_000) * 1000).toISOString();
        const key = type.startsWith('decision') || type === 'approval' || type === 'escalation' ? `D${w}-${i % 300}` : type.startsWith('artifact') ? `DEP${i % 40}` : type === 'revisited' || type === 'owner_committed' ? `I${i % 25}` : `W${w}-${i}`;
        const ref = type.startsWith('artifact') ? `A${w}-${i}` : type === 'decision_opened' && i % 10 === 0 ? 'priority' : '';
        rows.push(`${unit},${time},${type},${key},${ref}`);
        seq++;
      }
    }
  }
  return { csv: rows.join('\n') + '\n', events: seq };
}

export async function run(): Promise<string> {
  const embedded = await startEmbeddedApp('seici-bench-dynamics-', ADMIN);
  const base = `http://127.0.0.1:${embedded.port}/api/v1`;
  const auth = { Authorization: `Bearer ${ADMIN}` };
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(base + path, { method, headers: { ...auth, ...(body !== undefined ? { 'Content-Type': type } : {}) }, body });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    const out = await fn();
    return { ms: performance.now() - t0, out };
  };
  try {
    const imports: number[] = [];
    const evaluations: number[] = [];
    const deletions: number[] = [];
    let events = 0;
    let bytes = 0;
    let found = 0;
    for (let r = 0; r < RUNS; r++) {
      const unit = `bench-${r}`;
      await call('POST', '/units', JSON.stringify({ key: unit, name: unit }));
      const { csv, events: n } = unitYearCsv(unit);
      events = n;
      bytes = Buffer.byteLength(csv);
      const imported = await time(() => call('POST', `/units/${unit}/traces`, csv, 'text/csv'));
      imports.push(imported.ms);
      const evaluated = await time(() => call('GET', `/units/${unit}/breakpoints`));
      evaluations.push(evaluated.ms);
      found = ((evaluated.out as { breakpoints: unknown[] }).breakpoints ?? []).length;
      const id = (imported.out as { id: number }).id;
      deletions.push((await time(() => call('DELETE', `/units/${unit}/traces/${id}`))).ms);
    }
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return [
      '## dynamics_http',
      '',
      `One unit-year (${WEEKS} weeks) of ${events.toLocaleString('en')} events, ${(bytes / 1e6).toFixed(1)} MB of native CSV, over HTTP on loopback; SQLite WAL, synchronous=FULL; medians of ${RUNS} runs.`,
      '',
      '| call | median | runs |',
      '|---|---|---|',
      `| POST /units/:key/traces (validate + store in one transaction) | ${f(median(imports))} | ${imports.map(f).join(', ')} |`,
      `| GET /units/:key/breakpoints (load + evaluate + change points; ${found} breakpoints) | ${f(median(evaluations))} | ${evaluations.map(f).join(', ')} |`,
      `| DELETE /units/:key/traces/:id | ${f(median(deletions))} | ${deletions.map(f).join(', ')} |`,
    ].join('\n');
  } finally {
    await embedded.stop();
  }
}
