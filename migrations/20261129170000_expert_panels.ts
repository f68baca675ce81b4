import type { Knex } from 'knex';

/**
 * Expert panels for content validity: a panel pins a published instrument version; each invited
 * expert has a single-use link (stored as a hash) and one rating set; each analysis of the panel is
 * stored as an immutable run. Experts are not anonymous respondents: their ratings are kept apart
 * from survey answers and never enter unit scores.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('expert_panels', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('instrument_version', 32).notNullable().references('version').inTable('instrument_versions');
    t.string('status', 16).notNullable(); // open | closed
    t.string('created_at', 32).notNullable();
  });
  await knex.schema.createTable('panel_experts', (t) => {
    t.increments('id');
    t.integer('panel_id').notNullable().references('id').inTable('expert_panels').onDelete('CASCADE');
    t.string('label', 32).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.text('answers').nullable();
    t.boolean('complete').notNullable().defaultTo(false);
    t.string('saved_at', 32).nullable();
    t.unique(['panel_id', 'label']);
  });
  await knex.schema.createTable('panel_analyses', (t) => {
    t.increments('id');
    t.integer('panel_id').notNullable().references('id').inTable('expert_panels').onDelete('CASCADE');
    t.integer('experts').notNullable();
    t.text('results').notNullable();
    t.string('created_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('panel_analyses');
  await knex.schema.dropTable('panel_experts');
  await knex.schema.dropTable('expert_panels');
}
