import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_VERSION } from '../../instrument/index.js';
import { seedDemo } from '../../server/demo.js';
import { insertAnalysis } from '../../server/queries/analyses.js';
import { completeAnswerSets } from '../../server/queries/responses.js';
import { CLI, PROJECT_ROOT } from '../helpers/cli.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';

/** R runs here when Rscript is installed, and always under CI (where .ci/run installs it): a missing Rscript then fails. */
const HAS_R = spawnSync('Rscript', ['--version'], { encoding: 'utf8' }).status === 0;
const RUN_R = HAS_R || process.env.CI === 'true';
const NO_R = 'Rscript is not installed (apt-get install r-base-core r-cran-psych r-cran-lavaan r-cran-semtools r-cran-multilevel r-cran-jsonlite), so the R check is skipped outside CI';

interface Bundle {
  readonly id: number;
  readonly dir: string;
  readonly archive: Buffer;
  readonly filename: string;
}

function file(b: Bundle, path: string): string {
  return readFileSync(join(b.dir, path), 'utf8');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The bundle's respondent rows: wave, unit and the answers as text. */
function rows(b: Bundle): { header: string[]; rows: { wave: string; unit: string; answers: string }[] } {
  const [head, ...lines] = file(b, 'data/responses.csv').trimEnd().split('\n');
  return {
    header: head.split(','),
    rows: lines.map((l) => {
      const [wave, unit, ...answers] = l.split(',');
      return { wave, unit, answers: answers.join(',') };
    }),
  };
}

/**
 * Runs the bundle's R script without blocking this test worker: R takes minutes on a loaded machine, and a worker
 * blocked that long misses vitest's own messages (its RPC times out after 60 s).
 */
function recompute(dir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('Rscript', [join(dir, 'recompute.R'), dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('the reproducibility bundle of the demo', () => {
  let t: TestApp;
  let work: string;
  let waveIds: number[];
  const bundles: Record<string, Bundle> = {};
  let k: number;
  let republished: number;

  const download = async (id: number, name: string): Promise<Bundle> => {
    const res = await request(t.app).get(`/api/v1/analyses/${id}/bundle`).set(AUTH).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status, String(res.body)).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    const filename = `seici-analysis-${id}.tar.gz`;
    expect(res.headers['content-disposition']).toBe(`attachment; filename=${filename}`);
    const archive = res.body as Buffer;
    const into = join(work, name);
    rmSync(into, { recursive: true, force: true });
    writeFileSync(join(work, `${name}.tar.gz`), archive);
    spawnSync('mkdir', ['-p', into]);
    const tar = spawnSync('tar', ['xzf', join(work, `${name}.tar.gz`), '-C', into], { encoding: 'utf8' });
    expect(tar.status, tar.stderr).toBe(0);
    return { id, dir: join(into, `seici-analysis-${id}`), archive, filename };
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'seici-bundles-'));
    t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
    await seedDemo(t.app.services);
    waveIds = (await request(t.app).get('/api/v1/waves').set(AUTH)).body.waves.map((w: { id: number }) => w.id);
    const first = (await request(t.app).get(`/api/v1/waves/${waveIds[0]}/report`).set(AUTH)).body.analysisId;
    const second = (await request(t.app).get(`/api/v1/waves/${waveIds[1]}/report`).set(AUTH)).body.analysisId;
    const scale = await t.app.services.analyses.request(waveIds[1], 'test', 'scale-developer', second);
    await t.app.services.analyses.idle();
    bundles.first = await download(first, 'first');
    bundles.second = await download(second, 'second');
    bundles.scale = await download(scale.id, 'scale');
    k = JSON.parse(file(bundles.second, 'results.json')).minGroupSize;
    // The hierarchy changes after the wave closed (the suppressed team moves to the other division) and the wave is published again.
    const moved = await request(t.app).patch('/api/v1/units/eng-U9').set(AUTH).send({ parentKey: 'ops' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const again = await request(t.app).post(`/api/v1/waves/${waveIds[1]}/analyses`).set(AUTH);
    await t.app.services.analyses.idle();
    republished = again.body.id;
  }, 900_000);
  afterAll(async () => {
    await t?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is one tar.gz of the data, item map, options, results, checks, R script, commitments and versions, with a SHA-256 manifest that holds', async () => {
    const b = bundles.second;
    expect(filesUnder(b.dir)).toEqual([
      'MANIFEST.sha256', 'README.txt', 'checks.json', 'commitments.json', 'data/aggregates.json', 'data/responses.csv', 'data/units.csv',
      'item_map.json', 'options.json', 'recompute.R', 'results.json', 'versions.json',
    ]);
    const manifest = file(b, 'MANIFEST.sha256').trimEnd().split('\n').map((l) => l.split('  '));
    expect(manifest.map(([, path]) => path).sort()).toEqual(filesUnder(b.dir).filter((f) => f !== 'MANIFEST.sha256'));
    for (const [hash, path] of manifest) expect(createHash('sha256').update(readFileSync(join(b.dir, path))).digest('hex'), path).toBe(hash);

    const stored = (await request(t.app).get(`/api/v1/analyses/${b.id}`).set(AUTH)).body.results;
    expect(JSON.parse(file(b, 'results.json'))).toEqual(stored);
    const versions = JSON.parse(file(b, 'versions.json'));
    expect(versions).toMatchObject({ seici: JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version, pipeline: 1, instrument: CURRENT_VERSION.id, analysis: { id: b.id, kind: 'wave', waveId: waveIds[1] } });
    const options = JSON.parse(file(b, 'options.json'));
    expect(options).toMatchObject({ kind: 'wave', minGroupSize: k, baselineWave: String(waveIds[0]), driftCapacity: 0.5, rwgj: { null: 'uniform', A: 7 }, reliability: { missing: 'pairwise' } });
    expect(Object.keys(JSON.parse(file(b, 'item_map.json')).items)).toHaveLength(72);
    expect(JSON.parse(file(b, 'commitments.json'))).toMatchObject({ commitments: [], note: 'No commitment names this wave: its analysis was not pre-registered.' });

    // Every number of the results is either checked (with its tolerance) or listed with the reason it is not.
    const checks = JSON.parse(file(b, 'checks.json'));
    expect(checks.tolerances).toEqual({ closed: 1e-6, optimiser: 1e-3 });
    expect(checks.checks.length).toBeGreaterThan(900);
    for (const n of checks.notChecked) expect(n.reason.length).toBeGreaterThan(10);
    const numbers = (value: unknown): number => (typeof value === 'number' ? 1 : Array.isArray(value) ? value.reduce((s: number, v) => s + numbers(v), 0) : value && typeof value === 'object' ? Object.values(value).reduce((s: number, v) => s + numbers(v), 0) : 0);
    const pointers = new Set([...checks.checks, ...checks.notChecked].map((c: { pointer: string }) => c.pointer));
    expect(pointers.size).toBeGreaterThanOrEqual(numbers(stored));

    // The scale-developer bundle carries its lavaan models.
    const models = filesUnder(join(bundles.scale.dir, 'models'));
    expect(models).toEqual(['cfa_Relational.lav', 'cfa_Structural.lav', 'cfa_Translational.lav', 'omega_one_factor.lav']);
    expect(readFileSync(join(bundles.scale.dir, 'models', 'cfa_Structural.lav'), 'utf8')).toMatch(/^SxA =~ SxA_1 \+ /m);
    expect(JSON.parse(file(bundles.scale, 'options.json'))).toMatchObject({ kind: 'scale-developer', efa: { nfactors: 9, method: 'minres', rotate: 'oblimin' }, cfa: { missing: 'ml' } });
  });

  it('holds only what a report could show: units published as units, each whole and with at least k respondents, no quasi-identifier, no order', async () => {
    const results = JSON.parse(file(bundles.second, 'results.json'));
    const asUnits = results.units.filter((u: { suppressed: boolean; rollup: boolean }) => !u.suppressed && !u.rollup).map((u: { unitKey: string }) => u.unitKey).sort();
    /** The units a wave's run suppressed (below k, or withheld so that no subtraction isolates fewer than k). */
    const suppressedIn = (b: Bundle): string[] => JSON.parse(file(b, 'results.json')).units.filter((u: { suppressed: boolean }) => u.suppressed).map((u: { unitKey: string }) => u.unitKey);
    expect(suppressedIn(bundles.second)).toEqual(expect.arrayContaining(['eng-U9', 'ops-U9']));
    for (const b of Object.values(bundles)) {
      const { header, rows: all } = rows(b);
      expect(header.slice(0, 2)).toEqual(['wave', 'unit']);
      expect(header.slice(2)).toEqual(Object.keys(JSON.parse(file(b, 'item_map.json')).items));
      const sizes = new Map<string, number>();
      for (const r of all) sizes.set(`${r.wave} ${r.unit}`, (sizes.get(`${r.wave} ${r.unit}`) ?? 0) + 1);
      for (const [group, n] of sizes) expect(n, group).toBeGreaterThanOrEqual(k);
      const sorted = [...all].sort((a, c) => (a.wave !== c.wave ? Number(a.wave) - Number(c.wave) : a.unit !== c.unit ? (a.unit < c.unit ? -1 : 1) : 0));
      expect(all.map((r) => `${r.wave} ${r.unit}`)).toEqual(sorted.map((r) => `${r.wave} ${r.unit}`));
    }
    const current = rows(bundles.second).rows.filter((r) => r.wave === String(waveIds[1]));
    expect([...new Set(current.map((r) => r.unit))].sort()).toEqual(asUnits);

    // The attack: no bundle, and no difference of two bundles, holds any answer set of a suppressed team.
    const text = (a: Readonly<Record<string, number | null>>) => Object.keys(JSON.parse(file(bundles.second, 'item_map.json')).items).map((id) => (typeof a[id] === 'number' ? String(a[id]) : '')).join(',');
    for (const [waveId, run] of [[waveIds[0], bundles.first], [waveIds[1], bundles.second]] as const) {
      const suppressed = suppressedIn(run);
      const hidden = (await completeAnswerSets(t.db, waveId)).filter((s) => suppressed.includes(s.unitKey)).map((s) => text(s.answers));
      expect(hidden.length).toBeGreaterThan(0);
      for (const b of Object.values(bundles)) {
        const held = new Set(rows(b).rows.filter((r) => r.wave === String(waveId)).map((r) => r.answers));
        for (const h of hidden) expect(held.has(h)).toBe(false);
      }
    }
    // After the hierarchy changed, a republication of the closed wave keeps the hierarchy its first publication used
    // (a re-run of a closed wave is frozen), so it withholds the same teams and its bundle holds none of their answers.
    const again = await download(republished, 'republished');
    expect(suppressedIn(again).sort()).toEqual(suppressedIn(bundles.second).sort());
    const hiddenSecond = (await completeAnswerSets(t.db, waveIds[1])).filter((s) => suppressedIn(bundles.second).includes(s.unitKey)).map((s) => text(s.answers));
    const heldAgain = new Set(rows(again).rows.filter((r) => r.wave === String(waveIds[1])).map((r) => r.answers));
    for (const h of hiddenSecond) expect(heldAgain.has(h)).toBe(false);
    // The bundles of the stored runs are still the same archives after the change.
    expect((await download(bundles.second.id, 'after-move')).archive.equals(bundles.second.archive)).toBe(true);
    // Any two bundles (of two waves, of two kinds) differ, wave by wave, by whole units only.
    const list = Object.entries(bundles);
    for (const [na, a] of list) {
      for (const [nb, b] of list) {
        if (na >= nb) continue;
        const byUnit = (x: Bundle) => {
          const m = new Map<string, string[]>();
          for (const r of rows(x).rows) m.set(`${r.wave} ${r.unit}`, [...(m.get(`${r.wave} ${r.unit}`) ?? []), r.answers]);
          return m;
        };
        const ua = byUnit(a);
        const ub = byUnit(b);
        for (const [group, answers] of ua) if (ub.has(group)) expect(ub.get(group), `${na}/${nb} ${group}`).toEqual(answers);
        for (const wave of new Set([...ua.keys(), ...ub.keys()].map((g) => g.split(' ')[0]))) {
          const count = (m: Map<string, string[]>) => {
            const c = new Map<string, number>();
            for (const [g, answers] of m) if (g.startsWith(`${wave} `)) for (const x of answers) c.set(x, (c.get(x) ?? 0) + 1);
            return c;
          };
          const ca = count(ua);
          const cb = count(ub);
          let onlyA = 0;
          let onlyB = 0;
          for (const [x, n] of ca) onlyA += Math.max(0, n - (cb.get(x) ?? 0));
          for (const [x, n] of cb) onlyB += Math.max(0, n - (ca.get(x) ?? 0));
          for (const d of [onlyA, onlyB]) expect(d === 0 || d >= k, `${na} − ${nb}, wave ${wave}: ${d} answer sets`).toBe(true);
        }
      }
    }
  });

  it('answers 404 for an unknown run, 409 for a run that is not finished or has no bundle, 401 without a token', async () => {
    const missing = await request(t.app).get('/api/v1/analyses/99999/bundle').set(AUTH);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('No analysis has the id 99999.');
    const queued = await insertAnalysis(t.db, waveIds[1], 'test', new Date().toISOString(), 'research');
    const notDone = await request(t.app).get(`/api/v1/analyses/${queued}/bundle`).set(AUTH);
    expect(notDone.status).toBe(409);
    expect(notDone.body.error).toBe(`Analysis ${queued} is queued; only a finished run has a bundle.`);
    expect((await request(t.app).get(`/api/v1/analyses/${bundles.second.id}/bundle`)).status).toBe(401);
    expect((await request(t.app).get('/api/v1/analyses/abc/bundle').set(AUTH)).status).toBe(400);
  });

  it('is written by seici bundle as the same archive, and refuses an unknown run with exit 2 and one sentence', async () => {
    const now = await download(bundles.second.id, 'again');
    const env = { ...process.env, SEICI_DATA_DIR: t.config.dataDir, SEICI_DEMO: 'off' };
    const out = join(work, 'cli.tar.gz');
    const ok = spawnSync(process.execPath, [CLI, 'bundle', String(bundles.second.id), '--out', out, '--json'], { encoding: 'utf8', env });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ analysis: bundles.second.id, file: out, bytes: now.archive.length });
    expect(readFileSync(out).equals(now.archive)).toBe(true);
    const bad = spawnSync(process.execPath, [CLI, 'bundle', '99999', '--out', join(work, 'none.tar.gz')], { encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/No analysis has the id 99999\./);
    expect(existsSync(join(work, 'none.tar.gz'))).toBe(false);
  });

  it.skipIf(!RUN_R)(`runs its R script, which recomputes every checked number of the wave and finds R agrees${RUN_R ? '' : ` (${NO_R})`}`, async () => {
    const b = bundles.second;
    const checks = JSON.parse(file(b, 'checks.json')).checks as unknown[];
    const r = await recompute(b.dir);
    expect(r.status, r.stdout.slice(-3000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^manifest: the 11 files match their SHA-256$/m);
    expect(r.stdout.match(/^agree /gm)).toHaveLength(checks.length);
    expect(r.stdout).not.toMatch(/DISAGREE/);
    expect(r.stdout).toContain(`${checks.length} numbers recomputed: ${checks.length} agree, 0 disagree`);
  }, 600_000);

  it.skipIf(!RUN_R)(`says which numbers disagree when a data file was tampered with${RUN_R ? '' : ` (${NO_R})`}`, async () => {
    const b = bundles.second;
    const dir = join(work, 'tampered');
    cpSync(b.dir, dir, { recursive: true });
    const results = JSON.parse(file(b, 'results.json'));
    const index = results.units.findIndex((u: { suppressed: boolean; rollup: boolean }) => !u.suppressed && !u.rollup);
    const other = results.units.findIndex((u: { suppressed: boolean; rollup: boolean }, i: number) => i > index && !u.suppressed && !u.rollup);
    const victim = results.units[index].unitKey;
    // One answer to SxA_2 of one respondent of that unit in the analysed wave, moved by one scale point.
    const lines = readFileSync(join(dir, 'data/responses.csv'), 'utf8').split('\n');
    const column = lines[0].split(',').indexOf('SxA_2');
    const at = lines.findIndex((l) => l.startsWith(`${waveIds[1]},${victim},`) && l.split(',')[column] !== '');
    const cells = lines[at].split(',');
    cells[column] = String(Number(cells[column]) === 7 ? 6 : Number(cells[column]) + 1);
    lines[at] = cells.join(',');
    writeFileSync(join(dir, 'data/responses.csv'), lines.join('\n'));

    const r = await recompute(dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^manifest: data\/responses\.csv changed since seici wrote the bundle \(SHA-256 differs\)$/m);
    expect(r.stdout).toMatch(new RegExp(`^DISAGREE  /units/${index}/cells/SxA  seici `, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^DISAGREE  /units/${index}/seiCi `, 'm'));
    expect(r.stdout).toMatch(/^DISAGREE {2}\/reliability\/SxA\/alpha /m);
    expect(r.stdout).toMatch(new RegExp(`^agree     /units/${other}/cells/SxA  seici `, 'm'));
    expect(r.stdout).toMatch(/^agree {5}\/units\/\d+\/cells\/TxV /m);
    expect(r.stdout).toMatch(/R disagrees with seici on: .*\/units\/\d+\/cells\/SxA/);
  }, 600_000);

  it.skipIf(!RUN_R)(`runs the R script of the scale-developer bundle: items, alpha, omega, eigenvalues, EFA, CFA and invariance agree${RUN_R ? '' : ` (${NO_R})`}`, async () => {
    const b = bundles.scale;
    const checks = JSON.parse(file(b, 'checks.json')).checks as { pointer: string }[];
    expect(checks.some((c) => c.pointer.startsWith('/invariance/'))).toBe(true);
    const r = await recompute(b.dir);
    expect(r.status, r.stdout.slice(-3000) + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/DISAGREE/);
    expect(r.stdout).toContain(`${checks.length} numbers recomputed: ${checks.length} agree, 0 disagree`);
  }, 3_600_000);
});
