import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db.js';
import { seici } from '../helpers/cli.js';

describe('seici admin and seici migrate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-admin-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('create-token prints a token once that the server accepts until revoke-token', async () => {
    const created = seici(['admin', 'create-token', '--name', 'ops', '--data-dir', dataDir, '--json'], dataDir);
    expect(created.status, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ id: 1, name: 'ops', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const plain = seici(['admin', 'create-token', '--name', 'second', '--data-dir', dataDir], dataDir);
    expect(plain.stdout.split('\n')[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const config = readConfig({ SEICI_DATA_DIR: dataDir, SEICI_DEMO: 'off' });
    const db = openDatabase(config);
    try {
      const app = createApp({ db, config });
      const auth = { Authorization: `Bearer ${created.json.token}` };
      expect((await request(app).get('/api/v1/units').set(auth)).status).toBe(200);
      const listed = seici(['admin', 'list-tokens', '--data-dir', dataDir, '--json'], dataDir);
      expect(listed.json.tokens.map((t: { name: string }) => t.name)).toEqual(['ops', 'second']);
      expect(listed.stdout).not.toContain(created.json.token);
      const revoked = seici(['admin', 'revoke-token', '--id', '1', '--data-dir', dataDir, '--json'], dataDir);
      expect(revoked.status, revoked.stderr).toBe(0);
      expect(revoked.json.revokedAt).toEqual(expect.any(String));
      expect((await request(app).get('/api/v1/units').set(auth)).status).toBe(401);
      const audit = await db('audit_log').select('actor', 'action');
      expect(audit).toEqual(expect.arrayContaining([{ actor: 'cli', action: 'admin-token.create' }, { actor: 'cli', action: 'admin-token.revoke' }]));
    } finally {
      await db.destroy();
    }
  });

  it('refuses bad arguments with exit status 2 and one line', () => {
    for (const args of [
      ['admin', 'create-token', '--data-dir', dataDir],
      ['admin', 'create-token', '--name', '  ', '--data-dir', dataDir],
      ['admin', 'revoke-token', '--id', 'x', '--data-dir', dataDir],
      ['admin', 'revoke-token', '--id', '99', '--data-dir', dataDir],
    ]) {
      const run = seici(args, dataDir);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^seici: /);
    }
  });

  it('migrate --down undoes every migration and migrate applies them again', () => {
    const down = seici(['migrate', '--down', '--data-dir', dataDir, '--json'], dataDir);
    expect(down.status, down.stderr).toBe(0);
    expect(down.json.direction).toBe('down');
    expect(down.json.migrations.length).toBeGreaterThanOrEqual(5);
    const up = seici(['migrate', '--data-dir', dataDir, '--json'], dataDir);
    expect(up.json.migrations).toEqual([...down.json.migrations].reverse());
    expect(seici(['migrate', '--data-dir', dataDir, '--json'], dataDir).json.migrations).toEqual([]);
  });
});
