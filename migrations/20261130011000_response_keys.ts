import type { Knex } from 'knex';

/**
 * Answer sets no longer reference invitations (issue 10). A new answer set is stored under
 * `response_key` = HMAC-SHA256(K, token) with K held outside the database
 * (server/response_key.ts) and no invitation id; `invitation_id` becomes nullable.
 *
 * Rows written before cannot be keyed here (the store holds no token), so their link is cut
 * as soon as it is not needed: now, for every wave already closed (by status or by its
 * closing time); when a wave closes, in the closing transaction (queries/waves.ts); and when
 * a link is used again, the row is re-keyed (response key set, invitation id cleared).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.string('response_key', 64).nullable().unique();
  });
  await knex.schema.alterTable('responses', (t) => {
    t.integer('invitation_id').nullable().alter();
  });
  await unlinkClosedWaves(knex, new Date().toISOString());
}

/** Clears the invitation id of every answer set of a wave closed by `now` (by status or by its closing time); returns how many. */
export async function unlinkClosedWaves(knex: Knex, now: string): Promise<number> {
  const closed = knex('waves').where('status', 'closed').orWhere('closes_at', '<=', now).select('id');
  return Number(await knex('responses').whereIn('wave_id', closed).whereNotNull('invitation_id').update({ invitation_id: null }));
}

/**
 * Drops the response keys (answer sets stored under one can no longer be found by their token).
 * `invitation_id` stays nullable: the links this migration and the closes cut are not restored.
 */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.dropUnique(['response_key']);
  });
  await knex.schema.alterTable('responses', (t) => {
    t.dropColumn('response_key');
  });
}
