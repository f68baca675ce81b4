import type { Db } from '../../db.js';
import { suppressSmallUnits } from '../../handlers/analyses.js';
import type { ReportedUnit, WaveAnalysisResults } from '../../jobs/wave_analysis.js';
import { latestDoneAnalysis } from '../../queries/analyses.js';
import { findWave, listWaves, type WaveRecord } from '../../queries/waves.js';

/** A unit that reached the minimum group size in an analysed wave, with its scores. */
export type VisibleUnit = Extract<ReportedUnit, { suppressed: false }>;

/** A wave with the results of its latest finished analysis, small units already suppressed. */
export interface AnalysedWave {
  readonly wave: WaveRecord;
  readonly analysisId: number;
  readonly analysedAt: string | null;
  readonly results: WaveAnalysisResults;
  /** Units at or over the minimum group size; the only ones any report shows. */
  readonly visible: readonly VisibleUnit[];
}

/**
 * The latest finished analysis of a wave, with every unit below the wave's minimum group size
 * reduced to its key (suppressSmallUnits, the same rule the API applies), and the visible units
 * apart. Undefined when the wave has no finished analysis.
 */
export async function analysedWave(db: Db, waveOrId: number | WaveRecord): Promise<AnalysedWave | undefined> {
  const wave = typeof waveOrId === 'number' ? await findWave(db, waveOrId) : waveOrId;
  if (!wave) return undefined;
  const analysis = await latestDoneAnalysis(db, wave.id);
  if (!analysis || !analysis.results) return undefined;
  const results = suppressSmallUnits(analysis.results as WaveAnalysisResults, wave.minGroupSize);
  const visible = results.units.filter((u): u is VisibleUnit => !u.suppressed && u.n >= wave.minGroupSize);
  return { wave, analysisId: analysis.id, analysedAt: analysis.finishedAt, results, visible };
}

/**
 * The analysed waves on the same instrument version as `wave`, up to and including it, oldest
 * first: the history behind a unit's misalignment trend and drift.
 */
export async function analysedHistory(db: Db, wave: WaveRecord): Promise<AnalysedWave[]> {
  const waves = (await listWaves(db)).filter((w) => w.id <= wave.id && w.instrumentVersion === wave.instrumentVersion);
  const history: AnalysedWave[] = [];
  for (const w of waves) {
    const analysed = await analysedWave(db, w);
    if (analysed) history.push(analysed);
  }
  return history;
}
