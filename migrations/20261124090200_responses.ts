import type { Knex } from 'knex';

/**
 * Answer sets: one row per invitation (the unique key makes "one submission per token" a
 * property of the store), the answers as JSON keyed by item id, the hash of the completed
 * submission (so a retry of the same submission is recognised), role and locale. No IP
 * address, user agent or time of day is stored; `saved_on` is a date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('responses', (t) => {
    t.increments('id');
    t.integer('invitation_id').notNullable().unique().references('id').inTable('invitations').onDelete('CASCADE');
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('role', 100).nullable();
    t.string('locale', 16).notNullable();
    t.text('answers').notNullable();
    t.boolean('complete').notNullable();
    t.string('submission_hash', 64).nullable();
    t.string('saved_on', 10).notNullable();
    t.index(['wave_id', 'complete']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('responses');
}
