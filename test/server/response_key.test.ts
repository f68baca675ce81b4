import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config.js';
import { loadResponseKey, RESPONSE_KEY_FILE, responseKeyOf } from '../../server/response_key.js';
import { hashToken } from '../../server/tokens.js';

const SECRET = 'response-key-test-secret-0123456789abcdef';

describe('the response key (HMAC key of answer sets, held outside the database)', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'seici-key-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is created 0600 next to the SQLite database on first start and read back on later starts', () => {
    const dataDir = join(dir(), 'data');
    const first = loadResponseKey(readConfig({ SEICI_DATA_DIR: dataDir }));
    expect(first).toHaveLength(32);
    const path = join(dataDir, RESPONSE_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(first.toString('hex'));
    expect(loadResponseKey(readConfig({ SEICI_DATA_DIR: dataDir }))).toEqual(first);
    // Another data directory, another key.
    expect(loadResponseKey(readConfig({ SEICI_DATA_DIR: join(dir(), 'data') }))).not.toEqual(first);
  });

  it('is derived from SEICI_SECRET when set (no file), independent of the sealing key and the token hashes', () => {
    const dataDir = dir();
    const key = loadResponseKey(readConfig({ SEICI_DATA_DIR: dataDir, SEICI_SECRET: SECRET }));
    expect(loadResponseKey(readConfig({ SEICI_DATA_DIR: dir(), SEICI_SECRET: SECRET }))).toEqual(key);
    expect(() => statSync(join(dataDir, RESPONSE_KEY_FILE))).toThrow();
    expect(loadResponseKey(readConfig({ SEICI_DATA_DIR: dataDir, SEICI_SECRET: `${SECRET}x` }))).not.toEqual(key);
    const token = 'A'.repeat(43);
    const stored = responseKeyOf(key, token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toBe(hashToken(token));
    expect(responseKeyOf(loadResponseKey(readConfig({ SEICI_DATA_DIR: dataDir })), token)).not.toBe(stored);
  });

  it('is required on PostgreSQL: SEICI_SECRET or SEICI_RESPONSE_KEY_FILE, else one sentence naming both', () => {
    const base = { SEICI_DATA_DIR: dir(), DATABASE_URL: 'postgres://localhost/seici' };
    expect(() => loadResponseKey(readConfig(base))).toThrow(ConfigError);
    expect(() => loadResponseKey(readConfig(base))).toThrow(/^SEICI_SECRET or SEICI_RESPONSE_KEY_FILE must be set with DATABASE_URL: [^\n]*\.$/);
    expect(loadResponseKey(readConfig({ ...base, SEICI_SECRET: SECRET }))).toHaveLength(32);
    const file = join(dir(), 'key');
    const raw = Buffer.alloc(32, 7);
    for (const text of [raw.toString('hex'), `${raw.toString('base64url')}\n`]) {
      writeFileSync(file, text);
      expect(loadResponseKey(readConfig({ ...base, SEICI_RESPONSE_KEY_FILE: file }))).toEqual(raw);
    }
    writeFileSync(file, 'too short');
    expect(() => loadResponseKey(readConfig({ ...base, SEICI_RESPONSE_KEY_FILE: file }))).toThrow(/must hold a 32-byte key/);
    expect(() => loadResponseKey(readConfig({ ...base, SEICI_RESPONSE_KEY_FILE: join(dir(), 'missing') }))).toThrow(/SEICI_RESPONSE_KEY_FILE .* cannot be read/);
  });
});
