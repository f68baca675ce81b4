import type { Knex } from 'knex';

/**
 * The options a run was requested with (JSON), for pipelines that take more than a wave: a
 * research run names its three waves, the publications it reads, the PQ measure, the bootstrap
 * resamples and the seed. Null for wave and scale-developer runs, which take none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analyses', (t) => {
    t.text('options').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analyses', (t) => {
    t.dropColumn('options');
  });
}
