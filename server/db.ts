import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from '../migrations/index.js';
import type { Config } from './config.js';

export type Db = Knex;

/** The SQLite database file inside the data directory. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'seici.db');
}

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else the
 * embedded SQLite file under SEICI_DATA_DIR.
 *
 * SQLite runs in WAL mode with `synchronous = FULL` by default: every commit is fsynced to the
 * WAL before the call returns, so an acknowledged answer survives a process kill and a power
 * cut alike. (WAL with NORMAL, SEICI_SQLITE_SYNCHRONOUS=NORMAL, survives a process kill but
 * may lose the last commits on power loss.) An fsync costs milliseconds on a busy disk, so
 * answers are group-committed (queries/response_writer.ts): one fsync covers every submission
 * that arrived during the previous commit. One connection serialises writers; foreign keys
 * are enforced.
 */
export function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'> & { sqliteSynchronous?: Config['sqliteSynchronous'] }): Db {
  if (config.databaseUrl) {
    return knex({ client: 'pg', connection: config.databaseUrl, pool: { min: 0, max: 10 } });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: sqlitePath(config.dataDir) },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        cacheStatements(conn);
        conn.pragma('journal_mode = WAL');
        conn.pragma(`synchronous = ${config.sqliteSynchronous ?? 'FULL'}`);
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

interface SqliteConnection {
  pragma(source: string): unknown;
  prepare(source: string): unknown;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Keeps the connection's most recently used prepared statements, keyed by their SQL; knex
 * prepares every query anew, and preparing costs more than running the short queries of the
 * answer path; a better-sqlite3 statement can be run again and again (the connection is used
 * from one thread, one statement at a time), and SQLite re-prepares it by itself should the
 * schema change.
 */
function cacheStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    // knex begins transactions with a deferred BEGIN. Take the write lock at once instead
    // (waiting for it under busy_timeout): a deferred transaction that reads and then writes
    // fails with SQLITE_BUSY when another connection, such as the answer writer thread,
    // committed in between.
    const source = sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql;
    let statement = cache.get(source);
    if (statement !== undefined) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  };
}

/** The SQLite file of a knex instance on SQLite. */
export function sqliteFilename(db: Db): string {
  return ((db.client as { config: Knex.Config }).config.connection as { filename: string }).filename;
}

/** True when the database is PostgreSQL. */
export function isPostgres(db: Db): boolean {
  const client = (db.client as { config: Knex.Config }).config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/** Brings the schema to the newest migration. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

/** Undoes every migration (used by `seici migrate --down` and the migration tests). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback({ migrationSource }, true)) as [number, string[]];
  return undone;
}
