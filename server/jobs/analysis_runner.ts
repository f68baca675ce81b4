import { Worker } from 'node:worker_threads';
import { iso } from '../clock.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db.js';
import type { InstrumentCache } from '../instrument_cache.js';
import type { Logger } from '../logger.js';
import { compiledModule } from '../paths.js';
import { failAnalysis, finishAnalysis, findAnalysis, insertAnalysis, startAnalysis, type AnalysisRecord } from '../queries/analyses.js';
import { completeAnswerSets } from '../queries/responses.js';
import { findWave, listWaves } from '../queries/waves.js';
import type { WaveAnalysisInput, WaveAnalysisResults } from './wave_analysis.js';
import { isCell } from '../../instrument/model.js';

/**
 * Runs wave analyses off the request path: a request queues a row and returns at once; the
 * runner loads the answer sets, computes in a worker thread (so the server keeps answering),
 * and stores the results or the failure. Analyses run one at a time per process.
 */
export class AnalysisRunner {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly instruments: InstrumentCache,
  ) {}

  /** Queues an analysis of a wave and starts it in the background; returns the queued record. */
  async request(waveId: number, requestedBy: string): Promise<AnalysisRecord> {
    const id = await insertAnalysis(this.db, waveId, requestedBy, iso(this.clock()));
    this.pending++;
    this.chain = this.chain.then(() => this.run(id, waveId)).finally(() => this.pending--);
    return (await findAnalysis(this.db, id))!;
  }

  /** Resolves once every analysis requested so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  private async run(id: number, waveId: number): Promise<void> {
    try {
      if (!(await startAnalysis(this.db, id, iso(this.clock())))) return;
      const input = await this.input(waveId);
      const results = await runInWorker(input);
      await finishAnalysis(this.db, id, iso(this.clock()), results);
    } catch (err) {
      this.logger.warn({ analysis: id, err: (err as Error).message }, 'analysis failed');
      await failAnalysis(this.db, id, iso(this.clock()), (err as Error).message).catch(() => {});
    }
  }

  /** The wave's complete answer sets, preceded by those of earlier closed waves on the same instrument version (for z and drift). */
  private async input(waveId: number): Promise<WaveAnalysisInput> {
    const wave = (await findWave(this.db, waveId))!;
    const instrument = await this.instruments.get(wave.instrumentVersion);
    if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} is not stored`);
    const earlier = (await listWaves(this.db)).filter((w) => w.id < waveId && w.status === 'closed' && w.instrumentVersion === wave.instrumentVersion);
    const waves = [];
    for (const w of [...earlier, wave]) waves.push({ label: String(w.id), answerSets: await completeAnswerSets(this.db, w.id) });
    return {
      scaleMin: instrument.definition.scaleMin,
      scaleMax: instrument.definition.scaleMax,
      items: instrument.definition.items.flatMap((item) => (item.cell !== null && isCell(item.cell) ? [{ id: item.id, cell: item.cell, reverse: item.reverse }] : [])),
      waves,
      minGroupSize: wave.minGroupSize,
    };
  }
}

function runInWorker(input: WaveAnalysisInput): Promise<WaveAnalysisResults> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledModule('jobs/analysis_worker.ts'));
    worker.once('message', (message: { ok: true; results: WaveAnalysisResults } | { ok: false; error: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.results);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the analysis worker stopped with code ${code}`));
    });
    worker.postMessage(input);
  });
}
