import type { Db } from '../db.js';

/** What a pg connection (node-postgres's `Client`, as knex's pool holds it) answers to a query. */
interface PgResult<Row> {
  readonly rows: Row[];
}

interface PgConnection {
  query<Row>(config: { name: string; text: string; values: readonly unknown[] }): Promise<PgResult<Row>>;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * Runs a named prepared statement (parsed once per connection) on a connection of knex's pool
 * (PostgreSQL), straight through node-postgres: the statement's text is PostgreSQL's own
 * (`$1`, `$2`, …), and its rows are node-postgres's, as `knex.raw(…)` gives them.
 *
 * For the two statements of the answer path only (the token lookup of a turn, the insert of a
 * batch). `knex.raw` wraps a query in its runner (a query builder, the `?` placeholders rewritten,
 * the bindings walked with lodash, a debug event, a promise chain per step), which cost more of
 * a server process's time than node-postgres's own work for these two statements (issue 16:
 * knex, tarn and lodash about 11% of a process's busy time under load, measured 30 Nov 2026).
 * The connection is taken from and given back to knex's pool (tarn), which checks it before it
 * is used again; one that failed is disposed by knex's error handler on the connection.
 */
export async function runPrepared<Row>(db: Db, name: string, text: string, values: readonly unknown[]): Promise<Row[]> {
  const client = db.client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    return (await connection.query<Row>({ name, text, values })).rows;
  } finally {
    void client.releaseConnection(connection);
  }
}

/** A statement written with knex's `?` placeholders in PostgreSQL's numbered form (`$1`, `$2`, …); the text must hold no other `?`. */
export function numberedPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
