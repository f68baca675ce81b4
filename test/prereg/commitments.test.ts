import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRuleSet, ruleSetFingerprint, type BreakpointRuleSet } from '../../analysis/index.js';
import { createApp } from '../../server/app.js';
import { storedRules } from '../../server/dynamics/handlers/rules.js';
import { WaveScheduler } from '../../server/jobs/scheduler.js';
import { canonicalJson } from '../../server/prereg/canonical_json.js';
import { bodyOf, publicKeyOf, signCommitment, type Receipt } from '../../server/prereg/commitment_chain.js';
import { PROJECT_ROOT, seici } from '../helpers/cli.js';
import { AUTH, BACKENDS, openTestApp, rowCount, type TestApp } from '../server/harness.js';
import { createUnits, reopenStreamCsv } from '../server-dynamics/helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCRIPT = resolve(PROJECT_ROOT, 'scripts/verify-receipt.mjs');

const serverKey = generateKeyPairSync('ed25519').privateKey;
const otherKey = generateKeyPairSync('ed25519').privateKey;
const pem = (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }).toString();

/** Runs the README's stand-alone script on a receipt. */
function script(file: string, trusted?: string) {
  const r = spawnSync(process.execPath, [SCRIPT, file, ...(trusted ? [trusted] : [])], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(BACKENDS)('verifiable pre-registration on $name', (backend) => {
  let t: TestApp;
  let dir: string;
  let june: number;
  let receipt: Receipt;
  const api = () => request(t.app);

  /** Writes a receipt to a file and returns its path. */
  const file = (name: string, r: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(r));
    return path;
  };
  const both = (path: string, trusted?: string) => ({ cli: seici(['verify', path, ...(trusted ? ['--public-key', trusted] : [])]), script: script(path, trusted) });

  beforeAll(async () => {
    if (backend.skip) return;
    dir = mkdtempSync(join(tmpdir(), 'seici-receipts-'));
    t = await openTestApp(backend, { now: '2026-06-01T09:00:00.000Z', env: { SEICI_SIGNING_KEY: pem(serverKey) } });
    await createUnits(t, ['team-a', 'team-b']);
    const csv = await api().post('/api/v1/units/team-a/traces').set(AUTH).set('Content-Type', 'text/csv').send(reopenStreamCsv('team-a'));
    expect(csv.status).toBe(201);
    const strict = await api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'persist-6-reopen-30', persistence: 6, signals: { reopenRate: { threshold: { kind: 'absolute', level: 0.3 }, cells: ['TxC', 'TxV'] } } });
    expect(strict.status).toBe(201);
    const wave = await api().post('/api/v1/waves').set(AUTH).send({ name: 'June', opensAt: new Date(t.clock.now.getTime() + HOUR).toISOString(), closesAt: new Date(t.clock.now.getTime() + 14 * DAY).toISOString(), unitKeys: ['team-a'] });
    expect(wave.status).toBe(201);
    june = wave.body.id;
  });
  afterAll(async () => {
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe.skipIf(backend.skip)('commitments', () => {
    it('refuses to commit without a signing key (503, one sentence) and has no public key then', async () => {
      const keyless = createApp({ db: t.db, config: { ...t.config, signingKey: undefined }, clock: t.clock.read });
      const res = await request(keyless).post('/api/v1/commitments').set(AUTH).send({ kind: 'breakpoint-rules', waveId: june, ruleVersion: 'persist-6-reopen-30' });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/^This server holds no signing key.*SEICI_SIGNING_KEY[^\n]*\.$/);
      expect((await request(keyless).get('/api/v1/commitments/public-key')).status).toBe(404);
      expect(await rowCount(t.db, 'commitments')).toBe(0);
      await keyless.services.responses.close();
    });

    it('commits rules, a model, a hypothesis and a plan before the wave opens, as a signed chain', async () => {
      const bodies = [
        { kind: 'breakpoint-rules', waveId: june, ruleVersion: 'persist-6-reopen-30' },
        { kind: 'measurement-model', waveId: june, title: 'Nine-cell CFA', syntax: 'SxA =~ SxA_1 + SxA_2 + SxA_3\nSxC =~ SxC_1 + SxC_2 + SxC_3', estimator: 'ML', groups: 'language', invariance: ['configural', 'metric', 'scalar'] },
        { kind: 'hypothesis', waveId: june, title: 'H7', statement: 'Performance quality peaks at modest misalignment.', test: 'quadratic term of M in PQ ~ M + M^2, unit fixed effects', threshold: { statistic: 'p', operator: '<', value: 0.05 } },
        { kind: 'analysis-plan', waveId: june, title: 'June plan', plan: 'Unit scores where rwg(j) ≥ .70; Café teams analysed with the rest.', steps: ['reliability', 'agreement', 'breakpoints'] },
      ];
      for (const [i, body] of bodies.entries()) {
        const res = await api().post('/api/v1/commitments').set(AUTH).send(body);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ seq: i + 1, kind: body.kind, waveId: june, publicKey: publicKeyOf(serverKey) });
        expect(res.body.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      const list = await api().get(`/api/v1/commitments?wave=${june}`).set(AUTH);
      expect(list.body.chain).toEqual({ valid: true, entries: 4 });
      expect(list.body.commitments.map((c: { prevHash: string; hash: string }) => c.prevHash)).toEqual(['0'.repeat(64), ...list.body.commitments.slice(0, 3).map((c: { hash: string }) => c.hash)]);
      // The committed rules are the full stored version, not just its name.
      expect(list.body.commitments[0].content).toMatchObject({ ruleVersion: 'persist-6-reopen-30', rules: { persistence: 6, signals: { reopenRate: { threshold: { level: 0.3 } } } } });
      const one = await api().get('/api/v1/commitments/2').set(AUTH);
      expect(one.body).toMatchObject({ seq: 2, title: 'Nine-cell CFA', chain: { valid: true, entries: 2 } });
      expect((await api().get('/api/v1/commitments/public-key')).body.publicKey).toBe(publicKeyOf(serverKey));
    });

    it('refuses bad commitments with one sentence and stores nothing', async () => {
      const cases: [object, number, RegExp][] = [
        [{ kind: 'measurement-model', waveId: june, title: 'bad', syntax: 'SxA =~' }, 400, /syntax/],
        [{ kind: 'breakpoint-rules', waveId: june, ruleVersion: 'nope' }, 400, /ruleVersion.*"nope"/],
        [{ kind: 'breakpoint-rules', waveId: 999, ruleVersion: 'seici-default-1' }, 404, /999/],
        [{ kind: 'guess', waveId: june }, 400, /kind/],
      ];
      for (const [body, status, pattern] of cases) {
        const res = await api().post('/api/v1/commitments').set(AUTH).send(body);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body.error).toMatch(pattern);
        expect(res.body.error).toMatch(/^[^\n]+\.$/);
      }
      expect(await rowCount(t.db, 'commitments')).toBe(4);
    });

    it('exports a receipt that seici verify and the README script both accept, and a printable page', async () => {
      const res = await api().get('/api/v1/commitments/4/receipt').set(AUTH);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain('receipt-4.json');
      receipt = JSON.parse(res.text);
      expect(receipt).toMatchObject({ format: 'seici-commitment-receipt/1', commitment: 4, publicKey: publicKeyOf(serverKey) });
      expect(receipt.entries).toHaveLength(4);
      const path = file('receipt.json', receipt);
      const ok = both(path);
      expect(ok.cli.status, ok.cli.stderr).toBe(0);
      expect(ok.cli.stdout).toMatch(/^receipt verifies: commitment 4, 4 chained entries/);
      expect(ok.script.status, ok.script.stderr).toBe(0);
      expect(ok.script.stdout).toContain('receipt verifies');
      const pinned = both(path, publicKeyOf(serverKey));
      expect([pinned.cli.status, pinned.script.status]).toEqual([0, 0]);

      const page = await api().get('/api/v1/commitments/4/receipt.html').set(AUTH);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('June plan');
      expect(page.text).toContain('The chain of 4 entries verifies');
      expect(page.text).toContain(receipt.entries[3].hash);
      expect(page.text).toContain('Café teams');
    });

    it('detects one changed character of a committed rule set, two entries reordered, and a receipt re-signed with another key', async () => {
      const copy = (): { format: string; publicKey: string; commitment: number; entries: any[] } => JSON.parse(JSON.stringify(receipt));

      const edited = copy();
      edited.entries[0].content.rules.version = 'persist-6-reopen-31';
      const e1 = both(file('edited.json', edited));
      expect(e1.cli.status).toBe(2);
      expect(e1.cli.stderr.trim()).toBe(`seici: receipt ${join(dir, 'edited.json')} does not verify: entry 1 is broken, its content does not hash to its contentHash.`);
      expect(e1.script.status).toBe(2);
      expect(e1.script.stderr).toMatch(/^entry 1 is broken/);

      // A threshold raised and every hash recomputed: the signature gives it away.
      const rehashed = copy();
      rehashed.entries[0].content.rules.signals.reopenRate.threshold.level = 0.5;
      let prev = '0'.repeat(64);
      for (const e of rehashed.entries) {
        const { createHash } = await import('node:crypto');
        e.prevHash = prev;
        e.contentHash = createHash('sha256').update(canonicalJson(e.content)).digest('hex');
        e.hash = createHash('sha256').update(canonicalJson(bodyOf(e))).digest('hex');
        prev = e.hash;
      }
      const e2 = both(file('rehashed.json', rehashed));
      expect(e2.cli.status).toBe(2);
      expect(e2.cli.stderr).toMatch(/entry 1 is broken, its signature does not verify/);
      expect(e2.script.status).toBe(2);

      const reordered = copy();
      [reordered.entries[1], reordered.entries[2]] = [reordered.entries[2], reordered.entries[1]];
      const e3 = both(file('reordered.json', reordered));
      expect(e3.cli.status).toBe(2);
      expect(e3.cli.stderr).toMatch(/entry 3 is broken, it stands at position 2 of the chain/);
      expect(e3.script.status).toBe(2);
      expect(e3.script.stderr).toMatch(/^entry 3 is broken/);

      // Re-signed with another key, every entry and the receipt still naming the server's key.
      const resigned = copy();
      resigned.entries = resigned.entries.map((e) => signCommitment(bodyOf(e), otherKey));
      const e4 = both(file('resigned.json', resigned));
      expect(e4.cli.status).toBe(2);
      expect(e4.cli.stderr).toMatch(/entry 1 is broken, its signature does not verify with the chain's public key\.$/m);
      expect(e4.script.status).toBe(2);

      // Re-keyed throughout (a forged chain that is consistent in itself): the key the verifier trusts refuses it.
      const forged = copy();
      forged.publicKey = publicKeyOf(otherKey);
      prev = '0'.repeat(64);
      forged.entries = forged.entries.map((e) => {
        const s = signCommitment({ ...bodyOf(e), prevHash: prev, publicKey: publicKeyOf(otherKey) }, otherKey);
        prev = s.hash;
        return s;
      });
      const path = file('forged.json', forged);
      expect(both(path).cli.status).toBe(0);
      // Entries that name the new key inside a receipt that names the old one.
      const mixed = copy();
      mixed.entries = forged.entries;
      const e6 = both(file('mixed.json', mixed));
      expect(e6.cli.stderr).toMatch(/entry 1 is broken, it names a signing key other than the chain's/);
      expect(e6.script.status).toBe(2);
      const e5 = both(path, publicKeyOf(serverKey));
      expect(e5.cli.status).toBe(2);
      expect(e5.cli.stderr).toMatch(/signed with a key other than the one you trust/);
      expect(e5.script.status).toBe(2);

      const missing = seici(['verify', join(dir, 'nothing.json')]);
      expect(missing.status).toBe(2);
      expect(missing.stderr.trim()).toBe(`seici: receipt ${join(dir, 'nothing.json')} does not exist.`);
    });

    it('names the commitment the breakpoint analysis followed once the wave opens and locks the committed rules', async () => {
      t.clock.advance(2 * HOUR);
      await new WaveScheduler(t.app.services).tick();
      const res = await api().get('/api/v1/units/team-a/breakpoints').set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.rules).toMatchObject({
        version: 'persist-6-reopen-30',
        lockedBy: { waveId: june },
        preregistered: true,
        commitment: { seq: 1, hash: receipt.entries[0].hash, ruleVersion: 'persist-6-reopen-30', verified: true, problem: null },
        deviation: null,
      });
      // A preview under another version is a deviation from the wave's commitment, and says how.
      const preview = await api().get('/api/v1/units/team-a/breakpoints?rules=seici-default-1').set(AUTH);
      expect(preview.body.rules.preregistered).toBe(false);
      expect(preview.body.rules.deviation).toMatch(/^The analysis used rule version seici-default-1, not the rules committed in commitment 1 \(version persist-6-reopen-30\): .*persistence 6 → 4.*signals\.reopenRate\.threshold\.level 0\.3 → 0\.2/);
    });

    it('refuses a commitment for a wave that has answers (409, one sentence)', async () => {
      const inv = await api().post(`/api/v1/waves/${june}/invitations`).set(AUTH).send({ unitKey: 'team-a', count: 1 });
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      const saved = await api().post('/api/v1/responses').send({ token: inv.body.invitations[0].token, answers: { SxA_1: 4 }, complete: false });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
      const res = await api().post('/api/v1/commitments').set(AUTH).send({ kind: 'hypothesis', waveId: june, title: 'late', statement: 'x', test: 'y', threshold: { statistic: 'p', operator: '<', value: 0.05 } });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe(`Wave ${june} already has answers, so a commitment made now would not precede its data.`);
      expect(await rowCount(t.db, 'commitments')).toBe(4);
    });

    it('reads the old FNV attack (a threshold raised in the database, fingerprints recomputed) as a deviation, not as pre-registered', async () => {
      const row = await t.db('breakpoint_rule_sets').where({ version: 'persist-6-reopen-30' }).first();
      const rules = storedRules({ version: row.version, definition: row.definition, fingerprint: row.fingerprint });
      const raised: BreakpointRuleSet = { ...rules, signals: { ...rules.signals, reopenRate: { ...rules.signals.reopenRate, threshold: { kind: 'absolute', level: 0.5, strict: false } } } };
      const fingerprint = ruleSetFingerprint(raised);
      await t.db('breakpoint_rule_sets').where({ id: row.id }).update({ definition: canonicalRuleSet(raised), fingerprint });
      await t.db('wave_rule_locks').where({ wave_id: june }).update({ fingerprint });

      const res = await api().get('/api/v1/units/team-a/breakpoints').set(AUTH);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.rules).toMatchObject({ version: 'persist-6-reopen-30', preregistered: false, commitment: { seq: 1, verified: true } });
      expect(res.body.rules.deviation).toBe('The analysis used rule version persist-6-reopen-30, not the rules committed in commitment 1 (version persist-6-reopen-30): signals.reopenRate.threshold.level 0.3 → 0.5.');

      // Editing the commitment to match (and recomputing its hashes) breaks its signature instead.
      const entry = await t.db('commitments').where({ seq: 1 }).first();
      const body = JSON.parse(entry.body);
      body.content.rules.signals.reopenRate.threshold.level = 0.5;
      const { createHash } = await import('node:crypto');
      body.contentHash = createHash('sha256').update(canonicalJson(body.content)).digest('hex');
      const text = canonicalJson(body);
      await t.db('commitments').where({ seq: 1 }).update({ body: text, content_hash: body.contentHash, hash: createHash('sha256').update(text).digest('hex') });
      const forged = await api().get('/api/v1/units/team-a/breakpoints').set(AUTH);
      expect(forged.body.rules).toMatchObject({ preregistered: false, deviation: null, commitment: { seq: 1, verified: false } });
      expect(forged.body.rules.commitment.problem).toMatch(/^entry 1 of the chain is broken: its signature does not verify/);
    });
  });
});
