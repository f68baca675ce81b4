import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/demo.js';
import { storedRules } from '../../server/dynamics/handlers/rules.js';
import { findRuleSetByVersion } from '../../server/dynamics/queries/rules.js';
import { canonicalJson } from '../../server/prereg/canonical_json.js';
import { GENESIS_HASH, bodyOf, publicKeyOf, sha256, signCommitment } from '../../server/prereg/commitment_chain.js';
import { insertCommitment } from '../../server/prereg/queries.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';

const key = generateKeyPairSync('ed25519').privateKey;

/**
 * The unit report of an analysed wave names the breakpoint-rules commitment of the wave and
 * says how its analysis deviated. The demo's waves already have answers, so the API would refuse
 * a commitment now; the test writes one signed entry straight into the chain, dated before the
 * wave opened, as if it had been made then.
 */
describe('a unit report under a commitment it did not follow', () => {
  let t: TestApp;
  let waveId: number;
  let unitKey: string;
  let session: string;
  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: new Date().toISOString(), env: { SEICI_SIGNING_KEY: key.export({ format: 'pem', type: 'pkcs8' }).toString() } });
    await seedDemo(t.app.services);
    const waves = (await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves;
    const wave = waves[1];
    waveId = wave.id;
    unitKey = (await request(t.app).get(`/api/v1/waves/${waveId}/report`).set(AUTH)).body.units.find((u: { suppressed: boolean; rollup?: boolean }) => !u.suppressed && !u.rollup).unitKey;
    const login = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN });
    session = (login.headers['set-cookie'][0] as string).split(';')[0];

    const strict = await request(t.app).post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'committed-strict', persistence: 6 });
    expect(strict.status, JSON.stringify(strict.body)).toBe(201);
    const rules = storedRules((await findRuleSetByVersion(t.db, 'committed-strict'))!);
    const content = { ruleVersion: rules.version, rules: JSON.parse(JSON.stringify(rules)) };
    const entry = signCommitment(
      { seq: 1, kind: 'breakpoint-rules', waveId, title: 'Rules for the second wave', content, contentHash: sha256(canonicalJson(content)), committedAt: new Date(Date.parse(wave.opensAt) - 86_400_000).toISOString(), prevHash: GENESIS_HASH, publicKey: publicKeyOf(key) },
      key,
    );
    await insertCommitment(t.db, entry, canonicalJson(bodyOf(entry)), 'test');
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('reports the rule version the wave locked as a deviation from the committed one, and how', async () => {
    const diagnosis = await request(t.app).get(`/api/v1/units/${unitKey}/diagnosis?wave=${waveId}`).set(AUTH);
    expect(diagnosis.status, JSON.stringify(diagnosis.body)).toBe(200);
    expect(diagnosis.body.rules).toMatchObject({ version: 'seici-default-1', preregistered: false, commitment: { seq: 1, ruleVersion: 'committed-strict', verified: true } });
    expect(diagnosis.body.rules.deviation).toBe('The analysis used rule version seici-default-1, not the rules committed in commitment 1 (version committed-strict): persistence 6 → 4; version "committed-strict" → "seici-default-1".');

    const json = await request(t.app).get(`/admin/waves/${waveId}/units/${unitKey}/report?format=json`).set('Cookie', session);
    expect(json.status).toBe(200);
    const report = JSON.parse(json.text);
    expect(report.preregistration).toMatch(/^Deviation from commitment 1 \(SHA-256 [0-9a-f]{16}…, committed \d{4}-\d{2}-\d{2}\): The analysis used rule version seici-default-1, not the rules committed/);
    const html = await request(t.app).get(`/admin/waves/${waveId}/units/${unitKey}/report`).set('Cookie', session);
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/data-testid="preregistration">Deviation from commitment 1 /);
  });
});
