import type { Knex } from 'knex';

/**
 * Narrows a query to rows whose `column` starts with `prefix`, exactly (case included) and the
 * same on both stores. Not LIKE: SQLite's LIKE ignores the case of ASCII letters and
 * PostgreSQL's does not, and `%`, `_` would need escaping. Compares the first characters
 * instead, `substr(column, 1, n) = prefix`, which both stores evaluate by code point (SQLite's
 * BINARY collation, PostgreSQL's deterministic equality).
 */
export function whereStartsWith(query: Knex.QueryBuilder, column: string, prefix: string): Knex.QueryBuilder {
  return query.whereRaw('substr(??, 1, ?) = ?', [column, [...prefix].length, prefix]);
}
