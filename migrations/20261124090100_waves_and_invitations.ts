import type { Knex } from 'knex';

/**
 * Waves, the units they survey, their scheduled events, invitations and e-mail recipients.
 *
 * Anonymity by design: `invitations` hold only a SHA-256 hash of each token and no address;
 * `recipients` hold addresses and a different hash of the same token (`pending_tag`), which is
 * cleared when the answer set is completed. Neither table can be joined to the other without
 * the token itself, which the database never sees.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('waves', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('instrument_version', 32).notNullable().references('version').inTable('instrument_versions');
    t.string('opens_at', 32).notNullable();
    t.string('closes_at', 32).notNullable();
    t.string('status', 16).notNullable();
    t.text('locales').notNullable();
    t.text('reminders').notNullable();
    t.integer('min_group_size').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('closed_at', 32).nullable();
  });
  await knex.schema.createTable('wave_units', (t) => {
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.primary(['wave_id', 'unit_id']);
  });
  await knex.schema.createTable('wave_events', (t) => {
    t.increments('id');
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.string('due_at', 32).notNullable();
    t.string('fired_at', 32).nullable();
    t.string('fired_by', 100).nullable();
    t.unique(['wave_id', 'kind', 'due_at']);
    t.index(['fired_at', 'due_at']);
  });
  await knex.schema.createTable('invitations', (t) => {
    t.increments('id');
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_on', 10).notNullable();
    t.index(['wave_id', 'unit_id']);
  });
  await knex.schema.createTable('recipients', (t) => {
    t.increments('id');
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.string('email', 320).notNullable();
    t.string('pending_tag', 64).nullable().unique();
    t.integer('reminders_sent').notNullable().defaultTo(0);
    t.index(['wave_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recipients');
  await knex.schema.dropTable('invitations');
  await knex.schema.dropTable('wave_events');
  await knex.schema.dropTable('wave_units');
  await knex.schema.dropTable('waves');
}
