import type { Knex } from 'knex';

/**
 * The registry of pre-registration commitments (issue 18): one row per entry of the server's
 * hash chain. `body` is the entry's canonical JSON exactly as hashed and signed, so that a
 * verifier recomputes the hash from the stored text; the other columns repeat what queries
 * select on. `wave_id` has no foreign key on purpose: deleting a wave must not cut the chain.
 * The signing key is never stored, only its public half (`public_key`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('commitments', (t) => {
    t.increments('id');
    t.integer('seq').notNullable().unique();
    t.string('kind', 32).notNullable();
    t.integer('wave_id').notNullable();
    t.text('body').notNullable();
    t.string('content_hash', 64).notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable().unique();
    t.text('signature').notNullable();
    t.text('public_key').notNullable();
    t.string('committed_at', 32).notNullable();
    t.string('committed_by', 200).notNullable();
    t.index(['wave_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('commitments');
}
