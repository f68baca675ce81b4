import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/demo.js';
import { DEMO_PQ_MEASURE } from '../../server/demo_research.js';
import { importPerformance } from '../../server/dynamics/handlers/performance.js';
import { insertResearchRun } from '../../server/research/queries.js';
import { CLI } from '../helpers/cli.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';

/** R runs here when Rscript is installed, and always under CI (where .ci/run installs it): a missing Rscript then fails. */
const HAS_R = spawnSync('Rscript', ['--version'], { encoding: 'utf8' }).status === 0;
const RUN_R = HAS_R || process.env.CI === 'true';
const NO_R = 'Rscript is not installed (apt-get install r-base-core r-cran-sandwich r-cran-lmtest r-cran-jsonlite), so the R check is skipped outside CI';

interface Bundle {
  readonly id: number;
  readonly dir: string;
  readonly archive: Buffer;
}

const file = (b: Bundle, path: string) => readFileSync(join(b.dir, path), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The panel's rows as objects (unit and wave as text, the rest as given). */
function panelRows(b: Bundle): { header: string[]; rows: Record<string, string>[] } {
  const [head, ...lines] = file(b, 'data/panel.csv').trimEnd().split('\n');
  const header = head.split(',');
  return { header, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [header[j], v]))) };
}

/** Runs the bundle's R script without blocking this worker (vitest's RPC times out after 60 s). */
function recompute(dir: string): Promise<{ status: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile('Rscript', [join(dir, 'recompute.R'), dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

describe("the reproducibility bundle of the demo's research run", () => {
  let t: TestApp;
  let work: string;
  let research: Bundle;
  let results: {
    waves: { label: string; role: string }[];
    hypotheses: { hypothesis: string; supported: boolean | null; error?: string; result?: { models: Record<string, { formula: string; terms: { term: string; est: number }[] }> } }[];
    panel: { eventWaves: Record<string, number>; treatedUnits: number; event: { terms: { term: string }[]; error?: string }; did: { error?: string }; fe: { error?: string }; clpm: { syntax: string; error?: string } };
  };

  const download = async (id: number, name: string): Promise<Bundle> => {
    const res = await request(t.app).get(`/api/v1/analyses/${id}/bundle`).set(AUTH).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status, String(res.body)).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename=seici-analysis-${id}.tar.gz`);
    const into = join(work, name);
    rmSync(into, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', into]);
    writeFileSync(join(work, `${name}.tar.gz`), res.body as Buffer);
    const tar = spawnSync('tar', ['xzf', join(work, `${name}.tar.gz`), '-C', into], { encoding: 'utf8' });
    expect(tar.status, tar.stderr).toBe(0);
    return { id, dir: join(into, `seici-analysis-${id}`), archive: res.body as Buffer };
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'seici-research-bundle-'));
    t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
    await seedDemo(t.app.services);
    const latest = await request(t.app).get('/api/v1/research/analyses/latest').set(AUTH);
    expect(latest.body.status).toBe('done');
    results = latest.body.results;
    research = await download(latest.body.id, 'research');
  }, 600_000);
  afterAll(async () => {
    await t?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the panel, the models as R formulas, the options, results, checks and verdicts, seici\'s generator and a manifest that holds', async () => {
    expect(filesUnder(research.dir)).toEqual([
      'MANIFEST.sha256', 'README.txt', 'checks.json', 'commitments.json', 'data/panel.csv', 'models/hypotheses.json',
      'models/panel.json', 'options.json', 'recompute.R', 'results.json', 'seici-prng.R', 'versions.json',
    ]);
    const manifest = file(research, 'MANIFEST.sha256').trimEnd().split('\n').map((l) => l.split('  '));
    expect(manifest.map(([, path]) => path).sort()).toEqual(filesUnder(research.dir).filter((f) => f !== 'MANIFEST.sha256'));
    for (const [hash, path] of manifest) expect(createHash('sha256').update(readFileSync(join(research.dir, path))).digest('hex'), path).toBe(hash);
    expect(JSON.parse(file(research, 'results.json'))).toEqual(results);
    expect(JSON.parse(file(research, 'versions.json'))).toMatchObject({ analysis: { id: research.id, kind: 'research' }, r: { packages: { sandwich: expect.any(String), lmtest: expect.any(String) } } });
    expect(file(research, 'seici-prng.R')).toMatch(/^seici_prng <- function\(seed\)/m);

    // Every model of every tested hypothesis, as the R formula lm fits.
    const spec = JSON.parse(file(research, 'models/hypotheses.json'));
    expect(spec.waves).toEqual(Object.fromEntries(results.waves.map((w) => [w.role, w.label])));
    const tested = results.hypotheses.filter((h) => h.result);
    expect(tested.length).toBeGreaterThanOrEqual(6);
    for (const h of tested) {
      expect(Object.keys(spec.hypotheses[h.hypothesis].models)).toEqual(Object.keys(h.result!.models));
      for (const [name, m] of Object.entries(h.result!.models)) expect(spec.hypotheses[h.hypothesis].models[name].formula).toBe(m.formula.replace('M^2', 'I(M^2)'));
    }
    if (spec.hypotheses.H2) expect(spec.hypotheses.H2.models.a).toMatchObject({ formula: 'TC ~ SC + RC + dynamism + SC:dynamism + RC:dynamism', centre: ['SC', 'RC', 'dynamism'] });
    if (spec.hypotheses.H7) expect(spec.hypotheses.H7.models.quadratic.formula).toBe('PQ ~ M + I(M^2)');
    expect(JSON.parse(file(research, 'options.json'))).toMatchObject({ kind: 'research', bootstrap: { replicates: 5000, seed: 1, level: 0.95 } });

    // Every number of the results is checked or listed with its reason; every tested verdict is decided again in R.
    const checks = JSON.parse(file(research, 'checks.json'));
    const numbers = (value: unknown): number => (typeof value === 'number' ? 1 : Array.isArray(value) ? value.reduce((s: number, v) => s + numbers(v), 0) : value && typeof value === 'object' ? Object.values(value).reduce((s: number, v) => s + numbers(v), 0) : 0);
    const pointers = new Set([...checks.checks, ...checks.notChecked].map((c: { pointer: string }) => c.pointer));
    expect(pointers.size).toBeGreaterThanOrEqual(numbers(results));
    // Closed forms at 1e-6 everywhere but the CLPM's ML fit (1e-3); its unit count is exact.
    expect(checks.checks.filter((c: { tolerance: string }) => c.tolerance !== 'closed').every((c: { pointer: string; tolerance: string }) => c.tolerance === 'optimiser' && c.pointer.startsWith('/panel/clpm/'))).toBe(true);
    expect(checks.checks.map((c: { pointer: string }) => c.pointer)).toEqual(expect.arrayContaining([
      '/panel/fe/terms/0/se', '/panel/did/terms/0/est', '/panel/event/terms/0/ciUpper', '/panel/treatedUnits', '/panel/clpm/estimates/0/est', '/panel/clpm/fit/chisq',
    ]));

    // The panel designs: every model fitted on the demo, the event waves in the panel, the CLPM's syntax for lavaan.
    for (const m of ['fe', 'did', 'event'] as const) expect(results.panel[m].error, m).toBeUndefined();
    const panelSpec = JSON.parse(file(research, 'models/panel.json'));
    expect(panelSpec).toMatchObject({ waves: results.waves.map((w) => w.label), fe: { formula: 'PQ ~ TC', effect: 'individual' }, did: { effect: 'twoways' }, clpm: { syntax: results.panel.clpm.syntax } });
    const { rows: panelLines } = panelRows(research);
    for (const r of panelLines) expect(r.eventWave, r.unit).toBe(results.panel.eventWaves[r.unit] === undefined ? '' : String(results.panel.eventWaves[r.unit]));
    expect(JSON.parse(file(research, 'options.json')).interfaceChanges.length).toBeGreaterThanOrEqual(results.panel.treatedUnits);
    expect(checks.checks.map((c: { pointer: string }) => c.pointer)).toEqual(expect.arrayContaining(['/hypotheses/0/result/indirect/0/ciLower', '/hypotheses/0/result/models/b/terms/1/seHc3']));
    expect(checks.verdicts.map((v: { pointer: string; seici: boolean }) => [v.pointer, v.seici])).toEqual(
      results.hypotheses.flatMap((h, i) => (h.error ? [] : [[`/hypotheses/${i}/supported`, h.supported]])),
    );
  });

  it('holds unit-level values of units published as units only: no suppressed unit, no roll-up, no respondent', async () => {
    const { header, rows } = panelRows(research);
    expect(header).toEqual(['unit', 'wave', 'n', 'SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'drift', 'rework', 'breakpoints', 'dynamism', 'visCoherence', 'visOutcome', 'leadershipDensity', 'PQ', 'eventWave']);
    const options = JSON.parse(file(research, 'options.json'));
    for (const w of options.waves as { label: string; publication: number }[]) {
      const run = (await request(t.app).get(`/api/v1/analyses/${w.publication}`).set(AUTH)).body.results;
      const asUnits = run.units.filter((u: { suppressed: boolean; rollup: boolean }) => !u.suppressed && !u.rollup);
      const hidden = run.units.filter((u: { suppressed: boolean; rollup: boolean }) => u.suppressed || u.rollup).map((u: { unitKey: string }) => u.unitKey);
      expect(hidden.length).toBeGreaterThan(0);
      const here = rows.filter((r) => r.wave === w.label);
      expect(here.map((r) => r.unit).sort()).toEqual(asUnits.map((u: { unitKey: string }) => u.unitKey).sort());
      for (const r of here) {
        const u = asUnits.find((x: { unitKey: string }) => x.unitKey === r.unit);
        expect(Number(r.n)).toBe(u.n);
        expect(Number(r.n)).toBeGreaterThanOrEqual(run.minGroupSize);
        expect(Number(r.TC)).toBe(u.dimensions.translational);
      }
    }
  });

  it('the research panel export (API) is the panel the bundle ships', async () => {
    const res = await request(t.app).get('/api/v1/research/analyses/latest/panel').set(AUTH).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text).toBe(file(research, 'data/panel.csv'));
    expect((await request(t.app).get('/api/v1/research/analyses/latest/panel')).status).toBe(401);
  });

  it('answers 404 for an unknown run, 409 for an unfinished research run, 401 without a token; seici bundle writes the same archive', async () => {
    const missing = await request(t.app).get('/api/v1/analyses/99999/bundle').set(AUTH);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('No analysis has the id 99999.');
    const options = JSON.parse(file(research, 'options.json'));
    const waves = options.waves.map((w: { label: string }) => Number(w.label));
    const queued = await insertResearchRun(t.db, { waveId: waves[2], parentId: options.waves[2].publication, requestedBy: 'test', createdAt: new Date().toISOString(), options: { waves, publications: options.waves.map((w: { publication: number }) => w.publication), pqMeasure: DEMO_PQ_MEASURE, bootstrap: 5000, seed: 1 } });
    const notDone = await request(t.app).get(`/api/v1/analyses/${queued}/bundle`).set(AUTH);
    expect(notDone.status).toBe(409);
    expect(notDone.body.error).toBe(`Analysis ${queued} is queued; only a finished run has a bundle.`);
    expect((await request(t.app).get(`/api/v1/analyses/${research.id}/bundle`)).status).toBe(401);
    await t.db('analyses').where({ id: queued }).delete();

    const env = { ...process.env, SEICI_DATA_DIR: t.config.dataDir, SEICI_DEMO: 'off' };
    const out = join(work, 'cli.tar.gz');
    const ok = spawnSync(process.execPath, [CLI, 'bundle', String(research.id), '--out', out, '--json'], { encoding: 'utf8', env });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(out).equals(research.archive)).toBe(true);
    const bad = spawnSync(process.execPath, [CLI, 'bundle', '99999', '--out', join(work, 'none.tar.gz')], { encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/No analysis has the id 99999\./);
    expect(existsSync(join(work, 'none.tar.gz'))).toBe(false);
  });

  it.skipIf(!RUN_R)(`runs its R script: lm, HC3, the replayed bootstrap intervals, the panel designs (plm, lavaan) and every verdict agree${RUN_R ? '' : ` (${NO_R})`}`, async () => {
    const checks = JSON.parse(file(research, 'checks.json'));
    const r = await recompute(research.dir);
    expect(r.status, r.stdout.slice(-4000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^manifest: the 11 files match their SHA-256$/m);
    expect(r.stdout).not.toMatch(/DISAGREE/);
    expect(r.stdout).toContain(`${checks.checks.length} numbers recomputed: ${checks.checks.length} agree, 0 disagree`);
    expect(r.stdout).toContain(`${checks.verdicts.length} verdicts recomputed: ${checks.verdicts.length} agree, 0 disagree`);
    expect(r.stdout).toMatch(/^agree {5}\/hypotheses\/0\/result\/indirect\/0\/ciLower /m);
    expect(r.stdout).toMatch(/^agree {5}\/hypotheses\/1\/result\/conditionalIndirect\/5\/ciUpper /m);
    // The panel designs: plm's clustered SEs (1e-6) and lavaan's CLPM (1e-3).
    for (const pointer of ['/panel/fe/terms/0/se', '/panel/did/terms/0/est', '/panel/did/terms/0/se', `/panel/event/terms/${results.panel.event.terms.length - 1}/ciLower`, '/panel/treatedUnits', '/panel/clpm/estimates/0/se', '/panel/clpm/fit/chisq']) {
      expect(r.stdout).toMatch(new RegExp(`^agree {5}${pointer.replace(/\//g, '\\/')} `, 'm'));
    }
    console.log(`research bundle: R recomputed ${checks.checks.length} numbers and ${checks.verdicts.length} verdicts in ${r.seconds.toFixed(1)} s`);
  }, 600_000);

  it.skipIf(!RUN_R)(`says which numbers disagree when the panel was tampered with${RUN_R ? '' : ` (${NO_R})`}`, async () => {
    const dir = join(work, 'tampered');
    cpSync(research.dir, dir, { recursive: true });
    const t3 = results.waves.find((w) => w.role === 'T3')!.label;
    // One unit's PQ at T3, raised by 5 points.
    const lines = readFileSync(join(dir, 'data/panel.csv'), 'utf8').split('\n');
    const header = lines[0].split(',');
    const column = header.indexOf('PQ');
    const at = lines.findIndex((l, i) => i > 0 && l.split(',')[1] === t3 && l.split(',')[column] !== '');
    const cells = lines[at].split(',');
    cells[column] = String(Number(cells[column]) + 5);
    lines[at] = cells.join(',');
    writeFileSync(join(dir, 'data/panel.csv'), lines.join('\n'));

    const r = await recompute(dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^manifest: data\/panel\.csv changed since seici wrote the bundle \(SHA-256 differs\)$/m);
    const h7 = results.hypotheses.findIndex((h) => h.hypothesis === 'H7');
    const h3 = results.hypotheses.findIndex((h) => h.hypothesis === 'H3');
    expect(r.stdout).toMatch(/^DISAGREE {2}\/hypotheses\/0\/result\/models\/b\/terms\/1\/est {2}seici /m);
    expect(r.stdout).toMatch(new RegExp(`^DISAGREE  /hypotheses/${h7}/result/turningPoint/est  seici `, 'm'));
    // PQ enters every panel design too.
    expect(r.stdout).toMatch(/^DISAGREE {2}\/panel\/fe\/terms\/0\/est {2}seici /m);
    // TC on the levers does not involve PQ: it still agrees.
    expect(r.stdout).toMatch(new RegExp(`^agree     /hypotheses/${h3}/result/models/levers/terms/4/est  seici `, 'm'));
    expect(r.stdout).toMatch(/R disagrees with seici on: .*\/hypotheses\/0\/result\/models\/b\/terms\/1\/est/);
  }, 600_000);

  it('is refused (409) once the stored data no longer give the run\'s results', async () => {
    const t3 = results.waves.find((w) => w.role === 'T3')!.label;
    const { rows } = panelRows(research);
    const unit = rows.find((r) => r.wave === t3 && r.PQ !== '')!.unit;
    const wave = (await request(t.app).get(`/api/v1/waves/${t3}`).set(AUTH)).body;
    const day = new Date(Date.parse(wave.closesAt) + 8 * 86_400_000).toISOString().slice(0, 10);
    await importPerformance(t.app.services, 'test', unit, `period,measure,value\n${day},${DEMO_PQ_MEASURE},20\n`, 'late import');
    const res = await request(t.app).get(`/api/v1/analyses/${research.id}/bundle`).set(AUTH);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(new RegExp(`^Analysis ${research.id} cannot be bundled: recomputed from the stored data it no longer gives its results \\(/hypotheses/\\d+/.+ differs: PQ, traces or answers changed since the run, or this seici computes it differently\\)\\.$`));
  });
});
