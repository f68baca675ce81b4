/**
 * Benchmark: sustained complete SEI-CI submissions (72 answers each, one fresh invitation token
 * per request) over HTTP on loopback against `npm start`'s server (dist/server/main.js, the
 * embedded SQLite database in WAL mode with synchronous=FULL) as a child process, driven by
 * autocannon with 16 connections: requests per second, p50 and p99 latency, over RUNS runs of
 * SECONDS seconds after a warm-up (medians). In the same run, the ceiling: a bare
 * better-sqlite3 insert of the same answer sets, one durable transaction each, on the same
 * disk. Target on the 2-core machine: ≥ 2,000 submissions/s with p99 < 50 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { median } from './timing.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../server/main.js');
const ADMIN = 'bench-admin-token-0123456789abcdefghijklmnopqrstu';
const RUNS = 3;
const SECONDS = 8;
const WARMUP_SECONDS = 2;
const CONNECTIONS = 16;
/** More tokens than the fastest plausible run can use. */
const TOKENS_PER_RUN = 6_000 * SECONDS;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  // SEICI_BENCH_NODE_ARGS passes flags to the server's node (e.g. --cpu-prof --cpu-prof-dir=DIR to profile it).
  const nodeArgs = (process.env.SEICI_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...process.env, PORT: String(port), SEICI_DATA_DIR: dataDir, SEICI_ADMIN_TOKEN: ADMIN, SEICI_DEMO: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server did not start');
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 72 answers on the 1–7 scale with about 2% "not applicable". */
function answerSet(ids: readonly string[], rnd: () => number): Record<string, number | null> {
  return Object.fromEntries(ids.map((id) => [id, rnd() < 0.02 ? null : 1 + Math.floor(rnd() * 7)]));
}

interface Load {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
}

async function load(url: string, bodies: readonly string[], seconds: number): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/responses',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** The ceiling: durable single-row inserts of the same JSON answer sets straight into better-sqlite3. */
function bareInsertRate(dir: string, bodies: readonly string[]): number {
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table responses (id integer primary key, invitation_id integer not null unique, answers text not null, complete integer not null)');
  const insert = db.prepare('insert into responses (invitation_id, answers, complete) values (?, ?, 1)');
  const n = Math.min(bodies.length, 30_000);
  const answers = bodies.slice(0, n).map((b) => JSON.stringify(JSON.parse(b).answers));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) insert.run(i, answers[i]);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return n / seconds;
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-server-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(dir, port);
  try {
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const post = async <T = unknown>(path: string, body: unknown): Promise<T> => {
      const res = await fetch(url + path, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    await post('/api/v1/units', { key: 'bench', name: 'Bench unit' });
    const wave = await post<{ id: number }>('/api/v1/waves', {
      name: 'Bench',
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      unitKeys: ['bench'],
    });
    const instrument = (await (await fetch(`${url}/api/v1/instrument`)).json()) as { items: { id: string; cell: string | null }[] };
    const items = instrument.items;
    const ids = items.filter((i) => i.cell !== null).map((i) => i.id);
    const rnd = random(2026);
    const bodiesFor = async (count: number): Promise<string[]> => {
      const bodies: string[] = [];
      while (bodies.length < count) {
        const batch = await post<{ invitations: { token: string }[] }>(`/api/v1/waves/${wave.id}/invitations`, { unitKey: 'bench', count: Math.min(10_000, count - bodies.length) });
        for (const { token } of batch.invitations) bodies.push(JSON.stringify({ token, answers: answerSet(ids, rnd), complete: true }));
      }
      return bodies;
    };
    await load(url, await bodiesFor(6_000 * WARMUP_SECONDS), WARMUP_SECONDS);
    const runs: Load[] = [];
    let lastBodies: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      lastBodies = await bodiesFor(TOKENS_PER_RUN);
      const l = await load(url, lastBodies, SECONDS);
      if (l.ok > lastBodies.length) throw new Error('a run used more requests than it had tokens; raise TOKENS_PER_RUN');
      runs.push(l);
    }
    const bare = bareInsertRate(dir, lastBodies);
    const failed = runs.reduce((a, l) => a + l.failed, 0);
    const rate = median(runs.map((l) => l.rate));
    const p50 = median(runs.map((l) => l.p50));
    const p99 = median(runs.map((l) => l.p99));
    return [
      '## server',
      '',
      `Complete 72-item submissions over HTTP on loopback (autocannon, ${CONNECTIONS} connections, ${RUNS} runs of ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up; medians), SQLite WAL + synchronous=FULL:`,
      '',
      '| measure | value |',
      '|---|---|',
      `| submissions/s over HTTP | ${rate.toFixed(0)} |`,
      `| latency p50 | ${p50.toFixed(1)} ms |`,
      `| latency p99 | ${p99.toFixed(1)} ms |`,
      `| failed requests (non-2xx, errors, timeouts) | ${failed} |`,
      `| bare better-sqlite3 durable inserts/s (ceiling, same run) | ${bare.toFixed(0)} |`,
      '',
      `Target ≥ 2,000/s with p99 < 50 ms: ${rate >= 2000 && p99 < 50 ? 'met' : 'NOT met'}. Load average at the end of the run: ${loadavg()[0].toFixed(1)} (2 cores; anything above ~2 means other processes took CPU from the server and the loader).`,
    ].join('\n');
  } finally {
    await new Promise<void>((done) => {
      const force = setTimeout(() => server.kill('SIGKILL'), 10_000);
      server.once('exit', () => {
        clearTimeout(force);
        done();
      });
      server.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}
