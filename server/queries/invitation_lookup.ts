import Database from 'better-sqlite3';
import { isPostgres, sqliteFilename, type Db } from '../db.js';
import { FIND_INVITATION, toInvitation, type InvitationContext, type InvitationRow } from './invitations.js';

/**
 * Finds what a survey token opens (its invitation, wave and saved answer set), once per answer
 * submitted: the lookup of the answer path.
 *
 * The lookups asked for in one turn of the event loop are answered together, in the check
 * phase that follows it (`setImmediate`), as the writes are group-committed
 * (response_writer.ts): at a hundred connections, tens of requests finish reading their
 * bodies in one turn, and what a lookup costs besides its own rows is paid once for them all.
 *
 * - SQLite: one prepared statement, run synchronously on a connection of its own that does
 *   nothing else, every lookup of the turn inside one read transaction. In WAL mode a reader
 *   sees every committed write and never waits for the writer; beginning and ending a read
 *   transaction costs file-lock system calls and, when the writer thread committed since the
 *   last one, the connection's whole page cache; a lookup alone paid both (15 µs of CPU of
 *   its 24 µs with nothing committing meanwhile, measured 30 Nov 2026), one transaction per
 *   turn pays them once.
 * - PostgreSQL: one statement through knex's pool for every lookup of the turn
 *   (FIND_INVITATIONS_PG: the token hashes and response keys as two arrays), where one query
 *   per answer set cost a round trip, a parse and a plan each on PostgreSQL's side and a
 *   knex query on ours. It is a named prepared statement (parsed once per connection).
 *
 * A lookup sees the store as it was at some moment after it was asked for, as before:
 * nothing a request of the same turn writes can have been committed in between, since writes
 * are committed in a later turn.
 */
export interface InvitationLookup {
  /** What the token with this hash opens; its answer set is the one stored under `responseKey` (server/response_key.ts). */
  find(tokenHash: string, responseKey: string): Promise<InvitationContext | undefined>;
  close(): void;
}

export function invitationLookup(db: Db): InvitationLookup {
  return isPostgres(db) ? new KnexInvitationLookup(db) : new SqliteInvitationLookup(sqliteFilename(db));
}

interface Asked {
  readonly tokenHash: string;
  readonly responseKey: string;
  resolve(found: InvitationContext | undefined): void;
  reject(err: unknown): void;
}

/** Collects the lookups of one turn of the event loop and hands them to `answer` together. */
abstract class BatchedLookup implements InvitationLookup {
  private asked: Asked[] = [];

  find(tokenHash: string, responseKey: string): Promise<InvitationContext | undefined> {
    return new Promise((resolve, reject) => {
      if (this.asked.push({ tokenHash, responseKey, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Answers every lookup of `asked`: one row (or undefined) per lookup, in order. */
  protected abstract answer(asked: readonly Asked[]): (InvitationRow | undefined)[] | Promise<(InvitationRow | undefined)[]>;

  abstract close(): void;

  private flush(): void {
    const asked = this.asked;
    this.asked = [];
    let rows: (InvitationRow | undefined)[] | Promise<(InvitationRow | undefined)[]>;
    try {
      rows = this.answer(asked);
    } catch (err) {
      for (const a of asked) a.reject(err);
      return;
    }
    Promise.resolve(rows).then(
      (found) => {
        for (let i = 0; i < asked.length; i++) asked[i].resolve(toInvitation(found[i]));
      },
      (err: unknown) => {
        for (const a of asked) a.reject(err);
      },
    );
  }
}

/**
 * FIND_INVITATION (queries/invitations.ts) for many tokens at once on PostgreSQL: parameters the
 * token hashes and the response keys as two arrays of the same length; each row found carries
 * `lookup`, the 1-based position of its token in the arrays.
 *
 * Each token is looked up through the indexes, whatever the planner estimates: the invitation
 * and the answer set are lateral subqueries with `limit 1` (unique keys, so nothing is cut),
 * which the planner cannot flatten into a join of its choosing. Written as plain joins, the
 * planner hashed the whole invitations and responses tables for every turn's lookup once the
 * turn had a few dozen tokens (a sequential scan of both, 64 ms for 60 tokens at 12,000
 * invitations, measured 30 Nov 2026), a cost that grows with the tables.
 */
export const FIND_INVITATIONS_PG = `
  select t.lookup, i.id as invitation_id, i.unit_id, w.id, w.name, w.instrument_version, w.opens_at, w.closes_at, w.status,
         w.locales, w.reminders, w.min_group_size, w.created_at, w.closed_at,
         r.id as response_id, r.answers, r.complete, r.submission_hash, r.role, r.locale, r.resume_page, r.response_key
  from unnest(?::text[], ?::text[]) with ordinality as t(token_hash, response_key, lookup)
  cross join lateral (select i.id, i.unit_id, i.wave_id from invitations i where i.token_hash = t.token_hash limit 1) i
  join waves w on w.id = i.wave_id
  left join lateral (
    select r.id, r.answers, r.complete, r.submission_hash, r.role, r.locale, r.resume_page, r.response_key from responses r
    where r.id = coalesce((select k.id from responses k where k.response_key = t.response_key), (select l.id from responses l where l.invitation_id = i.id))
    limit 1) r on true`;

class KnexInvitationLookup extends BatchedLookup {
  constructor(private readonly db: Db) {
    super();
  }

  protected async answer(asked: readonly Asked[]): Promise<(InvitationRow | undefined)[]> {
    const result = await this.db.raw(FIND_INVITATIONS_PG, [asked.map((a) => a.tokenHash), asked.map((a) => a.responseKey)]).options({ name: 'seici_find_invitations' });
    const found: (InvitationRow | undefined)[] = new Array<InvitationRow | undefined>(asked.length).fill(undefined);
    for (const row of result.rows as (InvitationRow & { lookup: number | string })[]) found[Number(row.lookup) - 1] = row;
    return found;
  }

  close(): void {}
}

class SqliteInvitationLookup extends BatchedLookup {
  private connection: Database.Database | undefined;
  private run: ((asked: readonly Asked[]) => (InvitationRow | undefined)[]) | undefined;

  constructor(private readonly filename: string) {
    super();
  }

  protected answer(asked: readonly Asked[]): (InvitationRow | undefined)[] {
    if (!this.run) {
      // Opened on first use: the file exists and is in WAL mode by then (the server migrated it).
      // A connection of the usual kind that refuses writes (query_only), not one opened read-only:
      // a read-only connection cannot take part in the shared WAL index after a crash, and then
      // may not see the commits of the other connections.
      const connection = new Database(this.filename, { fileMustExist: true });
      connection.pragma('query_only = 1');
      connection.pragma('busy_timeout = 5000');
      const statement = connection.prepare<[string, string], InvitationRow>(FIND_INVITATION);
      // A deferred transaction that only reads: one snapshot and one set of locks for the turn's lookups.
      this.run = connection.transaction((all: readonly Asked[]) => all.map((a) => statement.get(a.responseKey, a.tokenHash)));
      this.connection = connection;
    }
    return this.run(asked);
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
    this.run = undefined;
  }
}
