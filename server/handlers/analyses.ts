import { HttpError, notFound } from '../errors.js';
import { findAnalysis, latestDoneAnalysis, listAnalyses, type AnalysisRecord } from '../queries/analyses.js';
import type { ReportedUnit, WaveAnalysisResults } from '../jobs/wave_analysis.js';
import type { Services } from '../services.js';
import { audit } from './audit.js';
import { effectiveStatus, requireWave } from './waves.js';

/**
 * Enforces the minimum group size on stored results once more as they leave the server: a unit
 * with fewer respondents than `minGroupSize` keeps only its key, its size and `suppressed`.
 */
export function suppressSmallUnits(results: WaveAnalysisResults, minGroupSize: number): WaveAnalysisResults {
  const units = results.units.map((u): ReportedUnit => (u.n < minGroupSize ? { unitKey: u.unitKey, n: u.n, suppressed: true } : u));
  return { ...results, units };
}

function view(a: AnalysisRecord, minGroupSize: number) {
  return {
    id: a.id,
    waveId: a.waveId,
    status: a.status,
    createdAt: a.createdAt,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    ...(a.error ? { error: a.error } : {}),
    ...(a.status === 'done' && a.results ? { results: suppressSmallUnits(a.results as WaveAnalysisResults, minGroupSize) } : {}),
  };
}

export async function requestAnalysis(s: Services, actor: string, waveId: number) {
  const wave = await requireWave(s, waveId);
  const analysis = await s.analyses.request(waveId, actor);
  await audit(s, actor, 'analysis.request', `wave:${waveId}`, { analysisId: analysis.id });
  return view(analysis, wave.minGroupSize);
}

export async function getAnalysis(s: Services, id: number) {
  const analysis = await findAnalysis(s.db, id);
  if (!analysis) throw notFound(`No analysis has the id ${id}.`);
  const wave = await requireWave(s, analysis.waveId);
  return view(analysis, wave.minGroupSize);
}

export async function waveAnalyses(s: Services, waveId: number) {
  const wave = await requireWave(s, waveId);
  return { analyses: (await listAnalyses(s.db, waveId)).map((a) => view(a, wave.minGroupSize)) };
}

/** The report of shared/CONTRACT.md, served from the wave's latest finished analysis. */
export async function waveReport(s: Services, waveId: number) {
  const wave = await requireWave(s, waveId);
  const analysis = await latestDoneAnalysis(s.db, waveId);
  if (!analysis) throw new HttpError(404, `Wave ${waveId} has no finished analysis yet; start one with POST /api/v1/waves/${waveId}/analyses.`);
  const results = suppressSmallUnits(analysis.results as WaveAnalysisResults, wave.minGroupSize);
  return {
    wave: { id: wave.id, name: wave.name, status: effectiveStatus(wave, s.clock()) },
    analysisId: analysis.id,
    analysedAt: analysis.finishedAt,
    minGroupSize: wave.minGroupSize,
    n: results.n,
    baselineWave: results.baselineWave,
    units: results.units,
    reliability: results.reliability,
    agreement: results.agreement,
    warnings: results.warnings,
  };
}
