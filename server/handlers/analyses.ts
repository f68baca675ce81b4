import type { WavePublication } from '../../analysis/index.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { findAnalysis, latestDoneAnalysis, listAnalyses, type AnalysisRecord } from '../queries/analyses.js';
import type { Services } from '../services.js';
import { audit } from './audit.js';
import { runOptions, storedRunOptions, type RequestedRunOptions } from '../dynamics/run_options.js';
import { effectiveStatus, requireWave } from './waves.js';

/**
 * A stored run as the API shows it. The results are the publication itself (every privacy
 * rule was applied when it was computed, in analysis/publication); a run stored before runs
 * were publications (no pipeline version) shows no results.
 */
function view(a: AnalysisRecord) {
  return {
    id: a.id,
    waveId: a.waveId,
    kind: a.kind,
    status: a.status,
    createdAt: a.createdAt,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    ...(a.error ? { error: a.error } : {}),
    ...(a.kind === 'wave' ? { options: storedRunOptions(a.options) } : {}),
    ...(a.status === 'done' && a.results && a.pipelineVersion !== null ? { results: a.results } : {}),
  };
}

/**
 * Queues the publication of a closed wave under the run options asked for (the defaults for any
 * left out; server/dynamics/run_options.ts), stored with the run; an open wave publishes nothing
 * (results exist only after close).
 */
export async function requestAnalysis(s: Services, actor: string, waveId: number, requested: RequestedRunOptions = {}) {
  const wave = await requireWave(s, waveId);
  if (effectiveStatus(wave, s.clock()) !== 'closed') {
    throw conflict(`Wave ${waveId} is still open; its results are published once, after it closes (close it first).`);
  }
  const options = runOptions(requested);
  const analysis = await s.analyses.request(waveId, actor, 'wave', null, options);
  await audit(s, actor, 'analysis.request', `wave:${waveId}`, { analysisId: analysis.id, options });
  return view(analysis);
}

export async function getAnalysis(s: Services, id: number) {
  const analysis = await findAnalysis(s.db, id);
  if (!analysis) throw notFound(`No analysis has the id ${id}.`);
  return view(analysis);
}

export async function waveAnalyses(s: Services, waveId: number) {
  await requireWave(s, waveId);
  return { analyses: (await listAnalyses(s.db, waveId)).map(view) };
}

/** The report of shared/CONTRACT.md: a view of the wave's latest stored publication. */
export async function waveReport(s: Services, waveId: number) {
  const wave = await requireWave(s, waveId);
  const analysis = await latestDoneAnalysis(s.db, waveId);
  if (!analysis) throw new HttpError(404, `Wave ${waveId} has no finished analysis yet; it is published when it closes (or with POST /api/v1/waves/${waveId}/analyses after closing).`);
  const results = analysis.results as WavePublication;
  return {
    wave: { id: wave.id, name: wave.name, status: effectiveStatus(wave, s.clock()) },
    analysisId: analysis.id,
    analysedAt: analysis.finishedAt,
    minGroupSize: results.minGroupSize,
    n: results.n,
    baselineWave: results.baselineWave,
    units: results.units,
    organisation: results.organisation,
    reliability: results.reliability,
    agreement: results.agreement,
    warnings: results.warnings,
    // The invariance gates (unit rankings across contexts; means across languages; changes since the wave before), and the comparison with an earlier wave on another version.
    ...('comparison' in results ? { comparison: (results as { comparison: unknown }).comparison } : {}),
    ...('languageComparison' in results ? { languageComparison: (results as { languageComparison: unknown }).languageComparison } : {}),
    ...('waveComparison' in results ? { waveComparison: (results as { waveComparison: unknown }).waveComparison } : {}),
    ...('crossVersion' in results ? { crossVersion: (results as { crossVersion: unknown }).crossVersion } : {}),
  };
}
