import type { Knex } from 'knex';

/**
 * SEI dynamics (issue 7): coordination-event trace imports per unit, performance-quality (PQ)
 * imports kept apart from them, versioned breakpoint rule sets, and the rule set each wave
 * locked (pre-registered) when it opened.
 *
 * - `trace_imports` / `trace_events`: one row per import (format, counts, who, when) and one
 *   per event (milliseconds since 1970 UTC, type, key, ref). Deleting an import deletes its
 *   events.
 * - `performance_imports` / `performance_records`: the same for PQ outcomes; one value per
 *   unit, period and measure across imports.
 * - `breakpoint_rule_sets`: each version's canonical JSON (analysis `canonicalRuleSet`) and
 *   its fingerprint (`ruleSetFingerprint`); `version` and `fingerprint` are unique, so a rule
 *   set is addressed by its content.
 * - `wave_rule_locks`: the version a wave locked when it opened, with the fingerprint at that
 *   moment. The rule set reference is RESTRICT, so a locked version cannot be deleted even
 *   by hand.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('trace_imports', (t) => {
    t.increments('id');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('format', 16).notNullable();
    t.string('source', 200).nullable();
    t.integer('events').notNullable();
    t.string('first_on', 10).nullable();
    t.string('last_on', 10).nullable();
    t.text('types').notNullable().defaultTo('{}');
    t.string('imported_at', 32).notNullable();
    t.string('imported_by', 100).notNullable();
    t.index(['unit_id']);
  });
  await knex.schema.createTable('trace_events', (t) => {
    t.bigIncrements('id');
    t.integer('import_id').notNullable().references('id').inTable('trace_imports').onDelete('CASCADE');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.bigInteger('time').notNullable();
    t.string('type', 32).notNullable();
    t.text('key').notNullable();
    t.text('ref').nullable();
    t.index(['unit_id', 'time']);
    t.index(['import_id']);
  });
  await knex.schema.createTable('performance_imports', (t) => {
    t.increments('id');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('source', 200).nullable();
    t.integer('records').notNullable();
    t.string('imported_at', 32).notNullable();
    t.string('imported_by', 100).notNullable();
    t.index(['unit_id']);
  });
  await knex.schema.createTable('performance_records', (t) => {
    t.increments('id');
    t.integer('import_id').notNullable().references('id').inTable('performance_imports').onDelete('CASCADE');
    t.integer('unit_id').notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.string('period', 100).notNullable();
    t.string('measure', 100).notNullable();
    t.double('value').notNullable();
    t.unique(['unit_id', 'period', 'measure']);
    t.index(['import_id']);
  });
  await knex.schema.createTable('breakpoint_rule_sets', (t) => {
    t.increments('id');
    t.string('version', 100).notNullable().unique();
    t.string('fingerprint', 16).notNullable().unique();
    t.text('definition').notNullable();
    t.boolean('built_in').notNullable().defaultTo(false);
    t.string('created_at', 32).notNullable();
    t.string('created_by', 100).notNullable();
    t.string('updated_at', 32).nullable();
  });
  await knex.schema.createTable('wave_rule_locks', (t) => {
    t.integer('wave_id').primary().references('id').inTable('waves').onDelete('CASCADE');
    t.integer('rule_set_id').notNullable().references('id').inTable('breakpoint_rule_sets').onDelete('RESTRICT');
    t.string('fingerprint', 16).notNullable();
    t.string('locked_at', 32).notNullable();
    t.index(['rule_set_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('wave_rule_locks');
  await knex.schema.dropTable('breakpoint_rule_sets');
  await knex.schema.dropTable('performance_records');
  await knex.schema.dropTable('performance_imports');
  await knex.schema.dropTable('trace_events');
  await knex.schema.dropTable('trace_imports');
}
