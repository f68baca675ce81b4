import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { onChartWarning } from '../../server/charts/index.js';
import { readConfig } from '../../server/config.js';
import { prettyLine } from '../../server/logger.js';
import { startServer } from '../../server/start.js';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A pino logger writing JSON lines into `lines`. */
function memoryLogger(lines: string[]) {
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return pino({ level: 'info', base: { app: 'seici' } }, out);
}

describe('first run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-first-run-'));
  afterAll(() => {
    onChartWarning(undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the console URL, a one-time admin token and a survey link in plain lines, keeps them out of the log, and logs no chart warning', async () => {
    const config = readConfig({ PORT: String(await freePort()), SEICI_DATA_DIR: dataDir, SEICI_SCHEDULER_INTERVAL_MS: '60000' });
    const log: string[] = [];
    let printed = '';
    const warnings: string[] = [];
    onChartWarning((message) => warnings.push(message));
    const running = await startServer(config, memoryLogger(log), (text) => {
      printed += text;
    });
    try {
      const base = running.url;
      expect(printed).toContain(`  Console:   ${base}/admin\n`);
      const token = /Sign in: {3}with this admin token \(named "first-run"; shown only now, stored hashed\):\n {13}(\S{40,})\n/.exec(printed)?.[1];
      expect(token, printed).toBeDefined();
      expect(printed).toContain('or set SEICI_ADMIN_TOKEN (at least 32 characters) and restart.');
      const link = /Try it: {4}(http:\/\/\S+\/s\/\S+)\n/.exec(printed)?.[1];
      expect(link, printed).toBeDefined();
      expect(printed).not.toMatch(/[{}"]level/);

      // The token signs in; the link opens a survey.
      const login = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: token! }), redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/admin');
      expect((await fetch(link!)).status).toBe(200);

      // Secrets never reach the JSON log.
      expect(log.length).toBeGreaterThan(0);
      for (const line of log) {
        expect(() => JSON.parse(line)).not.toThrow();
        expect(line).not.toContain(token!);
        expect(line).not.toContain(link!.split('/s/')[1]);
      }

      // Every report page renders its charts without a vega or vega-lite warning.
      const auth = { Authorization: `Bearer ${token}` };
      const waves = (await (await fetch(`${base}/api/v1/waves`, { headers: auth })).json()) as { waves: { id: number }[] };
      const paths = ['/admin', '/admin/reports'];
      for (const w of waves.waves) {
        paths.push(`/admin/waves/${w.id}`);
        const report = await fetch(`${base}/api/v1/waves/${w.id}/report`, { headers: auth });
        if (report.status !== 200) continue;
        const units = ((await report.json()) as { units: { unitKey: string; suppressed: boolean }[] }).units.filter((u) => !u.suppressed);
        for (const u of units.slice(0, 4)) paths.push(`/admin/waves/${w.id}/units/${u.unitKey}/report`);
      }
      paths.push(`/admin/waves/${waves.waves[0].id}/units/eng-U1/report`);
      for (const path of paths) {
        const res = await fetch(`${base}${path}`, { headers: auth });
        expect(res.status, path).toBe(200);
      }
      expect([...new Set(warnings)]).toEqual([]);
      expect(log.filter((l) => /vega|WARN /i.test(l))).toEqual([]);
    } finally {
      await running.close();
    }

    // The second start makes no new token and says how to sign in.
    printed = '';
    const again = await startServer(config, memoryLogger(log), (text) => {
      printed += text;
    });
    try {
      expect(printed).toContain('Sign in:   with an admin token; `seici admin create-token --name NAME` prints a new one,');
      expect(printed).toContain('Try it:    create a wave in the console and download its survey links.');
      const tokens = (await again.db('admin_tokens').count({ n: '*' }).first()) as { n: number | string };
      expect(Number(tokens.n)).toBe(1);
    } finally {
      await again.close();
    }
  }, 240_000);

  it('prints log records as readable lines on a terminal', () => {
    const line = prettyLine(JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 29, 12, 4, 31), app: 'seici', pid: 1, hostname: 'h', msg: 'seici is listening', url: 'http://localhost:3000', database: '/var/lib/seici data' }));
    expect(line).toBe('12:04:31 INFO  seici is listening  url=http://localhost:3000 database="/var/lib/seici data"\n');
    expect(prettyLine(JSON.stringify({ level: 40, time: 0, msg: 'careful' }), true)).toBe('00:00:00 \u001b[33mWARN \u001b[0m careful\n');
    expect(prettyLine('not json')).toBe('not json\n');
  });
});
