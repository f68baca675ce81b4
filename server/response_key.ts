import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.js';

/**
 * The key that answer sets are stored under (issue 10): a response row is keyed by
 * `response_key = HMAC-SHA256(K, token)` (RFC 2104), in hex, and references no invitation. Only
 * someone holding both a token and K finds its answer set; the database holds neither K nor
 * anything it can be derived from (tokens are stored as SHA-256 hashes, and sealed under
 * SEICI_SECRET for reminders), so a dump alone cannot pair an invitation, and through it an
 * e-mail address, with an answer set.
 *
 * K comes from outside the database, in this order:
 * - SEICI_SECRET set: HKDF-SHA256 (RFC 5869) of it, info `seici response key v1` (another
 *   label than the sealing key's, server/sealed_token.ts, so the two keys are independent);
 * - SEICI_RESPONSE_KEY_FILE set: the file's 32 bytes (raw, or 64 hex / 43 base64url characters);
 * - on the embedded SQLite store only: `response.key` next to the database, 32 random bytes
 *   created with mode 0600 on first start and read on later ones. Back it up with the database:
 *   without it, saved partial answer sets can no longer be resumed and a used link could be
 *   used again.
 * On PostgreSQL several processes or hosts serve one database and must share K, so one of the
 * first two is required there.
 */
const INFO = 'seici response key v1';
export const RESPONSE_KEY_FILE = 'response.key';
const KEY_BYTES = 32;

/** Reads (or, on the embedded SQLite store, creates) the response key; ConfigError in one sentence when none can be had. */
export function loadResponseKey(config: Pick<Config, 'secret' | 'responseKeyFile' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.secret !== undefined) {
    return Buffer.from(hkdfSync('sha256', Buffer.from(config.secret, 'utf8'), Buffer.from('seici', 'utf8'), Buffer.from(INFO, 'utf8'), KEY_BYTES));
  }
  if (config.responseKeyFile !== undefined) return readKeyFile(config.responseKeyFile, 'SEICI_RESPONSE_KEY_FILE');
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(
      'SEICI_SECRET or SEICI_RESPONSE_KEY_FILE must be set with DATABASE_URL: answer sets are stored under a key kept outside the database, and every process serving it must use the same one.',
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, RESPONSE_KEY_FILE);
  // Written whole to a file of its own, then linked into place: link() fails when the key
  // exists, so only the first process to start creates it, and none reads a half-written one.
  const fresh = randomBytes(KEY_BYTES);
  const draft = `${path}.${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(draft, fresh.toString('hex'), { mode: 0o600, flag: 'wx' });
    linkSync(draft, path);
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`The response key file ${path} cannot be created: ${(err as Error).message}.`);
    return readKeyFile(path, 'The response key file');
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The key a token's answer set is stored under: HMAC-SHA256(K, token) in hex (64 characters). */
export function responseKeyOf(key: Buffer, token: string): string {
  return createHmac('sha256', key).update(token, 'utf8').digest('hex');
}

function readKeyFile(path: string, name: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${name} ${path} cannot be read: ${(err as Error).message}.`);
  }
  const text = raw.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9_-]{43}$/.test(text)) return Buffer.from(text, 'base64url');
  if (raw.length === KEY_BYTES) return raw;
  throw new ConfigError(`${name} ${path} must hold a 32-byte key: 64 hex characters, 43 base64url characters or 32 raw bytes.`);
}
