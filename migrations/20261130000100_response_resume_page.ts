import type { Knex } from 'knex';

/**
 * Resume position (issue 14): a partial answer set keeps the name of the questionnaire page
 * the respondent was on, so that a reload or another device opens that page again; the
 * browser keeps nothing. It is a page name (`sei-structural`), never a time, and it is
 * cleared when the answer set is completed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.string('resume_page', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.dropColumn('resume_page');
  });
}
