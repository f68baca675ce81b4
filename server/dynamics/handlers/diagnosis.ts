import type { z } from 'zod';
import type { DiagnosisPublication, PublishedUnit, WavePublication } from '../../../analysis/index.js';
import { HttpError, conflict, notFound } from '../../errors.js';
import { getUnit } from '../../handlers/units.js';
import { requireWave } from '../../handlers/waves.js';
import { checkRuleCommitment } from '../../prereg/rule_commitment.js';
import { findAnalysis, latestDoneAnalysis, listAnalyses, type AnalysisRecord } from '../../queries/analyses.js';
import { listWaves, waveUnitKeys, type WaveRecord } from '../../queries/waves.js';
import type { Services } from '../../services.js';
import type { DiagnosisSource } from '../diagnosis_input.js';
import { listTraceImports } from '../queries/traces.js';
import { answersQuery, describeRunOptions, namesNoOption, requestBody, storedRunOptions, type RequestedRunOptions, type WaveRunOptions } from '../run_options.js';
import type { DiagnosisQuery } from '../schemas.js';

export type { DiagnosisSource } from '../diagnosis_input.js';

/** A wave run's publication with the diagnosis it stored (analysis publishDiagnosis), as the run holds it. */
type StoredRun = WavePublication & { readonly diagnosis?: (DiagnosisPublication & { readonly rules: DiagnosisSource }) | null };

/** Waves in the order they opened (ties by id). */
function byOpening(waves: readonly WaveRecord[]): WaveRecord[] {
  return [...waves].sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.id - b.id));
}

/**
 * The finished run of a wave whose options answer `query`: the latest one (the run every
 * report reads) when it does, else the newest earlier finished run that does; undefined when none.
 */
async function runFor(s: Services, latest: AnalysisRecord, query: RequestedRunOptions): Promise<AnalysisRecord | undefined> {
  if (answersQuery(storedRunOptions(latest.options), query)) return latest;
  const runs = (await listAnalyses(s.db, latest.waveId, 'wave')).filter((a) => a.status === 'done' && a.pipelineVersion !== null && a.id !== latest.id);
  const match = runs.reverse().find((a) => answersQuery(storedRunOptions(a.options), query));
  return match ? findAnalysis(s.db, match.id) : undefined;
}

/** Whether trace events of a unit were imported after a run finished (its diagnosis is then as of the run). */
async function tracesSince(s: Services, unitId: number, finishedAt: string | null): Promise<boolean> {
  if (finishedAt === null) return false;
  return (await listTraceImports(s.db, unitId)).some((i) => i.importedAt > finishedAt);
}

/**
 * A unit's diagnosis in one wave, read from the wave's stored run: its cells against the
 * organisation of the wave's published units, its drift in M, the breakpoints of its traces
 * under the rules the wave locked when it opened, its PQ outcomes (listed, never used to rank)
 * and the exemplar interventions ranked by their evidence, all as the run computed and stored
 * them (analysis publishDiagnosis in the analysis worker). Nothing is computed here: the
 * breakpoint-rules commitment is checked as the answer is read (a commitment or a broken chain
 * found since the run counts), and traces imported after the run are said (`rerun`).
 *
 * Options: a run is computed under a period (and sprint anchor) and a coherence capacity
 * (server/dynamics/run_options.ts). A query naming none, or only the latest run's, is answered
 * from the latest run; other options from the newest finished run computed under them, and
 * without one a 409 names the latest run's options and the call that starts a run with the
 * options asked for.
 *
 * Privacy: a unit suppressed in the latest run answers `suppressed: true` and `n: null`, nothing
 * more (whatever the options asked for); other units enter only through the organisation mean
 * and SD the run published.
 */
export async function unitDiagnosis(s: Services, unitKey: string, query: z.output<typeof DiagnosisQuery>) {
  const unit = await getUnit(s, unitKey);
  const waves = byOpening(await listWaves(s.db));
  const surveys = async (w: WaveRecord) => (await waveUnitKeys(s.db, w.id)).includes(unit.key);

  let wave: WaveRecord | undefined;
  if (query.wave !== undefined) {
    wave = await requireWave(s, query.wave);
    if (!(await surveys(wave))) throw new HttpError(400, `Wave ${wave.id} does not survey unit "${unit.key}".`);
  } else {
    for (const w of [...waves].reverse()) {
      if ((await surveys(w)) && (await latestDoneAnalysis(s.db, w.id))) {
        wave = w;
        break;
      }
    }
    if (!wave) throw notFound(`No wave surveying unit "${unit.key}" has a finished analysis yet.`);
  }
  const latest = await latestDoneAnalysis(s.db, wave.id);
  if (!latest?.results) throw notFound(`Wave ${wave.id} has no finished analysis yet; start one with POST /api/v1/waves/${wave.id}/analyses.`);
  const latestResults = latest.results as StoredRun;
  const latestOwn = latestResults.units.find((u) => u.unitKey === unit.key);
  if (!latestOwn) throw notFound(`Unit "${unit.key}" has no answers in the analysis of wave ${wave.id}.`);
  const head = (run: AnalysisRecord) => ({ unitKey: unit.key, wave: { id: wave.id, name: wave.name }, minGroupSize: (run.results as StoredRun).minGroupSize, analysisId: run.id });
  if (latestOwn.suppressed) return { ...head(latest), suppressed: true as const, n: null };

  const requested: RequestedRunOptions = { period: query.period, sprintAnchor: query.sprintAnchor, capacity: query.capacity };
  const run = await runFor(s, latest, requested);
  if (!run?.results) {
    const has = storedRunOptions(latest.options);
    throw conflict(
      `The analysis of wave ${wave.id} (run ${latest.id}) used ${describeRunOptions(has)} and no finished run of it used ${describeRunOptions(requested)}; start one with POST /api/v1/waves/${wave.id}/analyses and the body ${requestBody(requested)}, then ask again once it is done.`,
    );
  }
  const results = run.results as StoredRun;
  const own = results.units.find((u) => u.unitKey === unit.key);
  if (!own || own.suppressed) return { ...head(run), suppressed: true as const, n: null };
  if ((own as PublishedUnit).z === null) {
    throw conflict(`Unit "${unit.key}" is published as a roll-up of its descendants in wave ${wave.id}; the diagnosis is given for each unit it covers.`);
  }
  const stored = results.diagnosis ?? null;
  const options: WaveRunOptions = storedRunOptions(run.options);
  if (!stored) {
    throw conflict(`The analysis of wave ${wave.id} (run ${run.id}) was stored without a diagnosis; start a new one with POST /api/v1/waves/${wave.id}/analyses and the body ${requestBody(namesNoOption(requested) ? {} : options)}.`);
  }
  const diagnosis = stored.units[unit.key];
  if (!diagnosis) throw conflict(`Unit "${unit.key}" has no diagnosis in the analysis of wave ${wave.id} (run ${run.id}): ${stored.skipped ?? 'it was not published with z and misalignment.'}`);

  const { used, warnings: ruleWarnings, ...source } = stored.rules;
  const registry = used ? await checkRuleCommitment(s, wave.id, used) : null;
  const labels = results.drift ? [...results.drift.waves] : [String(wave.id)];
  const rerun = await tracesSince(s, unit.id, run.finishedAt);
  const warnings = [...ruleWarnings, ...stored.warnings];
  if (diagnosis.cells === undefined) warnings.push('This analysis was stored before runs kept every cell\'s comparison with the diagnosis; re-run the wave\'s analysis to add it.');
  if (rerun) warnings.push(`Trace events of "${unit.key}" were imported after this analysis ran; the diagnosis is as of the run (${run.finishedAt!.slice(0, 10)}). Re-run the wave's analysis to include them.`);
  return {
    ...head(run),
    analysedAt: run.finishedAt,
    suppressed: false as const,
    n: own.n,
    options,
    rules: { ...source, ...(registry ?? {}) },
    waves: waves.filter((w) => labels.includes(String(w.id))).map((w) => ({ id: w.id, name: w.name })),
    cells: diagnosis.cells ?? [],
    weakestCells: diagnosis.weakestCells,
    drift: results.drift?.units.find((d) => d.unit === unit.key) ?? null,
    breakpoints: diagnosis.breakpoints,
    changePoints: diagnosis.changePoints,
    implicatedCells: diagnosis.implicatedCells ?? [],
    interventions: diagnosis.interventions,
    uncoveredCells: diagnosis.uncoveredCells,
    performance: diagnosis.performance,
    events: diagnosis.events,
    ranking: stored.ranking ?? null,
    rerun,
    warnings,
  };
}
