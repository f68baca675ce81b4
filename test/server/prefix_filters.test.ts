import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAudit, listAudit } from '../../server/queries/admin.js';
import { KnexRateLimitStore } from '../../server/rate_limits/knex_store.js';
import { BACKENDS, openTestStore, type TestStore } from './harness.js';

/**
 * Prefix filters behave the same on SQLite (whose LIKE ignores the case of ASCII letters) and on
 * PostgreSQL (whose LIKE does not): a prefix matches exactly, case included, and `%`, `_` and `\`
 * stand for themselves.
 */
describe.each(BACKENDS)('prefix filters on $label', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    if (backend.skip) return;
    store = await openTestStore(backend);
    const at = '2026-03-02T09:00:00.000Z';
    await insertAudit(store.db, at, 'alice', 'wave.create', 'unit:Team-A', {});
    await insertAudit(store.db, at, 'alice', 'Wave.Create', 'unit:team-a', {});
    await insertAudit(store.db, at, 'alice', 'wave_close', 'unit:team_b', {});
    await insertAudit(store.db, at, 'alice', 'unit.update', 'unit:Ünit-é', {});
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  const actions = async (filter: Parameters<typeof listAudit>[2]) => (await listAudit(store.db, 100, filter)).map((e) => `${e.action} ${e.target}`).sort();

  it.skipIf(backend.skip)('matches an audit action or target prefix with its case', async () => {
    expect(await actions({ action: 'wave.' })).toEqual(['wave.create unit:Team-A']);
    expect(await actions({ action: 'Wave.' })).toEqual(['Wave.Create unit:team-a']);
    expect(await actions({ action: 'WAVE' })).toEqual([]);
    expect(await actions({ target: 'unit:team' })).toEqual(['Wave.Create unit:team-a', 'wave_close unit:team_b']);
    expect(await actions({ target: 'unit:Team' })).toEqual(['wave.create unit:Team-A']);
    expect(await actions({ target: 'unit:Ü' })).toEqual(['unit.update unit:Ünit-é']);
    expect(await actions({ target: 'unit:ü' })).toEqual([]);
  });

  it.skipIf(backend.skip)('takes %, _ and \\ in a prefix literally', async () => {
    expect(await actions({ action: 'wave_' })).toEqual(['wave_close unit:team_b']);
    expect(await actions({ action: '%' })).toEqual([]);
    expect(await actions({ target: 'unit:team\\' })).toEqual([]);
  });

  it.skipIf(backend.skip)('resets only its own rate-limit keys, whatever their case', async () => {
    const login = new KnexRateLimitStore(store.db, 'log_n');
    const other = new KnexRateLimitStore(store.db, 'Login');
    login.init({ windowMs: 60_000 } as never);
    other.init({ windowMs: 60_000 } as never);
    await login.increment('1.2.3.4');
    await other.increment('1.2.3.4');
    await login.resetAll();
    expect((await other.get('1.2.3.4'))?.totalHits).toBe(1);
    expect(await login.get('1.2.3.4')).toBeUndefined();
  });
});
