import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIMENSIONS, cellDimension } from '../../instrument/model.js';
import { ORGANISATION, seiModelSyntax, type WavePublication } from '../../analysis/index.js';
import { conflict, notFound } from '../errors.js';
import { wavePublicationInput } from '../jobs/analysis_runner.js';
import { findAnalysis, type AnalysisRecord } from '../queries/analyses.js';
import { listUnits } from '../queries/units.js';
import { findWave } from '../queries/waves.js';
import { PROJECT_ROOT } from '../paths.js';
import { checkStoredChain, serverPublicKey } from '../prereg/handlers.js';
import { chainUpTo } from '../prereg/queries.js';
import type { Services } from '../services.js';
import { bundleChecks, type WaveCheckContext } from './checks.js';
import { unitsShownInEveryRun } from './queries.js';
import { RECOMPUTE_R } from './recompute_r.js';
import { researchBundleParts } from './research_bundle.js';
import { BundleDataMismatch, bundleRespondents, respondentCsv, type BundleRespondents } from './respondent_data.js';
import { tarGz, type ArchiveFile } from './tar_archive.js';

/** The bundle of a run: the archive and its name. */
export interface AnalysisBundle {
  readonly filename: string;
  readonly archive: Buffer;
  /** path → SHA-256 of every file in the archive but the manifest itself. */
  readonly manifest: Readonly<Record<string, string>>;
}

const BUNDLED_KINDS = ['wave', 'scale-developer', 'research'] as const;
type BundledKind = (typeof BUNDLED_KINDS)[number];

const DIMENSION_LABELS = { S: 'Structural', R: 'Relational', T: 'Translational' } as const;

/** The R packages (and versions this bundle was checked with) the script loads. */
const R_PACKAGES = { psych: '2.2.9', GPArotation: '2022.10.2', lavaan: '0.6.14', semTools: '0.5.6', multilevel: '2.7', jsonlite: '1.8.4' };
const R_PACKAGES_RESEARCH = { sandwich: '3.0.2', lmtest: '0.9.40', jsonlite: '1.8.4' };

function seiciVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * The aggregates (roll-ups and the organisation) whose respondents are exactly units of the
 * bundle: a roll-up over units that were all published as units can be pooled again in R;
 * one that also covers a suppressed unit cannot, since that unit's answers never leave.
 */
function pooledAggregates(publication: WavePublication, hierarchy: readonly { key: string; parentKey: string | null }[], data: BundleRespondents) {
  const current = data.waves.at(-1)!;
  const nOf = new Map(current.units.map((u) => [u.key, u.n]));
  const parent = new Map(hierarchy.map((u) => [u.key, u.parentKey]));
  const inSubtree = (unit: string, root: string) => {
    for (let k: string | null | undefined = unit, guard = 0; k && guard < 10_000; k = parent.get(k), guard++) if (k === root) return true;
    return false;
  };
  const out: { key: string; units: string[] }[] = [];
  const aggregates: { key: string; n: number | null; suppressed: boolean }[] = [
    ...publication.units.filter((u) => u.rollup).map((u) => ({ key: u.unitKey, n: u.n, suppressed: u.suppressed })),
    ...(publication.organisation.suppressed ? [] : [{ key: ORGANISATION, n: publication.organisation.n, suppressed: false }]),
  ];
  for (const a of aggregates) {
    if (a.suppressed || a.n === null) continue;
    // The organisation is the union of the top-most published aggregates: here, every bundled unit under a published one.
    const units = a.key === ORGANISATION ? [...nOf.keys()] : [...nOf.keys()].filter((u) => inSubtree(u, a.key));
    const n = units.reduce((sum, u) => sum + nOf.get(u)!, 0);
    if (n === a.n) out.push({ key: a.key, units: units.sort() });
  }
  return out;
}

function readme(record: AnalysisRecord, kind: BundledKind, waveName: string, checked: number, unchecked: number): string {
  const what = kind === 'wave' ? 'the publication of a closed wave (unit report and wave report)' : 'the scale-developer analyses of a published wave';
  return `seici reproducibility bundle: analysis ${record.id}, ${what}
Wave: ${waveName} (id ${record.waveId}). Finished: ${record.finishedAt}.

Run the check (R with psych, GPArotation, lavaan, semTools, multilevel and jsonlite):
    Rscript recompute.R            (from this folder; or Rscript recompute.R /path/to/folder)
It checks MANIFEST.sha256, recomputes ${checked} numbers of results.json from the data and
prints, for each, seici's value, R's value and whether they agree within the tolerance
(closed forms 1e-6, optimiser output 1e-3; |seici - R| <= tol * max(1, |R|)). It exits 0 when
every number agrees and 1 when any disagrees, naming each.
${unchecked} further numbers of results.json are not recomputed; checks.json says why, one by one.

Files
  results.json        seici's results exactly as stored (the run's publication)
  data/responses.csv  the valid answer sets of the units published as units (one row each;
                      raw answers on the instrument's scale, empty = missing or "don't know")
  data/units.csv      those units per wave: context and respondent count
  data/aggregates.json (wave runs) roll-ups that pool bundled units only
  item_map.json       item -> cell and reverse keying, scale minimum and maximum
  models/             every model fitted, in lavaan syntax
  options.json        the exact options of every analysis of the run
  checks.json         the numbers recomputed, with tolerances, and those not recomputed, with reasons
  commitments.json    the wave's pre-registration commitments and whether they verify
  versions.json       seici, pipeline, instrument and R package versions
  recompute.R         the check
  MANIFEST.sha256     SHA-256 of every other file (sha256sum -c MANIFEST.sha256)

Privacy: the bundle holds what the reports could show and no more. Only units published as
units are in it (each with all its valid respondents, at least the minimum group size);
answers of suppressed units are left out, also where a roll-up pools them; no respondent id,
role, locale, time or order of submission is included (rows are sorted by wave, unit and
answers), so two bundles can differ only by whole units.
`;
}

/**
 * The reproducibility bundle of a stored analysis run: one tar.gz with the respondent data the
 * run used (under the publication policy: see bundleRespondents), the item map, every model in
 * lavaan syntax, the options, seici's results, the numbers to check with their tolerances, an R
 * script that recomputes them with psych, lavaan, semTools and multilevel and says for each
 * whether R agrees, the wave's pre-registration commitments, the versions, and a SHA-256
 * manifest. 404 for an unknown run; 409 for a run not finished, of a kind without a bundle, or
 * whose stored answers no longer give its published counts.
 */
export async function buildAnalysisBundle(s: Services, analysisId: number): Promise<AnalysisBundle> {
  const record = await findAnalysis(s.db, analysisId);
  if (!record) throw notFound(`No analysis has the id ${analysisId}.`);
  if (record.status !== 'done' || record.pipelineVersion === null || !record.results) {
    throw conflict(`Analysis ${analysisId} is ${record.status === 'done' ? 'stored without a publication' : record.status}; only a finished run has a bundle.`);
  }
  if (!(BUNDLED_KINDS as readonly string[]).includes(record.kind)) {
    throw conflict(`Analysis ${analysisId} is a ${record.kind} run; bundles exist for ${BUNDLED_KINDS.join(' and ')} runs.`);
  }
  const kind = record.kind as BundledKind;
  const wave = (await findWave(s.db, record.waveId))!;
  if (kind === 'research') {
    const parts = await researchBundleParts(s, record);
    const instrument = (await s.instruments.get(wave.instrumentVersion))!;
    return archive(record, [
      ...parts.files,
      { path: 'commitments.json', content: json(await commitmentsOf(s, parts.waveIds)) },
      { path: 'versions.json', content: json(versionsOf(record, 'research', instrument.definition.version, R_PACKAGES_RESEARCH)) },
      { path: 'recompute.R', content: RECOMPUTE_R },
    ]);
  }
  let publication = record.results as WavePublication;
  if (kind === 'scale-developer') {
    const parent = record.parentId === null ? undefined : await findAnalysis(s.db, record.parentId);
    if (!parent?.results) throw conflict(`Analysis ${analysisId} derives from a wave run that has no stored results.`);
    publication = parent.results as WavePublication;
  }
  const input = await wavePublicationInput(s.db, s.clock, s.instruments, wave);
  const instrument = (await s.instruments.get(wave.instrumentVersion))!;
  const shown = new Map<string, Set<string> | null>();
  for (const w of input.waves) shown.set(w.label, await unitsShownInEveryRun(s.db, Number(w.label)));
  let data: BundleRespondents;
  try {
    data = bundleRespondents(input, publication, shown);
  } catch (err) {
    if (err instanceof BundleDataMismatch) throw conflict(`Analysis ${analysisId} cannot be bundled: ${err.message}`);
    throw err;
  }
  const hierarchy = await listUnits(s.db);
  const contextOf = new Map(hierarchy.map((u) => [u.key, u.context]));
  const unitsCsv = ['wave,unit,context,n', ...data.waves.flatMap((w) => w.units.map((u) => `${w.label},${u.key},${contextOf.get(u.key) ?? ''},${u.n}`))].join('\n') + '\n';
  const itemMap = { scaleMin: input.scaleMin, scaleMax: input.scaleMax, items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) };

  const files: ArchiveFile[] = [];
  const models: ArchiveFile[] = [];
  let options: Record<string, unknown>;
  let checks;
  let aggregates: { key: string; units: string[] }[] = [];
  const current = data.waves.at(-1)!;
  if (kind === 'wave') {
    aggregates = pooledAggregates(publication, hierarchy, data);
    const ctx: WaveCheckContext = { units: new Set(current.units.map((u) => u.key)), pooled: new Set(aggregates.map((a) => a.key)) };
    checks = bundleChecks('wave', record.results, ctx);
    options = {
      kind,
      pipelineVersion: record.pipelineVersion,
      wave: publication.wave,
      waves: data.waves.map((w) => ({ label: w.label, minGroupSize: w.minGroupSize, appliedMinGroupSize: w.appliedMinGroupSize })),
      minGroupSize: publication.minGroupSize,
      validRespondent: 'a score in every cell: at least half of each cell\'s items answered',
      cellScore: 'mean of the answered items of the cell, reverse-keyed items as scaleMin + scaleMax - answer',
      baselineWave: publication.baselineWave,
      z: 'dimension score minus the mean over the baseline wave\'s units, divided by their SD (n - 1)',
      misalignment: 'SD (n - 1) of the three z',
      driftCapacity: publication.driftCapacity,
      rwgj: { null: 'uniform', A: input.scaleMax - input.scaleMin + 1, sample: 'members who answered every item of the aggregate; null when fewer than minGroupSize did', matches: 'multilevel::rwg.j' },
      icc: { model: 'one-way ANOVA of respondents\' dimension scores on units published as units', matches: 'multilevel::ICC1, ICC2' },
      reliability: { missing: 'pairwise', level: 0.95, sample: 'respondents of the units published as units', matches: 'psych::alpha(use = "pairwise")' },
    };
  } else {
    checks = bundleChecks('scale-developer', record.results);
    const byDimension = (d: (typeof DIMENSIONS)[number]) => input.items.filter((i) => cellDimension(i.cell) === d).map((i) => ({ item: i.id, cell: i.cell }));
    for (const d of DIMENSIONS) {
      models.push({ path: `models/cfa_${DIMENSION_LABELS[d]}.lav`, content: seiModelSyntax(byDimension(d), 'cells') + '\n' });
    }
    models.push({ path: 'models/omega_one_factor.lav', content: '# omega total of each scale: one factor on the scale\'s items (reverse-keyed), listwise\nf =~ <items of the scale>\n' });
    options = {
      kind,
      pipelineVersion: record.pipelineVersion,
      wave: publication.wave,
      sample: 'valid respondents of the units published as units in the analysed wave (data/responses.csv, that wave)',
      minGroupSize: publication.minGroupSize,
      reverseKeying: 'scaleMin + scaleMax - answer',
      reliability: { alpha: { missing: 'pairwise', matches: 'psych::alpha(use = "pairwise")' }, omegaTotal: { missing: 'listwise', model: 'models/omega_one_factor.lav', estimator: 'ML', matches: 'lavaan::cfa + semTools::compRelSEM' } },
      parallel: { missing: 'pairwise', iterations: 20, seed: wave.id, quantile: 0.95, matches: 'psych::fa.parallel (observed eigenvalues)' },
      efa: { nfactors: 9, method: 'minres', rotate: 'oblimin', missing: 'pairwise', matches: 'psych::fa' },
      cfa: { models: DIMENSIONS.map((d) => `models/cfa_${DIMENSION_LABELS[d]}.lav`), estimator: 'ML', missing: 'ml', matches: 'lavaan::sem(missing = "ml")' },
      invariance: { models: DIMENSIONS.map((d) => `models/cfa_${DIMENSION_LABELS[d]}.lav`), group: 'context (data/units.csv)', levels: ['configural', 'metric', 'scalar', 'strict'], missing: 'ml', matches: 'lavaan::cfa(group.equal = ...), lavaan::lavTestLRT' },
    };
  }

  const commitments = await commitmentsOf(s, [wave.id]);
  const versions = versionsOf(record, kind, instrument.definition.version, R_PACKAGES);

  files.push(
    { path: 'README.txt', content: readme(record, kind, wave.name, checks.checks.length, checks.notChecked.length) },
    { path: 'results.json', content: json(record.results) },
    { path: 'data/responses.csv', content: respondentCsv(data) },
    { path: 'data/units.csv', content: unitsCsv },
    ...(kind === 'wave' ? [{ path: 'data/aggregates.json', content: json({ aggregates }) }] : []),
    { path: 'item_map.json', content: json(itemMap) },
    ...models,
    { path: 'options.json', content: json(options) },
    { path: 'checks.json', content: json(checks) },
    { path: 'commitments.json', content: json(commitments) },
    { path: 'versions.json', content: json(versions) },
    { path: 'recompute.R', content: RECOMPUTE_R },
  );
  return archive(record, files);
}

/** The pre-registration commitments of the waves a run analysed, and whether the server's chain verifies. */
async function commitmentsOf(s: Services, waveIds: readonly number[]) {
  const chain = await chainUpTo(s.db);
  const entries = chain.filter((e) => waveIds.includes(e.waveId));
  const check = checkStoredChain(s, chain);
  return {
    publicKey: serverPublicKey(s),
    chainVerifies: check.valid,
    ...(check.valid ? {} : { problem: check.reason }),
    commitments: entries,
    note:
      entries.length === 0
        ? `No commitment names ${waveIds.length === 1 ? 'this wave' : 'these waves'}: its analysis was not pre-registered.`
        : 'Each entry can be checked offline with `seici verify` on its receipt (GET /api/v1/commitments/:seq/receipt).',
  };
}

function versionsOf(record: AnalysisRecord, kind: BundledKind, instrument: string, packages: Record<string, string>) {
  return {
    seici: seiciVersion(),
    pipeline: record.pipelineVersion,
    instrument,
    analysis: { id: record.id, kind, waveId: record.waveId, parentId: record.parentId, finishedAt: record.finishedAt },
    r: { packages, note: 'the versions seici is checked against; others usually agree' },
  };
}

/** The archive: the files under one folder named after the run, with their SHA-256 manifest. */
function archive(record: AnalysisRecord, files: ArchiveFile[]): AnalysisBundle {
  const manifest = Object.fromEntries(files.map((f) => [f.path, sha256(f.content)]));
  const all = [...files, { path: 'MANIFEST.sha256', content: files.map((f) => `${manifest[f.path]}  ${f.path}`).join('\n') + '\n' }];
  const folder = `seici-analysis-${record.id}`;
  const mtime = Date.parse(record.finishedAt ?? record.createdAt);
  const tar = tarGz(all.map((f) => ({ path: `${folder}/${f.path}`, content: f.content })), Number.isFinite(mtime) ? mtime : 0);
  return { filename: `${folder}.tar.gz`, archive: tar, manifest };
}
