import type { Knex } from 'knex';

/**
 * Interface changes recorded per unit (issue 12): the treatment of the research run's
 * difference-in-differences and event study. A change is dated (`YYYY-MM-DD`) and may carry a
 * short note (what changed); a unit may have several, and the earliest in the design counts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('interface_changes', (t) => {
    t.increments('id');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('changed_on', 10).notNullable();
    t.string('note', 500).notNullable().defaultTo('');
    t.string('created_by', 200).notNullable();
    t.string('created_at', 40).notNullable();
    t.unique(['unit_id', 'changed_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('interface_changes');
}
