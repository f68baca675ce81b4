import type { PublishedUnit, WavePublication } from '../../../analysis/index.js';
import type { Db } from '../../db.js';
import { latestDoneAnalysis } from '../../queries/analyses.js';
import { findWave, listWaves, type WaveRecord } from '../../queries/waves.js';

/** A published unit or roll-up of an analysed wave, with its scores. */
export type VisibleUnit = PublishedUnit;

/** A wave with its latest stored publication. */
export interface AnalysedWave {
  readonly wave: WaveRecord;
  readonly analysisId: number;
  readonly analysedAt: string | null;
  readonly results: WavePublication;
  /** The published units and roll-ups; the only ones any report shows. */
  readonly visible: readonly VisibleUnit[];
}

/** The latest stored publication of a wave; undefined when the wave has none. */
export async function analysedWave(db: Db, waveOrId: number | WaveRecord): Promise<AnalysedWave | undefined> {
  const wave = typeof waveOrId === 'number' ? await findWave(db, waveOrId) : waveOrId;
  if (!wave) return undefined;
  const analysis = await latestDoneAnalysis(db, wave.id);
  if (!analysis || !analysis.results) return undefined;
  const results = analysis.results as WavePublication;
  const visible = results.units.filter((u): u is VisibleUnit => !u.suppressed);
  return { wave, analysisId: analysis.id, analysedAt: analysis.finishedAt, results, visible };
}

/**
 * The analysed waves on the same instrument version as `wave`, up to and including it, oldest
 * first (the list of waves a report links to; drift and trends come from the wave's own run).
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
