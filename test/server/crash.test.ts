import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/tokens.js';
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
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), SEICI_DATA_DIR: dataDir, SEICI_ADMIN_TOKEN: ADMIN_TOKEN, SEICI_DEMO: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
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

describe('crash safety (SQLite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-crash-'));
  let server: ChildProcess | undefined;
  afterAll(async () => {
    if (server) await killed(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged answer exactly once when the server is killed with SIGKILL during a load, and the database passes its integrity check', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    server = await startServer(dataDir, port);
    const post = (path: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
      fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/api/v1/units', { key: 'crash', name: 'Crash unit' }, auth)).status).toBe(201);
    const wave = (await (await post('/api/v1/waves', { name: 'Crash', opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(), unitKeys: ['crash'] }, auth)).json()) as { id: number };
    const items = ((await (await fetch(`${base}/api/v1/instrument`)).json()) as { items: ItemInfo[] }).items;
    const tokens = ((await (await post(`/api/v1/waves/${wave.id}/invitations`, { unitKey: 'crash', count: 4000 }, auth)).json()) as { invitations: { token: string }[] }).invitations.map(
      (i) => i.token,
    );
    const random = seeded(7);
    const submissions = tokens.map((token) => ({ token, answers: seiAnswers(items, random), complete: true }));

    const acknowledged = new Map<string, Record<string, number | null>>();
    let next = 0;
    let kills = 0;
    const unanswered: number[] = [];
    let loading = true;
    const worker = async () => {
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
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    const killer = (async () => {
      for (; kills < 4; kills++) {
        await new Promise((r) => setTimeout(r, 400 + Math.floor(random() * 400)));
        await killed(server!);
        server = await startServer(dataDir, port);
      }
    })();
    await killer;
    await new Promise((r) => setTimeout(r, 300));
    loading = false;
    await Promise.all(workers);
    await killed(server);
    server = undefined;

    expect(kills).toBe(4);
    expect(acknowledged.size).toBeGreaterThan(100);
    const db = new Database(join(dataDir, 'seici.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db
        .prepare('select i.token_hash, r.answers, r.complete from responses r join invitations i on i.id = r.invitation_id where r.wave_id = ?')
        .all(wave.id) as { token_hash: string; answers: string; complete: number }[];
      const byHash = new Map<string, { answers: string; complete: number }[]>();
      for (const row of rows) byHash.set(row.token_hash, [...(byHash.get(row.token_hash) ?? []), row]);
      for (const [token, answers] of acknowledged) {
        const stored = byHash.get(hashToken(token)) ?? [];
        expect(stored).toHaveLength(1);
        expect(stored[0].complete).toBe(1);
        expect(JSON.parse(stored[0].answers)).toEqual(answers);
      }
      // Nothing is stored that was not sent, and no token holds two answer sets.
      expect(rows.length).toBeLessThanOrEqual(next);
      expect(byHash.size).toBe(rows.length);
    } finally {
      db.close();
    }
  });
});
