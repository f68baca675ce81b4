import type { Knex } from 'knex';

/**
 * Instrument versions stored in full: the whole version document (items with texts in every
 * locale, keying, cells, response formats, scales, the change log with its evidence, the
 * carried-over and retired ids) for drafts and for published versions derived on the server, so
 * that a questionnaire, export or analysis of any stored version works after a restart and on
 * another process. A draft lives only here; publishing it also adds it to `instrument_versions`
 * (which waves reference), after which neither row changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instrument_documents', (t) => {
    t.string('version', 32).primary();
    t.string('status', 16).notNullable(); // draft | published
    t.string('based_on', 32).nullable();
    t.text('document').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('created_by', 200).notNullable();
    t.string('published_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instrument_documents');
}
