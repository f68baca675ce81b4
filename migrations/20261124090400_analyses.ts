import type { Knex } from 'knex';

/** Analysis runs of a wave: queued, running, done (with their results as JSON) or failed. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analyses', (t) => {
    t.increments('id');
    t.integer('wave_id').notNullable().references('id').inTable('waves').onDelete('CASCADE');
    t.string('status', 16).notNullable();
    t.string('requested_by', 100).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('started_at', 32).nullable();
    t.string('finished_at', 32).nullable();
    t.text('results').nullable();
    t.text('error').nullable();
    t.index(['wave_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('analyses');
}
