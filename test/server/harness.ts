import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import request from 'supertest';
import { inject } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { readConfig, type Config } from '../../server/config.js';
import { isPostgres, migrateToLatest, openDatabase, type Db } from '../../server/db.js';
import { publishBundledInstruments } from '../../server/instrument_source.js';
import type { Mailer } from '../../server/mail.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
export const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's suite is skipped, or '' when it runs. */
  readonly skip: string;
  /** The name in test titles, with the reason when skipped. */
  readonly label: string;
}

const postgresSkip = inject('postgresUrl') || inject('postgresError') ? '' : inject('postgresSkipReason');

/** The stores every server suite runs against: the embedded SQLite and a real PostgreSQL server. */
export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', skip: '', label: 'SQLite' },
  { name: 'postgres', skip: postgresSkip, label: postgresSkip ? `PostgreSQL (skipped: ${postgresSkip})` : 'PostgreSQL' },
];

export interface TestStore {
  readonly db: Db;
  readonly config: Config;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated store: an SQLite file in a new temporary directory, or a new database on
 * the test PostgreSQL server (dropped at cleanup).
 */
export async function openTestStore(backend: Backend, env: Record<string, string> = {}): Promise<TestStore> {
  if (backend.name === 'postgres' && inject('postgresError')) throw new Error(inject('postgresError'));
  const dataDir = mkdtempSync(join(tmpdir(), 'seici-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  const admin = backend.name === 'postgres' ? knex({ client: 'pg', connection: inject('postgresUrl'), pool: { min: 0, max: 1 } }) : undefined;
  if (admin) {
    dbName = `seici_${randomBytes(6).toString('hex')}`;
    await admin.raw(`create database ${dbName}`);
    databaseUrl = inject('postgresUrl').replace(/\/postgres$/, `/${dbName}`);
  }
  const config = readConfig({
    SEICI_DATA_DIR: dataDir,
    SEICI_ADMIN_TOKEN: ADMIN_TOKEN,
    SEICI_DEMO: 'off',
    SEICI_PUBLIC_URL: 'http://survey.test',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, SEICI_RESPONSE_KEY_FILE: testResponseKeyFile(dataDir) } : {}),
    ...env,
  });
  const db = openDatabase(config);
  await migrateToLatest(db);
  await publishBundledInstruments(db, '2026-01-01T00:00:00.000Z');
  return {
    db,
    config,
    async cleanup() {
      await db.destroy();
      if (admin) {
        await admin.raw(`drop database if exists ${dbName} with (force)`);
        await admin.destroy();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A response key file for a PostgreSQL store (which requires one, or SEICI_SECRET; server/response_key.ts). */
function testResponseKeyFile(dataDir: string): string {
  const path = join(dataDir, 'response-key.hex');
  writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
  return path;
}

/** A settable clock for tests. */
export class TestClock {
  constructor(public now: Date) {}
  readonly read = () => new Date(this.now.getTime());
  set(iso: string): void {
    this.now = new Date(iso);
  }
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

export interface TestApp extends TestStore {
  readonly app: App;
  readonly clock: TestClock;
}

export async function openTestApp(backend: Backend, options: { now?: string; mailer?: Mailer; env?: Record<string, string> } = {}): Promise<TestApp> {
  const store = await openTestStore(backend, options.env);
  const clock = new TestClock(new Date(options.now ?? '2026-03-02T09:00:00.000Z'));
  const app = createApp({ db: store.db, config: store.config, clock: clock.read, mailer: options.mailer });
  return {
    ...store,
    app,
    clock,
    async cleanup() {
      await app.services.analyses.idle();
      await app.services.responses.close();
      app.services.invitations.close();
      await store.cleanup();
    },
  };
}

/** Counts the rows of a table (used to show that a refused request stored nothing). */
export async function rowCount(db: Db, table: string): Promise<number> {
  const [row] = await db(table).count({ n: '*' });
  return Number(row.n);
}

/** Counts of every table that a request could write to. */
export async function storeSnapshot(db: Db): Promise<Record<string, number>> {
  const tables = ['units', 'waves', 'wave_units', 'wave_events', 'invitations', 'recipients', 'responses', 'admin_tokens', 'analyses', 'audit_log'];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await rowCount(db, t);
  return counts;
}

/** The names of the tables in a store's database (PostgreSQL's public schema, or SQLite's). */
export async function tableNames(db: Db): Promise<string[]> {
  if (isPostgres(db)) {
    const res = await db.raw("select tablename from pg_tables where schemaname = 'public'");
    return res.rows.map((r: { tablename: string }) => r.tablename);
  }
  const rows = await db.raw("select name from sqlite_master where type = 'table'");
  return rows.map((r: { name: string }) => r.name);
}

/** Signs in to the console with the admin token: the session cookie and the page's CSRF token, as a browser would hold them. */
export async function consoleSession(app: App): Promise<{ session: string; csrf: string }> {
  const login = await request(app).post('/login').type('form').send({ token: ADMIN_TOKEN });
  const session = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  const page = await request(app).get('/admin').set('Cookie', session);
  return { session, csrf: /name="csrf-token" content="([^"]+)"/.exec(page.text)![1] };
}
