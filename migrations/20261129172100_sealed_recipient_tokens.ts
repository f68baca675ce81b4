import type { Knex } from 'knex';

/**
 * Unlinkable completion (issue 11): each e-mail recipient keeps its survey token sealed with
 * SEICI_SECRET (AES-256-GCM, server/sealed_token.ts), so that reminders carry the recipient's
 * own link, and so that the scheduler, not the answer submission, finds out who has finished:
 * finished recipients are cleared in shuffled batches at the next reminder run, and a database
 * snapshot taken after a submission shows no recipient changed. Rows from before this
 * migration have no sealed token and are still cleared at submission, as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('recipients', (t) => {
    t.text('sealed_token').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('recipients', (t) => {
    t.dropColumn('sealed_token');
  });
}
