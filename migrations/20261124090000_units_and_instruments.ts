import type { Knex } from 'knex';

/** Units (a hierarchy with a context and free attributes) and the published instrument versions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instrument_versions', (t) => {
    t.string('version', 32).primary();
    t.integer('scale_min').notNullable();
    t.integer('scale_max').notNullable();
    // The whole published version (items with cell or scale, keying, texts per locale) as JSON.
    t.text('definition').notNullable();
    t.string('published_at', 32).notNullable();
  });
  await knex.schema.createTable('units', (t) => {
    t.increments('id');
    t.string('key', 100).notNullable().unique();
    t.string('name', 200).notNullable();
    t.integer('parent_id').nullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('context', 100).nullable();
    t.text('attributes').notNullable().defaultTo('{}');
    t.string('created_at', 32).notNullable();
    t.index(['parent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('units');
  await knex.schema.dropTable('instrument_versions');
}
