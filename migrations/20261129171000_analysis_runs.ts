import type { Knex } from 'knex';

/**
 * Analysis runs as stored publications: each run has a kind (`wave`: the wave's publication;
 * `scale-developer`: the psychometric analyses of a published wave; `research`, `pilot` for
 * later pipelines), the version of the pipeline that produced it, the run it derives from, and
 * a lease (owner and expiry) that a live process renews while it computes, so that any process
 * retries or fails a run whose process died.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analyses', (t) => {
    t.string('kind', 24).notNullable().defaultTo('wave');
    t.integer('pipeline_version').nullable();
    t.integer('parent_id').nullable().references('id').inTable('analyses').onDelete('CASCADE');
    t.string('lease_owner', 100).nullable();
    t.string('lease_expires_at', 32).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.index(['status', 'lease_expires_at']);
    t.index(['wave_id', 'kind', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analyses', (t) => {
    t.dropIndex(['wave_id', 'kind', 'status']);
    t.dropIndex(['status', 'lease_expires_at']);
    t.dropForeign(['parent_id']);
  });
  await knex.schema.alterTable('analyses', (t) => {
    t.dropColumn('attempts');
    t.dropColumn('lease_expires_at');
    t.dropColumn('lease_owner');
    t.dropColumn('parent_id');
    t.dropColumn('pipeline_version');
    t.dropColumn('kind');
  });
}
