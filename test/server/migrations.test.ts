import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest } from '../../server/db.js';
import { migrationSource } from '../../migrations/index.js';
import { BACKENDS, openTestStore, tableNames, type TestStore } from './harness.js';

const TABLES = ['instrument_versions', 'units', 'waves', 'wave_units', 'wave_events', 'invitations', 'recipients', 'responses', 'admin_tokens', 'admin_sessions', 'audit_log', 'analyses', 'instrument_documents', 'expert_panels', 'panel_experts', 'panel_analyses'];

describe.each(BACKENDS)('migrations on $label', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    if (!backend.skip) store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  const tables = () => tableNames(store.db);

  it.skipIf(backend.skip)('go up, all the way down with down(), and up again', async () => {
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
    const all = await migrationSource.getMigrations([]);
    const undone = await migrateDownAll(store.db);
    expect(undone).toHaveLength(all.length);
    const left = await tables();
    expect(left.filter((t) => !t.startsWith('knex_') && t !== 'sqlite_sequence')).toEqual([]);
    const applied = await migrateToLatest(store.db);
    expect(applied).toEqual([...undone].reverse());
    expect(await tables()).toEqual(expect.arrayContaining(TABLES));
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  it.skipIf(backend.skip)('enforce one answer set per response key and unique token hashes in the store itself', async () => {
    await store.db('instrument_versions').insert({ version: 'x', scale_min: 1, scale_max: 7, definition: '{}', published_at: 'now' });
    const [unit] = await store.db('units').insert({ key: 'u', name: 'U', attributes: '{}', created_at: 'now' }).returning('id');
    const [wave] = await store.db('waves')
      .insert({ name: 'W', instrument_version: 'x', opens_at: 'a', closes_at: 'b', status: 'open', locales: '[]', reminders: '[]', min_group_size: 5, created_at: 'now' })
      .returning('id');
    const invitation = { wave_id: wave.id, unit_id: unit.id, token_hash: 'h'.repeat(64), created_on: '2026-01-01' };
    await store.db('invitations').insert(invitation);
    await expect(store.db('invitations').insert(invitation)).rejects.toThrow();
    const response = { response_key: 'k'.repeat(64), wave_id: wave.id, unit_id: unit.id, locale: 'en', answers: '{}', complete: false, saved_on: '2026-01-01' };
    await store.db('responses').insert(response);
    await expect(store.db('responses').insert(response)).rejects.toThrow();
  });
});
