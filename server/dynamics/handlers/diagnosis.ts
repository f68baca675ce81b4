import type { z } from 'zod';
import { InputError, diagnoseUnits, unitDrift, type UnitWaveScore } from '../../../analysis/index.js';
import { HttpError, notFound } from '../../errors.js';
import { suppressSmallUnits } from '../../handlers/analyses.js';
import { getUnit } from '../../handlers/units.js';
import { requireWave } from '../../handlers/waves.js';
import type { ReportedUnit, WaveAnalysisResults } from '../../jobs/wave_analysis.js';
import { latestDoneAnalysis } from '../../queries/analyses.js';
import { listWaves, waveUnitKeys, type WaveRecord } from '../../queries/waves.js';
import type { Services } from '../../services.js';
import { unitPerformance } from '../queries/performance.js';
import type { DiagnosisQuery } from '../schemas.js';
import { chooseRules, evaluateUnit } from './breakpoints.js';

type VisibleUnit = Extract<ReportedUnit, { suppressed: false }>;

/** A wave's stored results with the minimum group size enforced once more, or undefined without a finished analysis. */
async function waveResults(s: Services, wave: WaveRecord): Promise<{ id: number; results: WaveAnalysisResults } | undefined> {
  const analysis = await latestDoneAnalysis(s.db, wave.id);
  if (!analysis || !analysis.results) return undefined;
  return { id: analysis.id, results: suppressSmallUnits(analysis.results as WaveAnalysisResults, wave.minGroupSize) };
}

function score(u: VisibleUnit, wave: WaveRecord): UnitWaveScore {
  return { unit: u.unitKey, wave: String(wave.id), n: u.n, cells: u.cells, z: u.z, misalignment: u.misalignment, dominant: u.dominant };
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
  const current = await waveResults(s, wave);
  if (!current) throw notFound(`Wave ${wave.id} has no finished analysis yet; start one with POST /api/v1/waves/${wave.id}/analyses.`);
  const head = { unitKey: unit.key, wave: { id: wave.id, name: wave.name }, minGroupSize: wave.minGroupSize, analysisId: current.id };
  const own = current.results.units.find((u) => u.unitKey === unit.key);
  if (!own) throw notFound(`Unit "${unit.key}" has no answers in the analysis of wave ${wave.id}.`);
  if (own.suppressed) return { ...head, suppressed: true, n: own.n };

  const visible = (r: WaveAnalysisResults) => r.units.filter((u): u is VisibleUnit => !u.suppressed);
  const scores = visible(current.results).map((u) => score(u, wave));

  // Drift: this unit's M in every wave up to this one whose analysis shares its baseline (z, and so M, are only comparable then).
  const history: UnitWaveScore[] = [];
  const labels: string[] = [];
  const warnings: string[] = [];
  for (const w of waves) {
    if (w.id === wave.id) break;
    if (w.opensAt > wave.opensAt) continue;
    const earlier = await waveResults(s, w);
    if (!earlier) continue;
    if (earlier.results.baselineWave !== current.results.baselineWave) {
      warnings.push(`Wave ${w.id} was analysed against another baseline, so it is left out of the drift.`);
      continue;
    }
    labels.push(String(w.id));
    const u = visible(earlier.results).find((x) => x.unitKey === unit.key);
    if (u) history.push(score(u, w));
  }
  labels.push(String(wave.id));
  history.push(score(own, wave));
  const baseline = current.results.baselineWave !== null && labels.includes(current.results.baselineWave) ? current.results.baselineWave : labels[0];

  const choice = await chooseRules(s, unit, { wave: wave.id });
  const breakpoints = await evaluateUnit(s, unit, choice, query.period, query.sprintAnchor);
  const performance = (await unitPerformance(s.db, unit.id)).map((p) => ({ unit: unit.key, period: p.period, measure: p.measure, value: p.value }));
  let result;
  try {
    const drift = unitDrift(history, { capacity: query.capacity, waves: labels, baselineWave: baseline });
    warnings.push(...drift.diagnostics.warnings, ...breakpoints.diagnostics.warnings);
    result = diagnoseUnits({
      scores,
      wave: String(wave.id),
      drift,
      breakpoints: breakpoints.breakpoints,
      changePoints: breakpoints.changePoints,
      performance,
      rules: choice.rules,
    });
  } catch (err) {
    if (err instanceof InputError) throw new HttpError(400, err.message);
    throw err;
  }
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
