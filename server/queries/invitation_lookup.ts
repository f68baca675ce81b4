import Database from 'better-sqlite3';
import { isPostgres, sqliteFilename, type Db } from '../db.js';
import { FIND_INVITATION, findInvitation, toInvitation, type InvitationContext, type InvitationRow } from './invitations.js';

/**
 * Finds what a survey token opens (its invitation, wave and saved answer set), once per answer
 * submitted: the lookup of the answer path.
 *
 * On SQLite it is one prepared statement on a connection of its own, run
 * synchronously, on a connection that does nothing else: in WAL mode a reader sees every committed write and never waits for the
 * writer, and the statement costs tens of microseconds where a knex query (pool acquisition,
 * query building, promise chain) costs several times that. On PostgreSQL it is the same SQL
 * through knex's pool.
 */
export interface InvitationLookup {
  /** What the token with this hash opens; its answer set is the one stored under `responseKey` (server/response_key.ts). */
  find(tokenHash: string, responseKey: string): Promise<InvitationContext | undefined>;
  close(): void;
}

export function invitationLookup(db: Db): InvitationLookup {
  return isPostgres(db) ? new KnexInvitationLookup(db) : new SqliteInvitationLookup(sqliteFilename(db));
}

class KnexInvitationLookup implements InvitationLookup {
  constructor(private readonly db: Db) {}

  find(tokenHash: string, responseKey: string): Promise<InvitationContext | undefined> {
    return findInvitation(this.db, tokenHash, responseKey);
  }

  close(): void {}
}

class SqliteInvitationLookup implements InvitationLookup {
  private connection: Database.Database | undefined;
  private statement: Database.Statement<[string, string], InvitationRow> | undefined;

  constructor(private readonly filename: string) {}

  async find(tokenHash: string, responseKey: string): Promise<InvitationContext | undefined> {
    if (!this.statement) {
      // Opened on first use: the file exists and is in WAL mode by then (the server migrated it).
      // A connection of the usual kind that refuses writes (query_only), not one opened read-only:
      // a read-only connection cannot take part in the shared WAL index after a crash, and then
      // may not see the commits of the other connections.
      this.connection = new Database(this.filename, { fileMustExist: true });
      this.connection.pragma('query_only = 1');
      this.connection.pragma('busy_timeout = 5000');
      this.statement = this.connection.prepare<[string, string], InvitationRow>(FIND_INVITATION);
    }
    return toInvitation(this.statement.get(responseKey, tokenHash));
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
    this.statement = undefined;
  }
}
