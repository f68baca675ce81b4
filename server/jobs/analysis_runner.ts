import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { isCell, type Cell } from '../../instrument/model.js';
import type { HierarchyUnit, VersionItems, WavePair, WavePublication, WavePublicationInput } from '../../analysis/index.js';
import { iso } from '../clock.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db.js';
import type { InstrumentCache } from '../instrument_cache.js';
import type { Logger } from '../logger.js';
import { compiledModule } from '../paths.js';
import {
  claimAnalysis,
  claimableAnalyses,
  failAnalysis,
  failExhaustedAnalyses,
  findAnalysis,
  frozenHierarchy,
  finishAnalysis,
  insertAnalysis,
  latestDoneAnalysis,
  publishedCounts,
  renewLease,
  type AnalysisKind,
  type AnalysisRecord,
} from '../queries/analyses.js';
import { effectiveStatus } from '../handlers/waves.js';
import { completeAnswerSets } from '../queries/responses.js';
import { listUnits } from '../queries/units.js';
import { findWave, listWaves, type WaveRecord } from '../queries/waves.js';
import { researchPublicationInput } from '../research/research_input.js';
import { storedRunOptions } from '../dynamics/run_options.js';
import type { WorkerTask } from './analysis_worker.js';

/** How long a claimed run stays leased without a renewal (a dead process's run is picked up after this). */
export const LEASE_MS = 30_000;
/** How often a live process renews the lease of the run it computes. */
const RENEW_MS = 10_000;
/** Claims of one run before it is marked failed (a run that kills its process is not retried forever). */
export const MAX_ATTEMPTS = 3;
/** The version of analysis/publication's pipeline that this server stores. */
export const PIPELINE_VERSION = 1;

/**
 * Runs analyses off the request path, as immutable stored runs. The `analyses` table is the
 * queue: a request inserts a queued row (in the caller's transaction, when it has one, so the
 * automatic analysis of a closing wave is stored with the close) and any process's runner
 * claims it with a conditional update. The claim is a lease that the computing process renews
 * every {@link RENEW_MS}; a run whose lease expired (its process died) is claimed again by the
 * next runner that looks (every scheduler tick), and failed after {@link MAX_ATTEMPTS} claims.
 * Results are stored only by the lease holder and only once. Computation happens in a worker
 * thread with analysis/publication's pure pipeline; the runner only loads its input.
 *
 * A lease column rather than pg-boss: the embedded SQLite store needs the same queue, the run
 * row is the job (no second store to keep consistent with it), and the whole mechanism is two
 * conditional updates that behave the same on both databases.
 */
export class AnalysisRunner {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private stopped = false;
  private diagnosisInput?: (wave: WaveRecord) => Promise<NonNullable<Extract<WorkerTask, { kind: 'wave' }>['diagnosis']>>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly instruments: InstrumentCache,
  ) {}

  /**
   * Lets wave runs store their units' diagnoses: `load` gives a wave's breakpoint rules and its
   * units' traces (server/dynamics, which needs the app's services, built after the runner).
   */
  diagnoseWith(load: (wave: WaveRecord) => Promise<NonNullable<Extract<WorkerTask, { kind: 'wave' }>['diagnosis']>>): void {
    this.diagnosisInput = load;
  }

  /** Queues a run (with the options it is requested with, if any) and starts it in the background; returns the queued record. */
  async request(waveId: number, requestedBy: string, kind: AnalysisKind = 'wave', parentId: number | null = null, options: unknown = null): Promise<AnalysisRecord> {
    const id = await this.enqueue(this.db, waveId, requestedBy, kind, parentId, options);
    this.kick();
    return (await findAnalysis(this.db, id))!;
  }

  /** Inserts a queued run in `db` (a transaction, so it commits with the caller's change); call kick() after the commit. */
  async enqueue(db: Db, waveId: number, requestedBy: string, kind: AnalysisKind = 'wave', parentId: number | null = null, options: unknown = null): Promise<number> {
    return insertAnalysis(db, waveId, requestedBy, iso(this.clock()), kind, parentId, options);
  }

  /** Looks for runs to do (queued, or leased by a process that died) and runs them one at a time. */
  kick(): void {
    if (this.stopped) return;
    this.pending++;
    this.chain = this.chain.then(() => this.drain()).finally(() => this.pending--);
  }

  /** Fails runs that exhausted their attempts and picks up the rest (the scheduler calls this every tick). */
  async recover(): Promise<void> {
    const failed = await failExhaustedAnalyses(this.db, iso(this.clock()), MAX_ATTEMPTS);
    if (failed > 0) this.logger.warn({ failed }, 'analyses whose process stopped too often were marked failed');
    this.kick();
  }

  /** Resolves once every run requested so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  /** Stops taking new runs (a run in progress finishes). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (;;) {
      await failExhaustedAnalyses(this.db, iso(this.clock()), MAX_ATTEMPTS);
      const candidates = await claimableAnalyses(this.db, iso(this.clock()));
      let ran = false;
      for (const c of candidates) {
        if (this.stopped) return;
        const at = this.clock();
        if (!(await claimAnalysis(this.db, c.id, this.owner, iso(at), iso(new Date(at.getTime() + LEASE_MS))))) continue;
        ran = true;
        await this.run(c.id);
      }
      if (!ran) return;
    }
  }

  private async run(id: number): Promise<void> {
    const renew = setInterval(() => {
      void renewLease(this.db, id, this.owner, iso(new Date(this.clock().getTime() + LEASE_MS))).catch((err) => this.logger.warn({ analysis: id, err: (err as Error).message }, 'lease renewal failed'));
    }, RENEW_MS);
    try {
      const record = (await findAnalysis(this.db, id))!;
      const task = await this.task(record);
      const results = await runInWorker(task);
      if (!(await finishAnalysis(this.db, id, this.owner, iso(this.clock()), PIPELINE_VERSION, results))) {
        this.logger.warn({ analysis: id }, 'the lease of an analysis passed to another process before it finished; its result was not stored');
      }
    } catch (err) {
      this.logger.warn({ analysis: id, err: (err as Error).message }, 'analysis failed');
      await failAnalysis(this.db, id, iso(this.clock()), (err as Error).message, this.owner).catch(() => {});
    } finally {
      clearInterval(renew);
    }
  }

  private async task(record: AnalysisRecord): Promise<WorkerTask> {
    if (record.kind === 'research') return { kind: 'research', input: await researchPublicationInput(this.db, this.instruments, record) };
    const wave = (await findWave(this.db, record.waveId))!;
    const { input, locales } = await wavePublicationSources(this.db, this.clock, this.instruments, wave);
    const contexts = Object.fromEntries(input.units.map((u) => [u.key, u.context ?? null]));
    if (record.kind === 'wave') {
      // The run's options: the capacity its drift flags are read against, the period (and sprint anchor) of its breakpoints.
      const options = storedRunOptions(record.options);
      const loaded = this.diagnosisInput ? await this.diagnosisInput(wave) : undefined;
      const diagnosis = loaded ? { ...loaded, period: options.period, ...(options.sprintAnchor === null ? {} : { sprintAnchor: options.sprintAnchor }) } : undefined;
      return { kind: 'wave', input: { ...input, driftCapacity: options.capacity }, contexts, locales, ...(await this.previousWaveInput(wave)), ...(diagnosis ? { diagnosis } : {}) };
    }
    if (record.kind === 'scale-developer' || record.kind === 'pilot') {
      const parent = record.parentId === null ? undefined : await findAnalysis(this.db, record.parentId);
      if (!parent || parent.status !== 'done' || !parent.results) throw new Error('the wave run this analysis derives from has no stored results');
      return { kind: record.kind, input: { ...input, contexts, seed: wave.id }, publication: parent.results as WavePublication };
    }
    throw new Error(`runs of kind "${record.kind}" have no pipeline in this server yet`);
  }

  /**
   * The wave before this one: the latest closed wave before it with a stored publication (its
   * answers, version and published units), on any version. The run tests invariance across the
   * two (the gate of drift and changes) and, when the versions differ, compares their scores on
   * the shared items. None without such a wave.
   */
  private async previousWaveInput(wave: WaveRecord): Promise<Pick<Extract<WorkerTask, { kind: 'wave' }>, 'previous'>> {
    const earlier = (await listWaves(this.db))
      .filter((w) => w.id !== wave.id && effectiveStatus(w, this.clock()) === 'closed' && (w.opensAt < wave.opensAt || (w.opensAt === wave.opensAt && w.id < wave.id)))
      .sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.id - b.id))
      .at(-1);
    if (!earlier) return {};
    const run = await latestDoneAnalysis(this.db, earlier.id);
    const [before, now] = await Promise.all([this.instruments.get(earlier.instrumentVersion), this.instruments.get(wave.instrumentVersion)]);
    if (!run?.results || !before || !now) return {};
    const items = (definition: typeof before.definition): VersionItems => ({
      version: definition.version,
      items: Object.fromEntries(definition.items.flatMap((i) => (i.cell !== null && isCell(i.cell) ? [[i.id, { cell: i.cell, reverse: i.reverse, text: { ...i.text } }]] : []))),
    });
    const sets = await completeAnswerSets(this.db, earlier.id);
    return {
      previous: {
        earlier: {
          label: String(earlier.id),
          name: earlier.name,
          version: items(before.definition),
          wave: { label: String(earlier.id), minGroupSize: earlier.minGroupSize, answerSets: sets.map((s) => ({ unitKey: s.unitKey, answers: s.answers })) },
          publication: { units: (run.results as WavePublication).units },
        },
        current: { label: String(wave.id), name: wave.name, version: items(now.definition) },
        earlierChain: (run.results as { waveComparison?: { chain?: WavePair[] } | null }).waveComparison?.chain ?? [],
      },
    };
  }
}

/**
 * The unit hierarchy (parents and contexts) that a wave's publications use. A closed wave's
 * results are frozen: once a publication of it is stored, every later run uses the hierarchy
 * that publication stored, so a re-run after units moved publishes the same aggregates over the
 * same people again (a re-run under the new hierarchy could publish a team beside the first
 * run's department, and the difference would be the rest of the department). Before the first
 * publication, the current hierarchy.
 */
export async function waveHierarchy(db: Db, waveId: number): Promise<HierarchyUnit[]> {
  const frozen = await frozenHierarchy(db, waveId);
  if (frozen) return frozen.map((u) => ({ key: u.key, parentKey: u.parentKey, context: u.context ?? null }));
  return (await listUnits(db)).map((u) => ({ key: u.key, parentKey: u.parentKey, context: u.context }));
}

/**
 * The input of a wave's publication: its complete answer sets, preceded by those of earlier
 * closed waves on the same instrument version (for z and drift, each with its own minimum
 * group size and the units its stored publication published), the unit hierarchy (frozen at
 * the wave's first publication, see waveHierarchy), and the counts of its earlier
 * publications. A run's bundle rebuilds its data with the same function.
 */
export async function wavePublicationInput(db: Db, clock: Clock, instruments: InstrumentCache, wave: WaveRecord): Promise<WavePublicationInput> {
  return (await wavePublicationSources(db, clock, instruments, wave)).input;
}

/**
 * wavePublicationInput and, read in the same pass, the locale of each of the wave's answer sets
 * (in the order of its `answerSets`): the run's gate across languages needs them, the
 * publication and its bundles do not.
 */
export async function wavePublicationSources(
  db: Db,
  clock: Clock,
  instruments: InstrumentCache,
  wave: WaveRecord,
): Promise<{ readonly input: WavePublicationInput; readonly locales: string[] }> {
  const instrument = await instruments.get(wave.instrumentVersion);
  if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} is not stored`);
  const earlier = (await listWaves(db))
    .filter((w) => w.id !== wave.id && effectiveStatus(w, clock()) === 'closed' && w.instrumentVersion === wave.instrumentVersion && (w.opensAt < wave.opensAt || (w.opensAt === wave.opensAt && w.id < wave.id)))
    .sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.id - b.id));
  const waves = [];
  let locales: string[] = [];
  for (const w of [...earlier, wave]) {
    const sets = await completeAnswerSets(db, w.id);
    if (w.id === wave.id) locales = sets.map((s) => s.locale);
    const stored = w.id === wave.id ? undefined : await latestDoneAnalysis(db, w.id);
    const published = stored?.results ? (stored.results as WavePublication).units.filter((u) => !u.suppressed).map((u) => u.unitKey) : undefined;
    waves.push({ label: String(w.id), minGroupSize: w.minGroupSize, answerSets: sets.map((s) => ({ unitKey: s.unitKey, answers: s.answers })), ...(published ? { published } : {}) });
  }
  const input: WavePublicationInput = {
    scaleMin: instrument.definition.scaleMin,
    scaleMax: instrument.definition.scaleMax,
    items: instrument.definition.items.flatMap((item) => (item.cell !== null && isCell(item.cell) ? [{ id: item.id, cell: item.cell as Cell, reverse: item.reverse }] : [])),
    units: await waveHierarchy(db, wave.id),
    waves,
    previous: await publishedCounts(db, wave.id),
  };
  return { input, locales };
}

function runInWorker(task: WorkerTask): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(compiledModule('jobs/analysis_worker.ts'));
    worker.once('message', (message: { ok: true; results: unknown } | { ok: false; error: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.results);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the analysis worker stopped with code ${code}`));
    });
    worker.postMessage(task);
  });
}
