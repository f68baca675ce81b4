import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from '../db.js';
import { isPostgres } from '../db.js';
import { whereStartsWith } from '../queries/starts_with.js';

interface HitRow {
  hits: number | string;
  reset_at: number | string;
}

/**
 * An express-rate-limit Store on the server's own database (table `rate_limit_hits`), so that
 * every server process sharing a PostgreSQL database counts against the same limits. A fixed
 * window per key, as express-rate-limit's MemoryStore keeps it: the first hit opens a window
 * of `windowMs`; hits after its end open a new one.
 *
 * Each hit is one atomic statement, `insert ... on conflict (key) do update ... returning`,
 * which PostgreSQL (9.5+) and SQLite (3.35+) both run, so two processes never lose a hit.
 * Expired windows are deleted now and then, not on every hit.
 *
 * Why not a published PostgreSQL store: the maintained one (@acpr/rate-limit-postgresql)
 * brings its own pg pool, pins an older pg, and migrates its own schema outside knex; this
 * store is thirty lines on the migrations and connection the server already has, and works on
 * SQLite as well.
 */
export class KnexRateLimitStore implements Store {
  private windowMs = 60_000;
  private lastSweep = 0;
  readonly localKeys = false;

  constructor(
    private readonly db: Db,
    readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`.slice(0, 200);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = (await this.db('rate_limit_hits').where({ key: this.key(key) }).first('hits', 'reset_at')) as HitRow | undefined;
    if (!row || Number(row.reset_at) <= this.now()) return undefined;
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.now();
    const resetAt = now + this.windowMs;
    const table = 'rate_limit_hits';
    const result = await this.db.raw(
      `insert into ${table} (key, hits, reset_at) values (?, 1, ?)
       on conflict (key) do update set
         hits = case when ${table}.reset_at <= ? then 1 else ${table}.hits + 1 end,
         reset_at = case when ${table}.reset_at <= ? then excluded.reset_at else ${table}.reset_at end
       returning hits, reset_at`,
      [this.key(key), resetAt, now, now],
    );
    const row = (isPostgres(this.db) ? result.rows[0] : result[0]) as HitRow;
    if (now - this.lastSweep > this.windowMs) {
      this.lastSweep = now;
      await this.db(table).where('reset_at', '<=', now).delete();
    }
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.db('rate_limit_hits').where({ key: this.key(key) }).where('hits', '>', 0).decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.db('rate_limit_hits').where({ key: this.key(key) }).delete();
  }

  async resetAll(): Promise<void> {
    await whereStartsWith(this.db('rate_limit_hits'), 'key', `${this.prefix}:`).delete();
  }
}
