import type { ScaleAnalysis } from '../../../analysis/index.js';
import { latestChildAnalysis } from '../../queries/analyses.js';
import type { Services } from '../../services.js';
import type { AnalysedWave } from '../queries/analysed_waves.js';

export type ScaleJob =
  | { readonly state: 'running'; readonly startedAt: string }
  | { readonly state: 'done'; readonly startedAt: string; readonly finishedAt: string; readonly analysis: ScaleAnalysis }
  | { readonly state: 'failed'; readonly startedAt: string; readonly error: string };

/**
 * The scale-developer analyses of published waves, as stored runs of kind `scale-developer`
 * derived from the wave's run (analysis/publication scaleDeveloperAnalyses, computed once in a
 * worker by the AnalysisRunner, over the published units' respondents only). The first request
 * queues the run; every later one, in any process and after any restart, reads it from the
 * database.
 */
export class ScaleReports {
  constructor(private readonly s: Services) {}

  /** The stored run for the wave's current publication, queued when there is none yet. */
  async job(analysed: AnalysedWave): Promise<ScaleJob> {
    let run = await latestChildAnalysis(this.s.db, analysed.analysisId, 'scale-developer');
    if (!run) run = await this.s.analyses.request(analysed.wave.id, 'console', 'scale-developer', analysed.analysisId);
    const startedAt = run.startedAt ?? run.createdAt;
    if (run.status === 'done' && run.results) return { state: 'done', startedAt, finishedAt: run.finishedAt ?? startedAt, analysis: run.results as ScaleAnalysis };
    if (run.status === 'failed') return { state: 'failed', startedAt, error: run.error ?? 'unknown error' };
    return { state: 'running', startedAt };
  }

  /** Resolves once every run started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.s.analyses.idle();
  }
}
