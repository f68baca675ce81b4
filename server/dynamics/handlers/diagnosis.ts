import type { z } from 'zod';
import { diagnoseUnits, type BreakpointRuleSet, type DiagnosisPublicationInput, type DriftAnalysis, type PublishedUnit, type UnitWaveScore, type WavePublication } from '../../../analysis/index.js';
import { HttpError, notFound } from '../../errors.js';
import { getUnit } from '../../handlers/units.js';
import { requireWave } from '../../handlers/waves.js';
import { latestDoneAnalysis } from '../../queries/analyses.js';
import { listWaves, waveUnitKeys, type WaveRecord } from '../../queries/waves.js';
import { findUnitsByKeys } from '../../queries/units.js';
import { unitEvents } from '../queries/traces.js';
import type { Services } from '../../services.js';
import { unitPerformance } from '../queries/performance.js';
import type { DiagnosisQuery } from '../schemas.js';
import { chooseRules, evaluateUnit } from './breakpoints.js';

/** A wave's stored publication, or undefined without one. */
async function waveResults(s: Services, wave: WaveRecord): Promise<{ id: number; results: WavePublication } | undefined> {
  const analysis = await latestDoneAnalysis(s.db, wave.id);
  if (!analysis || !analysis.results) return undefined;
  return { id: analysis.id, results: analysis.results as WavePublication };
}

/** The published units of a publication that carry z and M (not roll-ups), as diagnoseUnits reads them. */
function unitScores(results: WavePublication): UnitWaveScore[] {
  return results.units.flatMap((u) =>
    !u.suppressed && u.z !== null && u.misalignment !== null
      ? [{ unit: u.unitKey, wave: results.wave, n: u.n, cells: u.cells, z: u.z, misalignment: u.misalignment, dominant: u.dominant }]
      : [],
  );
}

/** The stored drift of a publication, with the drift flag read against `capacity` (a comparison, not a statistic). */
function storedDrift(results: WavePublication, capacity: number): DriftAnalysis | undefined {
  if (!results.drift) return undefined;
  return { ...results.drift, capacity, units: results.drift.units.map((u) => ({ ...u, drifting: u.change > capacity })) };
}

/** Waves in the order they opened (ties by id). */
function byOpening(waves: readonly WaveRecord[]): WaveRecord[] {
  return [...waves].sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.id - b.id));
}

/**
 * A unit's diagnosis in one wave (analysis `diagnoseUnits`): its cells against the
 * organisation (the wave's visible units in its latest finished analysis), its drift in M
 * over the waves analysed against the same baseline, the breakpoints of its stored events
 * under the rules the wave locked when it opened, and its PQ outcomes (listed, never used to
 * rank), with the exemplar interventions ranked by their evidence.
 *
 * Privacy: a unit below the wave's minimum group size answers `suppressed: true` with its
 * size only, as in the wave report; other units' scores enter only through the organisation
 * mean and SD, and units below the minimum never enter.
 */
export async function unitDiagnosis(s: Services, unitKey: string, query: z.output<typeof DiagnosisQuery>, options: { readonly rulesInForceWhenUnlocked?: boolean } = {}) {
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
  const current = await waveResults(s, wave);
  if (!current) throw notFound(`Wave ${wave.id} has no finished analysis yet; start one with POST /api/v1/waves/${wave.id}/analyses.`);
  const head = { unitKey: unit.key, wave: { id: wave.id, name: wave.name }, minGroupSize: current.results.minGroupSize, analysisId: current.id };
  const own = current.results.units.find((u) => u.unitKey === unit.key);
  if (!own) throw notFound(`Unit "${unit.key}" has no answers in the analysis of wave ${wave.id}.`);
  if (own.suppressed) return { ...head, suppressed: true, n: null };
  if ((own as PublishedUnit).z === null) {
    throw new HttpError(409, `Unit "${unit.key}" is published as a roll-up of its descendants in wave ${wave.id}; the diagnosis is given for each unit it covers.`);
  }
  const scores = unitScores(current.results);
  // Drift: the stored history of the publication, which uses only unit-waves publishable under the larger minimum group size.
  const warnings: string[] = [];
  const drift = storedDrift(current.results, query.capacity ?? current.results.driftCapacity);
  const labels = drift ? [...drift.waves] : [String(wave.id)];

  let choice;
  try {
    choice = await chooseRules(s, unit, { wave: wave.id });
  } catch (err) {
    // A wave that never opened through the scheduler locked no rules: the unit report asks for the rules in force now instead.
    if (!options.rulesInForceWhenUnlocked || !(err instanceof HttpError) || err.status !== 409) throw err;
    choice = await chooseRules(s, unit, {});
    warnings.push(`${err.message} Breakpoints use the rules in force now instead.`);
  }
  const breakpoints = await evaluateUnit(s, unit, choice, query.period, query.sprintAnchor);
  const performance = (await unitPerformance(s.db, unit.id)).map((p) => ({ unit: unit.key, period: p.period, measure: p.measure, value: p.value }));
  warnings.push(...breakpoints.diagnostics.warnings);
  const result = diagnoseUnits({
    scores,
    wave: String(wave.id),
    drift,
    breakpoints: breakpoints.breakpoints,
    changePoints: breakpoints.changePoints,
    performance,
    rules: choice.rules,
  });
  const { unit: _unit, wave: _wave, ...diagnosis } = result.units.find((u) => u.unit === unit.key)!;
  const { rules: _rules, ...rules } = choice;
  return {
    ...head,
    suppressed: false,
    n: own.n,
    rules,
    waves: waves.filter((w) => labels.includes(String(w.id))).map((w) => ({ id: w.id, name: w.name })),
    ...diagnosis,
    options: result.options,
    warnings: [...warnings, ...result.diagnostics.warnings],
  };
}

/** Where a stored diagnosis's rules came from (the rule choice without the rules themselves), and any fallback. */
export type DiagnosisSource = Omit<Awaited<ReturnType<typeof chooseRules>>, 'rules'> & {
  readonly warnings: readonly string[];
  /** The rules the run evaluated, so a report can check them against the commitment registry when it is read. */
  readonly used?: BreakpointRuleSet;
};

/**
 * What a wave run needs to store its units' diagnoses (analysis publishDiagnosis): the rules the
 * wave locked when it opened (those in force now, said in a warning, when it locked none), and
 * the coordination events and performance values of every unit the wave surveys. The worker
 * reads only the published units' traces; the report reads the stored result.
 */
export async function waveDiagnosisInput(s: Services, wave: WaveRecord): Promise<DiagnosisPublicationInput & { readonly source: DiagnosisSource }> {
  const units = await findUnitsByKeys(s.db, await waveUnitKeys(s.db, wave.id));
  const warnings: string[] = [];
  let choice;
  try {
    choice = await chooseRules(s, units[0]!, { wave: wave.id });
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409 || units.length === 0) throw err;
    choice = await chooseRules(s, units[0], {});
    warnings.push(`${err.message} Breakpoints use the rules in force when the analysis ran instead.`);
  }
  const events: Record<string, Awaited<ReturnType<typeof unitEvents>>> = {};
  const performance: Record<string, { unit: string; period: string; measure: string; value: number }[]> = {};
  for (const unit of units) {
    events[unit.key] = await unitEvents(s.db, unit.id, unit.key);
    performance[unit.key] = (await unitPerformance(s.db, unit.id)).map((p) => ({ unit: unit.key, period: p.period, measure: p.measure, value: p.value }));
  }
  const { rules, ...source } = choice;
  return { rules, events, performance, source: { ...source, warnings, used: rules } };
}
