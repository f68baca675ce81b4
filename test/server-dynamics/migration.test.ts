import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest } from '../../server/db.js';
import { migrationSource } from '../../migrations/index.js';
import { BACKENDS, openTestStore, tableNames, type TestStore } from '../server/harness.js';

const MIGRATION = '20261124100000_traces_and_rules';
const TABLES = ['trace_imports', 'trace_events', 'performance_imports', 'performance_records', 'breakpoint_rule_sets', 'wave_rule_locks'];

describe.each(BACKENDS)('migration traces_and_rules on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    if (!backend.skip) store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  const tables = () => tableNames(store.db);

  /** A unit, a wave, an import with an event, a PQ value, a rule set and a lock: every table holds a row. */
  async function fill(tag: string): Promise<void> {
    const db = store.db;
    const [unit] = await db('units').insert({ key: `u-${tag}`, name: 'U', attributes: '{}', created_at: 'now' }).returning('id');
    const version = (await db('instrument_versions').first('version')).version;
    const [wave] = await db('waves')
      .insert({ name: 'W', instrument_version: version, opens_at: 'a', closes_at: 'b', status: 'open', locales: '[]', reminders: '[]', min_group_size: 5, created_at: 'now' })
      .returning('id');
    const [imp] = await db('trace_imports').insert({ unit_id: unit.id, format: 'native', events: 1, types: '{}', imported_at: 'now', imported_by: 'test' }).returning('id');
    await db('trace_events').insert({ import_id: imp.id, unit_id: unit.id, time: 1_767_693_600_000, type: 'closed', key: 'A', ref: null });
    const [pq] = await db('performance_imports').insert({ unit_id: unit.id, records: 1, imported_at: 'now', imported_by: 'test' }).returning('id');
    await db('performance_records').insert({ import_id: pq.id, unit_id: unit.id, period: '2026Q1', measure: 'cycle', value: 4.5 });
    const [rules] = await db('breakpoint_rule_sets').insert({ version: `v-${tag}`, fingerprint: `${tag}0123456789abcdef`.slice(0, 16), definition: '{}', built_in: false, created_at: 'now', created_by: 'test' }).returning('id');
    await db('wave_rule_locks').insert({ wave_id: wave.id, rule_set_id: rules.id, fingerprint: '0123456789abcdef', locked_at: 'now' });
  }

  it.skipIf(backend.skip)('creates its tables; an event time beyond 32 bits survives; the store keeps one PQ value per unit, period and measure', async () => {
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
    await fill('a');
    expect(Number((await store.db('trace_events').first('time')).time)).toBe(1_767_693_600_000);
    const row = await store.db('performance_records').first('import_id', 'unit_id');
    await expect(store.db('performance_records').insert({ ...row, period: '2026Q1', measure: 'cycle', value: 1 })).rejects.toThrow();
  });

  it.skipIf(backend.skip)('goes down with its down() while its tables hold rows, leaving the other tables, and up again', async () => {
    await store.db.migrate.down({ migrationSource, name: MIGRATION } as Parameters<typeof store.db.migrate.down>[0]);
    const left = await tables();
    for (const t of TABLES) expect(left).not.toContain(t);
    expect(left).toEqual(expect.arrayContaining(['units', 'waves', 'audit_log', 'analyses']));
    expect(await migrateToLatest(store.db)).toEqual([MIGRATION]);
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
    await fill('b');
    const undone = await migrateDownAll(store.db);
    expect(undone).toContain(MIGRATION);
    const none = await tables();
    for (const t of [...TABLES, 'units', 'waves']) expect(none).not.toContain(t);
    expect(await migrateToLatest(store.db)).toContain(MIGRATION);
  });
});
