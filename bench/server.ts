/**
 * Benchmark: sustained complete SEI-CI submissions (72 answers each, one fresh invitation token
 * per request) over HTTP on loopback against `npm start`'s server (dist/server/main.js) as child
 * processes, in three set-ups: SQLite (WAL, synchronous=FULL) with one process; SQLite with two
 * HTTP processes in front of the one writer (SEICI_PROCESSES=2); PostgreSQL (a throwaway server
 * with its durable defaults) with two processes, each at 20 and 100 connections: answer sets
 * per second, p50 and p99 latency, medians of RUNS runs of SECONDS seconds after a warm-up,
 * driven by wrk (when installed: a C loader that needs a fraction of autocannon's CPU per
 * request) and by autocannon, every row reported for each, and at 100 connections by an open
 * loop at a fixed 4,000 requests a second (bench/loader/open_loop_child.ts: the latency at the
 * target's rate, each request's counted from when it was due). The load generator shares the
 * machine's cores with the server, so it runs as a child process at a lower priority (nice
 * 10). In the same run, the ceilings: bare better-sqlite3 inserts of the same answer sets, one durable transaction each, on the same
 * disk, and the same through one PostgreSQL connection. Target on the 2-core machine (issue 16):
 * ≥ 4,000 answer sets/s with p99 < 50 ms at 100 connections.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres } from './loader/postgres.js';
import { median } from './timing.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAIN = resolve(HERE, '../server/main.js');
/**
 * The load generators: wrk when installed (a C loader, a fraction of autocannon's CPU per request)
 * and autocannon, both closed loops (the highest rate, and the latency at it); and `fixed`, an
 * open loop at FIXED_RATE requests a second (the latency at the target's rate, counted from when
 * each request was due), at 100 connections only.
 */
const LOADERS = { wrk: join(HERE, 'loader/wrk_child.js'), autocannon: join(HERE, 'loader/autocannon_child.js'), fixed: join(HERE, 'loader/open_loop_child.js') } as const;
type LoaderName = keyof typeof LOADERS;
const ADMIN = 'bench-admin-token-0123456789abcdefghijklmnopqrstu';
const RUNS = Number(process.env.SEICI_BENCH_SERVER_RUNS ?? 3);
const SECONDS = 8;
const WARMUP_SECONDS = 2;
// SEICI_BENCH_SERVER_CONNECTIONS=100 and SEICI_BENCH_SERVER_LOADERS=wrk narrow a run to a quick probe.
const CONNECTIONS = (process.env.SEICI_BENCH_SERVER_CONNECTIONS ?? '20,100').split(',').map(Number);
const LOADER_CHOICE = process.env.SEICI_BENCH_SERVER_LOADERS?.split(',').map((s) => s.trim()) as LoaderName[] | undefined;
// The loader's priority: nice 10 by default, so that the server gets the cores first (SEICI_BENCH_LOADER_NICE=0 gives both the same).
const LOADER_NICE = Number(process.env.SEICI_BENCH_LOADER_NICE ?? 10);
// The open loop's rate: issue 16's 4,000 answer sets a second unless SEICI_BENCH_FIXED_RATE says otherwise.
const FIXED_RATE = Number(process.env.SEICI_BENCH_FIXED_RATE ?? 4000);
if (!Number.isInteger(FIXED_RATE) || FIXED_RATE < 1) throw new Error('SEICI_BENCH_FIXED_RATE must be a whole number of requests a second');
if (!Number.isInteger(LOADER_NICE) || LOADER_NICE < 0 || LOADER_NICE > 19) throw new Error('SEICI_BENCH_LOADER_NICE must be a whole number from 0 to 19');
// SEICI_BENCH_SERVER_SETUPS=sqlite1,pg2 measures only those set-ups; SEICI_BENCH_PG_PROCESSES=3 the
// PostgreSQL row's process count (default 2; one count per run, as the set-ups share one database)
const ONLY = process.env.SEICI_BENCH_SERVER_SETUPS?.split(',').map((s) => s.trim()).filter(Boolean);
const PG_PROCESSES = Number(process.env.SEICI_BENCH_PG_PROCESSES ?? 2);
if (!Number.isInteger(PG_PROCESSES) || PG_PROCESSES < 1) throw new Error('SEICI_BENCH_PG_PROCESSES must be a whole number of processes, 1 or more');

/** More tokens than the fastest plausible run can use. */
const TOKENS_PER_RUN = 15_000 * SECONDS;

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

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // SEICI_BENCH_NODE_ARGS passes flags to the server's node (e.g. --cpu-prof --cpu-prof-dir=DIR to profile it).
  const nodeArgs = (process.env.SEICI_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...process.env, ...env, PORT: String(port), SEICI_ADMIN_TOKEN: ADMIN, SEICI_DEMO: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server did not start');
}

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (server.exitCode !== null) return done();
    const force = setTimeout(() => server.kill('SIGKILL'), 15_000);
    server.once('exit', () => {
      clearTimeout(force);
      done();
    });
    server.kill('SIGTERM');
  });
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
  readonly loaderCpuSeconds: number;
}

/** Whether `wrk` is on the PATH. */
function hasWrk(): Promise<boolean> {
  return new Promise((ok) => execFile('wrk', ['--version'], (err) => ok(err === null || (err as { code?: unknown }).code !== 'ENOENT')));
}

/** One run of a load generator in a child process at nice LOADER_NICE. */
function load(loader: LoaderName, url: string, connections: number, bodiesFile: string, seconds: number): Promise<Load> {
  return new Promise((ok, fail) => {
    const args = [LOADERS[loader], url, String(connections), String(seconds), bodiesFile, ...(loader === 'fixed' ? [String(FIXED_RATE)] : [])];
    execFile('nice', ['-n', String(LOADER_NICE), process.execPath, ...args], { maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) return fail(err);
      ok(JSON.parse(stdout.trim().split('\n').at(-1)!) as Load);
    });
  });
}

/** The ceiling: durable single-row inserts of the same JSON answer sets straight into better-sqlite3. */
function bareSqliteRate(dir: string, answers: readonly string[]): number {
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table responses (id integer primary key, invitation_id integer not null unique, answers text not null, complete integer not null)');
  const insert = db.prepare('insert into responses (invitation_id, answers, complete) values (?, ?, 1)');
  const n = Math.min(answers.length, 20_000);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) insert.run(i, answers[i]);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return n / seconds;
}

/** The same through one PostgreSQL connection: one autocommitted insert at a time. */
async function barePostgresRate(url: string, answers: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table bare_responses (id serial primary key, invitation_id integer not null unique, answers text not null, complete boolean not null)');
    const n = Math.min(answers.length, 5_000);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await client.query('insert into bare_responses (invitation_id, answers, complete) values ($1, $2, true)', [i, answers[i]]);
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await client.end();
  }
}

interface Setup {
  readonly name: string;
  readonly env: Record<string, string>;
}

interface Row {
  readonly setup: string;
  readonly loader: LoaderName;
  readonly connections: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  /** The loader's own CPU per request (µs). */
  readonly loaderUs: number;
  readonly load: number;
}

/** Measures one set-up at every connection count with every loader: RUNS runs each, fresh tokens for every run. */
async function measure(setup: Setup, dir: string, loaders: readonly LoaderName[]): Promise<{ rows: Row[]; answers: string[] }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(setup.env, port);
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
    const ids = instrument.items.filter((i) => i.cell !== null).map((i) => i.id);
    const rnd = random(2026);
    let answers: string[] = [];
    // Bodies a run did not reach keep their fresh tokens for the next run: both loaders send the
    // file's bodies in order, so at most ok + failed + 2 × connections of them were sent (those
    // in flight at the end, and one set up ahead per connection). A body sent twice would be a
    // retry of the same answer set (200), never a failure.
    let current: { body: string; answers: string }[] = [];
    let unused: { body: string; answers: string }[] = [];
    const bodiesFor = async (count: number): Promise<string> => {
      current = unused.slice(0, count);
      while (current.length < count) {
        const batch = await post<{ invitations: { token: string }[] }>(`/api/v1/waves/${wave.id}/invitations`, { unitKey: 'bench', count: Math.min(10_000, count - current.length) });
        for (const { token } of batch.invitations) {
          const set = answerSet(ids, rnd);
          current.push({ body: JSON.stringify({ token, answers: set, complete: true }), answers: JSON.stringify(set) });
        }
      }
      answers = current.map((c) => c.answers);
      const file = join(dir, 'bodies.jsonl');
      writeFileSync(file, current.map((c) => c.body).join('\n'));
      return file;
    };
    const spent = (l: Load, connections: number) => {
      unused = current.slice(l.ok + l.failed + 2 * connections);
    };
    spent(await load(loaders[0], url, 100, await bodiesFor(6_000 * WARMUP_SECONDS), WARMUP_SECONDS), 100);
    const rows: Row[] = [];
    for (const connections of CONNECTIONS) {
      for (const loader of loaders) {
        if (loader === 'fixed' && connections !== 100) continue;
        const runs: Load[] = [];
        for (let r = 0; r < RUNS; r++) {
          const l = await load(loader, url, connections, await bodiesFor(TOKENS_PER_RUN), SECONDS);
          if (l.ok + l.failed > TOKENS_PER_RUN) throw new Error('a run used more requests than it had tokens; raise TOKENS_PER_RUN');
          spent(l, connections);
          runs.push(l);
        }
        rows.push({
          setup: setup.name,
          loader,
          connections,
          rate: median(runs.map((l) => l.rate)),
          p50: median(runs.map((l) => l.p50)),
          p99: median(runs.map((l) => l.p99)),
          failed: runs.reduce((a, l) => a + l.failed, 0),
          loaderUs: median(runs.map((l) => (l.loaderCpuSeconds * 1e6) / Math.max(1, l.ok + l.failed))),
          load: loadavg()[0],
        });
      }
    }
    return { rows, answers };
  } finally {
    await stopServer(server);
  }
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-server-'));
  const postgres = startPostgres(await freePort());
  try {
    const all: (Setup & { id: string })[] = [
      { id: 'sqlite1', name: 'SQLite, 1 process', env: { SEICI_DATA_DIR: join(dir, 'one') } },
      { id: 'sqlite2', name: 'SQLite, 2 HTTP processes + 1 writer', env: { SEICI_DATA_DIR: join(dir, 'two'), SEICI_PROCESSES: '2' } },
    ];
    if (postgres) all.push({ id: `pg${PG_PROCESSES}`, name: `PostgreSQL, ${PG_PROCESSES} process${PG_PROCESSES === 1 ? '' : 'es'}`, env: { SEICI_DATA_DIR: join(dir, 'pg'), DATABASE_URL: postgres.url, SEICI_PROCESSES: String(PG_PROCESSES), SEICI_SECRET: 'bench-response-key-secret-0123456789abcdef' } });
    const unknown = ONLY?.filter((id) => !all.some((s) => s.id === id)) ?? [];
    if (unknown.length > 0) throw new Error(`SEICI_BENCH_SERVER_SETUPS names no set-up ${unknown.join(', ')} (known: ${all.map((s) => s.id).join(', ')})`);
    const setups: Setup[] = ONLY ? all.filter((s) => ONLY.includes(s.id)) : all;
    // Both loaders in the same run when wrk is installed (the bench is not part of CI; without wrk, autocannon alone).
    const loaders: LoaderName[] = ((await hasWrk()) ? ['wrk', 'autocannon', 'fixed'] : ['autocannon', 'fixed']).filter((l) => LOADER_CHOICE?.includes(l as LoaderName) ?? true) as LoaderName[];
    const rows: Row[] = [];
    let answers: string[] = [];
    for (const setup of setups) {
      const measured = await measure(setup, dir, loaders);
      rows.push(...measured.rows);
      answers = measured.answers;
    }
    const bareSqlite = bareSqliteRate(dir, answers);
    const barePostgres = postgres ? await barePostgresRate(postgres.url, answers) : undefined;
    const at100 = rows.filter((r) => r.connections === 100);
    // the open loop's rate is its answers over the time from the first due request to the last
    // answer: the offered rate less the last answer's share; a server that falls behind shows in p99
    const met = (r: Row) => (r.loader === 'fixed' ? r.failed === 0 && r.rate >= 0.99 * FIXED_RATE && FIXED_RATE >= 4000 : r.rate >= 4000) && r.p99 < 50;
    const loaderName = (l: LoaderName) => (l === 'fixed' ? `fixed ${FIXED_RATE}/s (open loop)` : l);
    return [
      '## server',
      '',
      `Complete 72-item answer sets over HTTP on loopback (the loader in a child process at nice ${LOADER_NICE}, ${RUNS} runs of ${SECONDS} s per row after a ${WARMUP_SECONDS} s warm-up; medians), SQLite WAL + synchronous=FULL, PostgreSQL with fsync and synchronous_commit on. Loaders: ${loaders.map(loaderName).join(', ')}${loaders.includes('wrk') ? '' : ' (wrk is not installed)'}; wrk and autocannon are closed loops (each connection sends when answered: the highest rate and the latency at it), the open loop sends at a fixed rate over 100 connections whatever the answers do and counts each request's latency from when it was due (at 100 connections only); "loader CPU" is the loader's own CPU per request, taken from the cores the server runs on:`,
      '',
      '| set-up | loader | connections | answer sets/s | p50 | p99 | failed | loader CPU | load average |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.setup} | ${loaderName(r.loader)} | ${r.connections} | ${r.rate.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.failed} | ${r.loaderUs.toFixed(0)} µs | ${r.load.toFixed(1)} |`),
      '',
      `Ceilings in the same run: bare better-sqlite3 durable single-row inserts ${bareSqlite.toFixed(0)}/s${barePostgres === undefined ? '; PostgreSQL not installed' : `; bare PostgreSQL single-row autocommitted inserts over one connection ${barePostgres.toFixed(0)}/s`}.`,
      '',
      `Target ≥ 4,000/s with p99 < 50 ms at 100 connections: ${at100.map((r) => `${r.setup} (${loaderName(r.loader)}) ${met(r) ? 'met' : 'NOT met'}`).join('; ')}. The load average is that at the end of each row (2 cores; above ~2 other processes took CPU from the server and the loader).`,
    ].join('\n');
  } finally {
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
