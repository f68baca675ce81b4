import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PANEL_OUTCOME, PANEL_REGRESSOR, publishResearch, researchRunPanel, termFactors, type ResearchPublication } from '../../analysis/index.js';
import { conflict } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import type { AnalysisRecord } from '../queries/analyses.js';
import { researchPublicationInput } from '../research/research_input.js';
import { runOptions } from '../research/queries.js';
import type { Services } from '../services.js';
import { bundleChecks, SUPPORT_RULES, type BundleChecks } from './checks.js';
import type { ArchiveFile } from './tar_archive.js';

/** seici's generator in R (xoshiro128**), so that the script replays the bootstrap resamples draw for draw. */
const SEICI_PRNG_R: string = readFileSync(join(PROJECT_ROOT, 'server', 'bundles', 'seici-prng.R'), 'utf8');

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** R's spelling of a seici term: `M^2` is `I(M^2)` in a formula; products and columns are the same. */
function rTerm(term: string): string {
  return /\^2$/.test(term) ? `I(${term})` : term;
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula character is prefixed with `'`. */
function field(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Where two results differ beyond relative 1e-9 (numbers) or at all (anything else): the first
 * JSON pointer, or null when they agree. Compares the stored run with its recomputation from the
 * bundled data, so that a bundle never ships data the run did not use.
 */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) ? null : path;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? null : path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
    if (d !== null) return d;
  }
  return null;
}

/**
 * A research run's unit-wave panel as CSV (one row per unit published as a unit in a wave, empty =
 * unknown), with the panel designs' eventWave column (the wave position 1-3 a unit's interface
 * change first reaches) when the run has them: what its bundle ships and the research panel export.
 */
export function researchPanelCsv(results: ResearchPublication, panel: { readonly columns: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] }): string {
  const eventWaves = results.panel?.eventWaves ?? {};
  const csv = [[...panel.columns, ...(results.panel ? ['eventWave'] : [])].map(field).join(',')];
  for (const row of panel.rows) {
    const cells = row.map((v) => (typeof v === 'string' ? field(v) : Number.isFinite(v) ? String(v) : ''));
    if (results.panel) cells.push(eventWaves[row[0] as string] === undefined ? '' : String(eventWaves[row[0] as string]));
    csv.push(cells.join(','));
  }
  return csv.join('\n') + '\n';
}

export interface ResearchBundleParts {
  readonly files: readonly ArchiveFile[];
  readonly checks: BundleChecks;
  /** The waves of the design (their commitments go in commitments.json). */
  readonly waveIds: readonly number[];
}

function readme(record: AnalysisRecord, results: ResearchPublication, checks: BundleChecks): string {
  const waves = results.waves.map((w) => `${w.role} ${w.name} (wave ${w.label})`).join(', ');
  return `seici reproducibility bundle: analysis ${record.id}, a research run of the SEI model's hypotheses H1-H7
Waves: ${waves}. Finished: ${record.finishedAt}.

Run the check (R with sandwich, lmtest and jsonlite; plm and lavaan for the panel designs):
    Rscript recompute.R            (from this folder; or Rscript recompute.R /path/to/folder)
It checks MANIFEST.sha256, rebuilds the three-wave design from data/panel.csv, refits every model
of models/hypotheses.json with lm (classical SEs by lmtest::coeftest, HC3 by sandwich::vcovHC),
recomputes ${checks.checks.length} numbers of results.json and prints, for each, seici's value, R's value
and whether they agree within the tolerance (closed forms 1e-6: |seici - R| <= tol * max(1, |R|)).
The bootstrap intervals of H1 and H2 are recomputed on the same resamples: seici-prng.R is seici's
own generator (xoshiro128**) in R, so R draws the units seici drew and its percentile limits
(type 7) equal seici's. Then it decides every hypothesis's verdict again from R's numbers by the
rule of the contract (${checks.verdicts?.length ?? 0} verdicts) and says whether it equals seici's.
${results.panel ? `The panel designs of models/panel.json are refitted too: unit fixed effects, difference-in-differences
and the event study with plm (vcovHC(method = "arellano", type = "sss"), 1e-6), the cross-lagged
panel model with lavaan (1e-3), the event waves from options.json's interface changes.
` : ''} It exits 0 when every
number and verdict agrees and 1 when any disagrees, naming each.
${checks.notChecked.length} further numbers of results.json are not recomputed; checks.json says why, one by one.

Files
  results.json           seici's results exactly as stored (the run's publication)
  data/panel.csv         the unit-wave research panel the run tested (one row per unit published
                         as a unit in a wave; empty = unknown)
  models/hypotheses.json every model of every hypothesis as an R formula, its variables and the
                         variables mean-centred over the test's units before products are formed
  models/panel.json      the panel designs (FE, DiD, event study, CLPM syntax) and their rules
                         (data/panel.csv's eventWave column holds each unit's event wave)
  options.json           the design, the bootstrap and the rules of the run
  checks.json            the numbers recomputed with tolerances, the verdicts with their rules, and
                         the numbers not recomputed with reasons
  commitments.json       the pre-registration commitments of the three waves and whether they verify
  versions.json          seici, pipeline, instrument and R package versions
  recompute.R            the check
  seici-prng.R           seici's seeded generator, for the bootstrap replay
  MANIFEST.sha256        SHA-256 of every other file (sha256sum -c MANIFEST.sha256)

Privacy: the bundle holds unit-level values only, as the research report and the research panel
export do: the published scores of units published as units (a suppressed unit or roll-up is
absent), unit-wave means of the supplementary scales over at least the minimum group size of
respondents (smaller ones are empty), trace-derived rework and imported performance quality.
No answer of any respondent is included.
`;
}

/**
 * The parts of a research run's bundle: the unit-wave panel it tested, rebuilt from the stored
 * publications, answers, traces and PQ it pinned (and refused, 409, when rebuilding no longer
 * gives the stored results), its models as R formulas, its options, the numbers and verdicts
 * to check, and seici's generator in R for the bootstrap replay.
 */
export async function researchBundleParts(s: Services, record: AnalysisRecord): Promise<ResearchBundleParts> {
  const results = record.results as ResearchPublication;
  const stored = await runOptions(s.db, record.id);
  if (!stored) throw conflict(`Analysis ${record.id} was stored without its options, so its data cannot be rebuilt.`);
  let input;
  try {
    input = await researchPublicationInput(s.db, s.instruments, record);
  } catch (err) {
    throw conflict(`Analysis ${record.id} cannot be bundled: ${(err as Error).message}.`);
  }
  const { panel } = researchRunPanel(input);
  const again = publishResearch(input);
  const differs =
    firstDifference(JSON.parse(JSON.stringify(results.hypotheses)), JSON.parse(JSON.stringify(again.hypotheses)), '/hypotheses') ??
    (results.panel ? firstDifference(JSON.parse(JSON.stringify(results.panel)), JSON.parse(JSON.stringify(again.panel)), '/panel') : null);
  if (differs !== null) {
    throw conflict(`Analysis ${record.id} cannot be bundled: recomputed from the stored data it no longer gives its results (${differs} differs: PQ, traces or answers changed since the run, or this seici computes it differently).`);
  }
  const roles = Object.fromEntries(results.waves.map((w) => [w.role, w.label]));
  const csv = researchPanelCsv(results, panel);
  const hypotheses: Record<string, unknown> = {};
  for (const h of results.hypotheses) {
    if (!h.result) continue;
    const variables: string[] = [];
    const models: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(h.result.models)) {
      const [outcome, rhs] = m.formula.split(' ~ ');
      const terms = rhs.split(' + ');
      for (const v of [outcome, ...terms.flatMap(termFactors)]) if (!variables.includes(v)) variables.push(v);
      models[name] = { formula: `${outcome} ~ ${terms.map(rTerm).join(' + ')}`, terms: ['(Intercept)', ...terms], centre: Object.keys(m.centred) };
    }
    hypotheses[h.hypothesis] = { variables, models, supportedWhen: SUPPORT_RULES[h.hypothesis] };
  }
  const modelsSpec = {
    waves: roles,
    variables: {
      T1: ['SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'dynamism', 'visCoherence', 'visOutcome', 'leadershipDensity'],
      T2: ['drift', 'rework'],
      T3: ['PQ'],
    },
    note: "Each hypothesis uses the units with every one of its variables (T1 predictors, T2 dynamics, T3 PQ); variables in `centre` are mean-centred over those units before products are formed; `I(M^2)` is seici's term M^2. Every model is lm with an intercept.",
    hypotheses,
  };
  const options = {
    kind: 'research',
    pipelineVersion: record.pipelineVersion,
    waves: results.waves.map((w, k) => ({ ...w, publication: stored.publications[k] })),
    pqMeasure: results.options.pqMeasure,
    bootstrap: { replicates: results.options.bootstrap, seed: results.options.seed, level: results.options.level, over: 'units of the test, drawn with replacement by seici\'s generator (seici-prng.R): unit floor(u * n) for each of n draws, resample by resample', limits: 'quantile type 7 of the finite replicates', refit: 'each resample recentred at its own means and refitted (H2\'s conditional effects at the resample\'s SD of dynamism)' },
    minGroupSize: results.minGroupSize,
    design: 'one row per unit: T1 predictors, T2 drift and rework, T3 PQ (shared/CONTRACT.md "hypotheses")',
    standardErrors: { classical: 'summary(lm), lmtest::coeftest', hc3: 'sandwich::vcovHC(type = "HC3")', intervals: 'confint (t, model residual df)' },
    rules: SUPPORT_RULES,
    interfaceChanges: stored.interfaceChanges ?? [],
    panel: {
      scores: 'SC, RC, TC, levers, SxA, M, drift: the published units of each wave\'s pinned publication',
      supplementary: 'dynamism, visCoherence, visOutcome, leadershipDensity: unit-wave means over the valid respondents of those units, empty when fewer than the minimum group size answered',
      rework: 'mean weekly rework rate of the unit\'s coordination traces in the wave\'s window',
      PQ: `mean of the "${results.options.pqMeasure ?? ''}" records dated in the wave's window`,
    },
  };
  const panelSpec = results.panel
    ? {
        waves: results.waves.map((w) => w.label),
        note: 'Waves by position (1 = T1, 2 = T2, 3 = T3). A unit\'s event wave is the first wave whose first day (startsOn) is on or after its earliest interface change (options.json interfaceChanges, published units only); a change on or before T1\'s first day leaves the unit always treated, and out of did and event; one after T3 opened leaves it untreated. Every plm model uses the rows with its variables; standard errors are vcovHC(method = "arellano", type = "sss"), t and p by lmtest::coeftest, intervals est ± qt(0.975, df.residual) · se.',
        fe: { formula: `${PANEL_OUTCOME} ~ ${PANEL_REGRESSOR}`, model: 'within', effect: 'individual' },
        did: { formula: `${PANEL_OUTCOME} ~ D`, model: 'within', effect: 'twoways', D: 'treated and wave >= eventWave (the term treated:post)' },
        event: { formula: `${PANEL_OUTCOME} ~ rel_k for every k != -1`, model: 'within', effect: 'twoways', rel: 'wave - eventWave of treated units, one 0/1 dummy per value in ascending order' },
        clpm: { syntax: results.panel.clpm.syntax, data: 'one row per unit: TC_k and PQ_k at wave position k', fit: 'lavaan::sem(syntax, data), maximum likelihood, listwise' },
      }
    : null;
  const checks = bundleChecks('research', record.results);
  const files: ArchiveFile[] = [
    { path: 'README.txt', content: readme(record, results, checks) },
    { path: 'results.json', content: json(record.results) },
    { path: 'data/panel.csv', content: csv },
    { path: 'models/hypotheses.json', content: json(modelsSpec) },
    ...(panelSpec ? [{ path: 'models/panel.json', content: json(panelSpec) }] : []),
    { path: 'options.json', content: json(options) },
    { path: 'checks.json', content: json(checks) },
    { path: 'seici-prng.R', content: SEICI_PRNG_R },
  ];
  return { files, checks, waveIds: stored.waves };
}
