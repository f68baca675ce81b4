import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadResponseKey, responseKeyOf } from '../../server/response_key.js';
import { seiAnswers, seeded, type ItemInfo } from './answers.js';
import { ADMIN_TOKEN } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/server/main.js');

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

/** Starts the built server (`npm start`'s entry) as a child process and waits until it answers. */
async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, PORT: String(port), SEICI_ADMIN_TOKEN: ADMIN_TOKEN, SEICI_DEMO: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  // Up to 60 s: a cluster starts a primary and its workers, each loading the app (about 1 s on a quiet machine).
  for (let i = 0; i < 1200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server did not start');
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGKILL');
  });
}

interface StoredAnswerSet {
  readonly response_key: string;
  readonly answers: string;
  readonly complete: number | boolean;
}

/** A store the server is started on, and how the test reads it back. */
interface CrashStore {
  readonly env: Record<string, string>;
  /** Checks the store's integrity and returns the wave's answer sets. */
  read(waveId: number): Promise<StoredAnswerSet[]>;
  /** The key a token's answer set is stored under (the key is outside the database: the SQLite data directory's file, or the PostgreSQL store's key file). */
  keyOf(token: string): string;
  cleanup(): Promise<void>;
}

function sqliteStore(): CrashStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-crash-'));
  return {
    env: { SEICI_DATA_DIR: dataDir },
    async read(waveId) {
      const db = new Database(join(dataDir, 'seici.db'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        return db.prepare('select response_key, answers, complete from responses where wave_id = ?').all(waveId) as StoredAnswerSet[];
      } finally {
        db.close();
      }
    },
    keyOf: (token) => responseKeyOf(loadResponseKey({ dataDir }), token),
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresStore(): Promise<CrashStore> {
  if (inject('postgresError')) throw new Error(inject('postgresError'));
  const adminUrl = inject('postgresUrl');
  const name = `seici_crash_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-crash-'));
  const keyFile = join(dataDir, 'response-key.hex');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  return {
    env: { DATABASE_URL: url, SEICI_DATA_DIR: dataDir, SEICI_RESPONSE_KEY_FILE: keyFile },
    async read(waveId) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // PostgreSQL's integrity after a client is killed is its own (the database itself is not
        // killed); what the test checks is the constraint that makes a token's answer set unique.
        const unique = await client.query("select 1 from pg_indexes where tablename = 'responses' and indexdef like 'CREATE UNIQUE INDEX%(response_key)'");
        expect(unique.rowCount).toBe(1);
        const rows = await client.query('select response_key, answers, complete from responses where wave_id = $1', [waveId]);
        return rows.rows as StoredAnswerSet[];
      } finally {
        await client.end();
      }
    },
    keyOf: (token) => responseKeyOf(loadResponseKey({ dataDir, databaseUrl: url, responseKeyFile: keyFile }), token),
    async cleanup() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const postgresSkip = inject('postgresUrl') || inject('postgresError') ? '' : inject('postgresSkipReason');

const CASES = [
  { label: 'SQLite, one process', processes: 1, store: async () => sqliteStore(), skip: '' },
  { label: 'SQLite, two HTTP processes in front of the one writer', processes: 2, store: async () => sqliteStore(), skip: '' },
  { label: 'PostgreSQL, two processes', processes: 2, store: postgresStore, skip: postgresSkip },
];

/** Clients sending answer sets at once: enough to keep a server at its ingest rate, so that kills land in full batches. */
const CLIENTS = 48;

describe.each(CASES)('crash safety ($label)', ({ processes, store: openStore, skip }) => {
  let server: ChildProcess | undefined;
  let store: CrashStore | undefined;
  let loading = true;
  afterAll(async () => {
    // Should the test fail, its clients stop too (they would otherwise go on sending to a port another case may get).
    loading = false;
    if (server) await killed(server);
    await store?.cleanup();
  });

  // About 10 s on a quiet 2-core machine; the limit leaves room for a loaded one.
  it.skipIf(skip !== '')('stores every acknowledged answer exactly once when the server is killed with SIGKILL during a load, and the store passes its integrity check', { timeout: 150_000 }, async () => {
    store = await openStore();
    const env = { ...store.env, SEICI_PROCESSES: String(processes) };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    server = await startServer(env, port);
    const post = (path: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
      fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/api/v1/units', { key: 'crash', name: 'Crash unit' }, auth)).status).toBe(201);
    const wave = (await (await post('/api/v1/waves', { name: 'Crash', opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(), unitKeys: ['crash'] }, auth)).json()) as { id: number };
    const items = ((await (await fetch(`${base}/api/v1/instrument`)).json()) as { items: ItemInfo[] }).items;
    const tokens: string[] = [];
    const issued = (await (await post(`/api/v1/waves/${wave.id}/invitations`, { unitKey: 'crash', count: 6000 }, auth)).json()) as { invitations: { token: string }[] };
    tokens.push(...issued.invitations.map((i) => i.token));
    const random = seeded(7);
    const submissions = tokens.map((token) => ({ token, answers: seiAnswers(items, random), complete: true }));

    const acknowledged = new Map<string, Record<string, number | null>>();
    let next = 0;
    let kills = 0;
    const unanswered: number[] = [];
    const client = async () => {
      while (loading) {
        const i = unanswered.length > 0 ? unanswered.pop()! : next < submissions.length ? next++ : -1;
        if (i < 0) return;
        try {
          const res = await post('/api/v1/responses', submissions[i]);
          await res.text();
          if (res.status === 200 || res.status === 201) acknowledged.set(submissions[i].token, submissions[i].answers);
          else throw new Error(`unexpected status ${res.status}`);
        } catch (err) {
          if ((err as Error).message.startsWith('unexpected')) throw err;
          unanswered.push(i); // the connection died with the server: send the same submission again later
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    const killer = (async () => {
      for (; kills < 4; kills++) {
        await new Promise((r) => setTimeout(r, 400 + Math.floor(random() * 400)));
        await killed(server!);
        server = await startServer(env, port);
      }
    })();
    await killer;
    await new Promise((r) => setTimeout(r, 300));
    loading = false;
    await Promise.all(clients);
    await killed(server);
    server = undefined;

    expect(kills).toBe(4);
    expect(acknowledged.size).toBeGreaterThan(100);
    const rows = await store.read(wave.id);
    const byKey = new Map<string, StoredAnswerSet[]>();
    for (const row of rows) byKey.set(row.response_key, [...(byKey.get(row.response_key) ?? []), row]);
    for (const [token, answers] of acknowledged) {
      const stored = byKey.get(store.keyOf(token)) ?? [];
      expect(stored).toHaveLength(1);
      expect(Boolean(stored[0].complete)).toBe(true);
      expect(JSON.parse(stored[0].answers)).toEqual(answers);
    }
    // Nothing is stored that was not sent, and no token holds two answer sets.
    expect(rows.length).toBeLessThanOrEqual(next);
    expect(byKey.size).toBe(rows.length);
  });
});
