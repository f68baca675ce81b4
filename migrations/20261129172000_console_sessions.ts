import type { Knex } from 'knex';

/**
 * Hardened admin access (issue 11).
 *
 * - `admin_sessions` is rebuilt so that a console session knows the admin token it was opened
 *   with (`token_id`, null for SEICI_ADMIN_TOKEN): revoking the token deletes its sessions
 *   (ON DELETE CASCADE covers a deleted token too), and every request re-checks the token.
 *   Sessions get a public `id` (to list and revoke them), `last_seen_at` for the idle timeout
 *   and `expires_at` for the absolute one. Open sessions are dropped by the rebuild: their
 *   admins sign in again.
 * - `rate_limit_hits`: the hit counters of the rate limits (server/rate_limits/knex_store.ts),
 *   shared by every server process on the same database; `reset_at` in milliseconds since 1970.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_sessions');
  await knex.schema.createTable('admin_sessions', (t) => {
    t.increments('id');
    t.string('session_hash', 64).notNullable().unique();
    t.string('csrf_token', 64).notNullable();
    t.string('actor', 100).notNullable();
    t.integer('token_id').nullable().references('id').inTable('admin_tokens').onDelete('CASCADE');
    t.string('created_at', 32).notNullable();
    t.string('last_seen_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.index(['token_id']);
    t.index(['expires_at']);
  });
  await knex.schema.createTable('rate_limit_hits', (t) => {
    t.string('key', 200).primary();
    t.integer('hits').notNullable();
    t.bigInteger('reset_at').notNullable();
    t.index(['reset_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_hits');
  await knex.schema.dropTable('admin_sessions');
  await knex.schema.createTable('admin_sessions', (t) => {
    t.string('session_hash', 64).primary();
    t.string('csrf_token', 64).notNullable();
    t.string('actor', 100).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
  });
}
