import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db.js';
import { migrationSource } from '../../migrations/index.js';
import { BACKENDS, openTestStore, tableNames, type TestStore } from '../server/harness.js';

const MIGRATION = '20261129180000_commitments';

describe.each(BACKENDS)('migration commitments on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    if (!backend.skip) store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  const entry = (seq: number, hash: string) => ({ seq, kind: 'hypothesis', wave_id: 1, body: '{}', content_hash: 'c'.repeat(64), prev_hash: '0'.repeat(64), hash, signature: 's', public_key: 'k', committed_at: 'now', committed_by: 'test' });

  it.skipIf(backend.skip)('creates the table; a seq or a hash cannot be stored twice', async () => {
    expect(await tableNames(store.db)).toContain('commitments');
    await store.db('commitments').insert(entry(1, 'a'.repeat(64)));
    await expect(store.db('commitments').insert(entry(1, 'b'.repeat(64)))).rejects.toThrow();
    await expect(store.db('commitments').insert(entry(2, 'a'.repeat(64)))).rejects.toThrow();
  });

  it.skipIf(backend.skip)('goes down with its down() while the table holds rows, leaving the other tables, and up again', async () => {
    await store.db.migrate.down({ migrationSource, name: MIGRATION } as Parameters<typeof store.db.migrate.down>[0]);
    const left = await tableNames(store.db);
    expect(left).not.toContain('commitments');
    expect(left).toEqual(expect.arrayContaining(['units', 'waves', 'responses', 'breakpoint_rule_sets']));
    expect(await migrateToLatest(store.db)).toEqual([MIGRATION]);
    expect(await tableNames(store.db)).toContain('commitments');
  });
});
