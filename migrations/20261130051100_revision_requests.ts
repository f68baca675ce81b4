import type { Knex } from 'knex';

/**
 * The items a draft was made to revise, with the reasons and evidence that asked for new wording
 * (JSON: `[{ item, reasons, evidence }]`), for the draft editor to show beside each item. Set when
 * a draft is made from a pilot run's verdicts; null for drafts made otherwise.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instrument_documents', (t) => {
    t.text('revision_requests').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instrument_documents', (t) => {
    t.dropColumn('revision_requests');
  });
}
