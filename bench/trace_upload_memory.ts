/**
 * Benchmark: peak memory of the server while it takes one large trace upload (issue 16). The
 * server runs in a child process of its own (the embedded SQLite store, nothing else running),
 * so its peak RSS (`resourceUsage().maxRSS`) is the upload's and not the client's; this process
 * writes a unit's events to a temporary file near the import limit (50 MB) and streams it to
 * `POST /api/v1/units/:key/traces` from disk, as native CSV and as the native JSON array. Each
 * upload gets a fresh server. Reported: the file, the events stored, the wall time, and the
 * server's RSS before the upload and at its peak.
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
const TYPES = ['closed', 'reopened', 'rework', 'decision_opened', 'decision_made', 'approval', 'escalation', 'revisited'] as const;

/** The server side: an app on a fresh SQLite store, answering the parent's messages. */
async function serve(): Promise<void> {
  const { startEmbeddedApp } = await import('./loader/embedded_app.js');
  const embedded = await startEmbeddedApp('seici-bench-upload-', ADMIN);
  (global.gc as (() => void) | undefined)?.();
  process.on('message', (m: string) => {
    if (m === 'rss') process.send!({ maxRssKb: process.resourceUsage().maxRSS, rss: process.memoryUsage().rss });
    if (m === 'stop') {
      void embedded.stop().then(() => process.exit(0));
    }
  });
  process.send!({ port: embedded.port, maxRssKb: process.resourceUsage().maxRSS });
}

/** Writes events of `unit` to `path` until the file is near `bytes`; returns the count. */
function writeEvents(path: string, unit: string, format: 'csv' | 'json', bytes: number): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let n = 0;
  const put = (s: string) => {
    written += writeSync(fd, s);
  };
  put(format === 'csv' ? 'unit,timestamp,type,key,ref\n' : '[');
  const start = Date.UTC(2025, 0, 6);
  let batch = '';
  while (written + batch.length < bytes - 4096) {
    const type = TYPES[n % TYPES.length];
    const time = new Date(start + (n % 52) * 7 * 86_400_000 + (n % 5) * 86_400_000 + ((n * 7919) % 36_000) * 1000).toISOString();
    const key = `W${n % 5000}`;
    batch += format === 'csv' ? `${unit},${time},${type},${key},\n` : `${n === 0 ? '' : ','}\n{"unit":"${unit}","timestamp":"${time}","type":"${type}","key":"${key}","ref":null}`;
    n++;
    if (batch.length > 1 << 20) {
      put(batch);
      batch = '';
    }
  }
  put(batch + (format === 'json' ? '\n]\n' : ''));
  closeSync(fd);
  return n;
}

function message<T>(child: ChildProcess, ask?: string): Promise<T> {
  return new Promise((ok) => {
    child.once('message', (m) => ok(m as T));
    if (ask) child.send(ask);
  });
}

async function measure(format: 'csv' | 'json', dir: string): Promise<string> {
  const path = join(dir, `events.${format}`);
  const events = writeEvents(path, 'big', format, LIMIT);
  const size = statSync(path).size;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port, maxRssKb: before } = await message<{ port: number; maxRssKb: number }>(child);
  const base = `http://127.0.0.1:${port}/api/v1`;
  const auth = { Authorization: `Bearer ${ADMIN}` };
  const unit = await fetch(`${base}/units`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'big', name: 'Big unit' }) });
  if (unit.status !== 201) throw new Error(`unit: ${unit.status}`);
  const t0 = performance.now();
  const res = await fetch(`${base}/units/big/traces${format === 'json' ? '?format=json' : ''}`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': format === 'csv' ? 'text/csv' : 'application/json', 'Content-Length': String(size) },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json()) as { events?: number; error?: string };
  const wall = (performance.now() - t0) / 1000;
  const { maxRssKb } = await message<{ maxRssKb: number }>(child, 'rss');
  child.send('stop');
  await new Promise((ok) => child.once('exit', ok));
  if (res.status !== 201 || body.events !== events) throw new Error(`${format} upload: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  return `| native ${format.toUpperCase()} | ${(size / 1048576).toFixed(1)} MB | ${events.toLocaleString('en')} | ${wall.toFixed(1)} s | ${mb(before)} | ${mb(maxRssKb)} | ${mb(maxRssKb - before)} |`;
}

export async function run(formats: readonly ('csv' | 'json')[] = ['csv', 'json']): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-traces-'));
  try {
    const rows = [];
    for (const format of formats) rows.push(await measure(format, dir));
    return [
      '## trace_upload_memory',
      '',
      'One trace upload near the 50 MB import limit, streamed from disk to a fresh server process (SQLite); peak RSS of the server process.',
      '',
      '| upload | file | events | wall | RSS before | peak RSS | peak − before |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) void serve();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node dist/bench/trace_upload_memory.js json` measures one format only.
  const only = process.argv.slice(2).filter((a): a is 'csv' | 'json' => a === 'csv' || a === 'json');
  void run(only.length > 0 ? only : undefined).then((s) => process.stdout.write(s + '\n'));
}
