import { Worker } from 'node:worker_threads';
import { CELLS, type Cell } from '../../../instrument/index.js';
import { compiledModule } from '../../paths.js';
import { completeAnswerSets } from '../../queries/responses.js';
import type { Services } from '../../services.js';
import type { AnalysedWave } from '../queries/analysed_waves.js';
import type { ScaleAnalysis, ScaleAnalysisInput } from './scale_analysis.js';

export type ScaleJob =
  | { readonly state: 'running'; readonly startedAt: string }
  | { readonly state: 'done'; readonly startedAt: string; readonly finishedAt: string; readonly analysis: ScaleAnalysis }
  | { readonly state: 'failed'; readonly startedAt: string; readonly error: string };

const KEPT = 24;

/**
 * The scale-developer analyses of analysed waves, computed once per wave analysis in a worker
 * thread (they take from seconds to a minute: FIML CFA and invariance fits) and kept in memory,
 * newest {@link KEPT}. The first request starts the job; the page shows its progress until done.
 * Only the answer sets of units at or over the wave's minimum group size reach the worker.
 */
export class ScaleReports {
  private readonly jobs = new Map<string, ScaleJob>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly s: Services) {}

  /** The job for the wave's current analysis, started when there is none yet. */
  async job(analysed: AnalysedWave): Promise<ScaleJob> {
    const key = `${analysed.wave.id}:${analysed.analysisId}`;
    const known = this.jobs.get(key);
    if (known) return known;
    const startedAt = this.s.clock().toISOString();
    const running: ScaleJob = { state: 'running', startedAt };
    this.jobs.set(key, running);
    while (this.jobs.size > KEPT) this.jobs.delete(this.jobs.keys().next().value!);
    const work = this.input(analysed)
      .then(runInWorker)
      .then(
        (analysis) => ({ state: 'done' as const, startedAt, finishedAt: this.s.clock().toISOString(), analysis }),
        (err: unknown) => ({ state: 'failed' as const, startedAt, error: err instanceof Error ? err.message : String(err) }),
      )
      .then((done) => {
        if (this.jobs.has(key)) this.jobs.set(key, done);
      });
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    return running;
  }

  /** Resolves once every job started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async input(analysed: AnalysedWave): Promise<ScaleAnalysisInput> {
    const { wave } = analysed;
    const instrument = await this.s.instruments.get(wave.instrumentVersion);
    if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} is not stored`);
    const items = instrument.definition.items.flatMap((i) => (i.cell !== null && (CELLS as readonly string[]).includes(i.cell) ? [{ id: i.id, cell: i.cell as Cell, reverse: i.reverse }] : []));
    const sets = await completeAnswerSets(this.s.db, wave.id);
    const sizes = new Map<string, number>();
    for (const set of sets) sizes.set(set.unitKey, (sizes.get(set.unitKey) ?? 0) + 1);
    const kept = sets.filter((set) => sizes.get(set.unitKey)! >= wave.minGroupSize);
    return {
      scaleMin: instrument.definition.scaleMin,
      scaleMax: instrument.definition.scaleMax,
      items,
      rows: kept.map((set) => items.map((i) => (typeof set.answers[i.id] === 'number' ? (set.answers[i.id] as number) : NaN))),
      contexts: kept.map((set) => set.context),
      seed: wave.id,
    };
  }
}

function runInWorker(input: ScaleAnalysisInput): Promise<ScaleAnalysis> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledModule('web/reports/scale_worker.ts'));
    worker.once('message', (message: { ok: true; analysis: ScaleAnalysis } | { ok: false; error: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.analysis);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the scale-report worker stopped with code ${code}`));
    });
    worker.postMessage(input);
  });
}
