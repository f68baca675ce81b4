/**
 * Benchmark: peak memory of the server while it takes one large trace upload (issue 16). The
 * server runs in a child process of its own (the embedded SQLite store, nothing else running),
 * so its peak RSS (`resourceUsage().maxRSS`) is the upload's and not the client's; this process
 * writes a unit's events to a temporary file of a quarter of the import limit (50 MB) and one near
 * it, and streams each to `POST /api/v1/units/:key/traces` from disk, as native CSV, as the native
 * JSON array and as Jira's REST search answer (one issue per event, its changelog expanded). Each
 * upload gets a fresh server. Reported: the file, the events stored, the wall time, the server's
 * CPU time for the upload (user + system, steadier than the wall time on a shared machine), and
 * the server's RSS before the upload and at its peak.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ADMIN = 'bench-admin-token-0123456789abcdefghijklmnopqrstu';
const LIMIT = 50 * 1024 * 1024;
/** Upload sizes measured: a quarter of the import limit and the limit itself, to show how the peak grows with the upload. */
const SIZES = [LIMIT / 4, LIMIT];
type Format = 'csv' | 'json' | 'jira';
const FORMATS: readonly Format[] = ['csv', 'json', 'jira'];
const TYPES = ['closed', 'reopened', 'rework', 'decision_opened', 'decision_made', 'approval', 'escalation', 'revisited'] as const;

/** The server side: an app on a fresh SQLite store, answering the parent's messages. */
async function serve(): Promise<void> {
  const { startEmbeddedApp } = await import('./loader/embedded_app.js');
  const embedded = await startEmbeddedApp('seici-bench-upload-', ADMIN);
  (global.gc as (() => void) | undefined)?.();
  process.on('message', (m: string) => {
    if (m === 'rss') {
      const usage = process.resourceUsage();
      process.send!({ maxRssKb: usage.maxRSS, rss: process.memoryUsage().rss, cpuUs: usage.userCPUTime + usage.systemCPUTime });
    }
    if (m === 'stop') {
      void embedded.stop().then(() => process.exit(0));
    }
  });
  const usage = process.resourceUsage();
  process.send!({ port: embedded.port, maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime });
}

/** Writes events of `unit` to `path` until the file is near `bytes`; returns the count. */
function writeEvents(path: string, unit: string, format: Format, bytes: number): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let n = 0;
  const put = (s: string) => {
    written += writeSync(fd, s);
  };
  put(format === 'csv' ? 'unit,timestamp,type,key,ref\n' : format === 'jira' ? '{"startAt":0,"issues":[' : '[');
  const start = Date.UTC(2025, 0, 6);
  let batch = '';
  while (written + batch.length < bytes - 4096) {
    const type = TYPES[n % TYPES.length];
    const time = new Date(start + (n % 52) * 7 * 86_400_000 + (n % 5) * 86_400_000 + ((n * 7919) % 36_000) * 1000).toISOString();
    const key = `W${n % 5000}`;
    if (format === 'csv') batch += `${unit},${time},${type},${key},\n`;
    else if (format === 'json') batch += `${n === 0 ? '' : ','}\n{"unit":"${unit}","timestamp":"${time}","type":"${type}","key":"${key}","ref":null}`;
    else {
      // one issue, one status change: into Done (closed) or out of it (reopened)
      const [from, to] = n % 2 === 0 ? ['In Progress', 'Done'] : ['Done', 'In Progress'];
      batch += `${n === 0 ? '' : ','}\n{"key":"PAY-${n}","fields":{"project":{"key":"PAY"},"summary":"Work item ${n}"},"changelog":{"startAt":0,"histories":[{"id":"${n}","created":"${time}","items":[{"field":"status","fieldtype":"jira","fromString":"${from}","toString":"${to}"}]}]}}`;
    }
    n++;
    if (batch.length > 1 << 20) {
      put(batch);
      batch = '';
    }
  }
  put(batch + (format === 'json' ? '\n]\n' : format === 'jira' ? '\n]}\n' : ''));
  closeSync(fd);
  return n;
}

function message<T>(child: ChildProcess, ask?: string): Promise<T> {
  return new Promise((ok) => {
    child.once('message', (m) => ok(m as T));
    if (ask) child.send(ask);
  });
}

async function measure(format: Format, bytes: number, dir: string): Promise<string> {
  const path = join(dir, `events.${format}`);
  const events = writeEvents(path, 'big', format, bytes);
  const size = statSync(path).size;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port, maxRssKb: before, cpuUs: cpuBefore } = await message<{ port: number; maxRssKb: number; cpuUs: number }>(child);
  const base = `http://127.0.0.1:${port}/api/v1`;
  const auth = { Authorization: `Bearer ${ADMIN}` };
  const unit = await fetch(`${base}/units`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'big', name: 'Big unit' }) });
  if (unit.status !== 201) throw new Error(`unit: ${unit.status}`);
  const t0 = performance.now();
  const res = await fetch(`${base}/units/big/traces${format === 'csv' ? '' : `?format=${format}`}`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': format === 'csv' ? 'text/csv' : 'application/json', 'Content-Length': String(size) },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json()) as { events?: number; error?: string };
  const wall = (performance.now() - t0) / 1000;
  const { maxRssKb, cpuUs } = await message<{ maxRssKb: number; cpuUs: number }>(child, 'rss');
  child.send('stop');
  await new Promise((ok) => child.once('exit', ok));
  if (res.status !== 201 || body.events !== events) throw new Error(`${format} upload: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  return `| ${format === 'jira' ? 'Jira REST JSON (changelog expanded)' : `native ${format.toUpperCase()}`} | ${(size / 1048576).toFixed(1)} MB | ${events.toLocaleString('en')} | ${wall.toFixed(1)} s | ${((cpuUs - cpuBefore) / 1e6).toFixed(1)} s | ${mb(before)} | ${mb(maxRssKb)} | ${mb(maxRssKb - before)} |`;
}

export async function run(formats: readonly Format[] = FORMATS): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-traces-'));
  try {
    const rows = [];
    for (const format of formats) for (const bytes of SIZES) rows.push(await measure(format, bytes, dir));
    return [
      '## trace_upload_memory',
      '',
      'One trace upload of a quarter of the 50 MB import limit and one near it, each streamed from disk to a fresh server process (SQLite); peak RSS of the server process.',
      '',
      '| upload | file | events | wall | server CPU | RSS before | peak RSS | peak − before |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) void serve();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node dist/bench/trace_upload_memory.js json` measures one format only.
  const only = process.argv.slice(2).filter((a): a is Format => (FORMATS as readonly string[]).includes(a));
  void run(only.length > 0 ? only : undefined).then((s) => process.stdout.write(s + '\n'));
}
