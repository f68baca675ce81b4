import type { Knex } from 'knex';

/** Admin bearer tokens (hashed, named, revocable), browser sessions and the audit log of admin changes. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_tokens', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 32).notNullable();
    t.string('revoked_at', 32).nullable();
  });
  await knex.schema.createTable('admin_sessions', (t) => {
    t.string('session_hash', 64).primary();
    t.string('csrf_token', 64).notNullable();
    t.string('actor', 100).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 32).notNullable();
    t.string('actor', 100).notNullable();
    t.string('action', 100).notNullable();
    t.string('target', 200).nullable();
    t.text('details').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('admin_sessions');
  await knex.schema.dropTable('admin_tokens');
}
