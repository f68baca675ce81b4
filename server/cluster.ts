import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { isPostgres, openDatabase } from './db.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail.js';
import { IpcResponseWriter, type WriteReply, type WriteRequest } from './queries/ipc_response_writer.js';
import type { ResponseWriter, WriteOutcome } from './queries/response_writer.js';
import { prepareStore, startServer } from './start.js';

/** The environment variable that tells a forked worker its slot (0 … processes − 1). */
const SLOT = 'SEICI_WORKER_SLOT';

/**
 * Serves seici with `config.processes` HTTP processes behind one port (Node's cluster module:
 * the primary accepts each connection and hands it to a worker in turn). The primary readies
 * the store once (migrations, bundled instruments, demo, first-run sign-in) and then only keeps
 * the workers running; the workers are stateless app processes on the one database.
 *
 * - SQLite: the primary's writer thread is the store's one writer. Workers send their batches
 *   of answer writes to it over IPC (queries/ipc_response_writer.ts), so the batches of every
 *   worker share one fsync, and a worker acknowledges an answer only after the primary reports
 *   its commit. Workers read (the token lookup, the console) through their own connections;
 *   WAL lets readers and the writer work at once.
 * - PostgreSQL: each worker group-commits its own answers.
 *
 * The wave scheduler runs in the worker of slot 0 only (it is restarted in the same slot when it
 * dies); analyses run in whichever process claims them, with the lease of
 * jobs/analysis_runner.ts. A worker whose primary is killed exits at once (Node's cluster), and
 * a write it sent is acknowledged to nobody. A worker that dies is forked again.
 */
export async function runServer(config: Config): Promise<void> {
  if (config.processes <= 1 && cluster.isPrimary) {
    stopOnSignals(await startServer(config));
    return;
  }
  if (cluster.isPrimary) return runPrimary(config, createLogger(config.logLevel));
  const slot = Number(process.env[SLOT] ?? 0);
  const responses = config.databaseUrl ? undefined : new IpcResponseWriter();
  stopOnSignals(await startServer(config, createLogger(config.logLevel), () => undefined, { kind: 'worker', scheduler: slot === 0, responses }));
}

function stopOnSignals(running: { close(): Promise<void> }): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const db = openDatabase(config);
  const mailer = createMailer(config.smtp);
  const { app, welcome } = await prepareStore(db, config, logger, mailer);
  const writer = isPostgres(db) ? undefined : app.services.responses;
  const slots = new Map<Worker, number>();
  let stopping = false;
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  const fork = (slot: number) => {
    const worker = cluster.fork({ [SLOT]: String(slot) });
    slots.set(worker, slot);
    if (writer) worker.on('message', (message: WriteRequest) => void serveWrites(writer, worker, message));
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker);
    slots.delete(worker);
    if (stopping || slot === undefined) return;
    logger.error({ slot, code, signal }, 'a server process stopped; starting another');
    fork(slot);
  });
  const listening = Array.from({ length: config.processes }, (_, slot) => new Promise<void>((ok) => fork(slot).once('listening', () => ok())));
  await Promise.all(listening);
  const url = `http://localhost:${config.port}`;
  logger.info({ url, processes: config.processes, database: config.databaseUrl ? 'postgresql' : config.dataDir }, 'seici is listening');
  process.stderr.write(welcome(config.publicUrl === url ? url : config.publicUrl));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      const exits = [...slots.keys()].map((w) => new Promise<void>((ok) => (w.isDead() ? ok() : w.once('exit', () => ok()))));
      for (const w of slots.keys()) w.process.kill('SIGTERM');
      // The writer stays up until every worker has stopped: their last answers commit through it.
      Promise.all(exits)
        .then(async () => {
          await app.services.analyses.stop();
          await app.services.responses.close();
          app.services.invitations.close();
          mailer?.close();
          await db.destroy();
        })
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
}

/**
 * The largest semi-space of a worker's young generation, in MB (V8's `--max-semi-space-size`;
 * V8's default on 64-bit machines is 16 MB).
 *
 * Under load every answer set allocates its body's text, the parsed answers, the row and the
 * answer's JSON, all dead within milliseconds, while the requests in flight stay alive. V8
 * collects the young generation (a scavenge) each time a semi-space fills: with 16 MB that was
 * every 130–250 ms per worker at ~2,000 answer sets/s, each pause 1–24 ms on a loaded 2-core
 * machine, and each scavenge copies the requests in flight whatever the semi-space's size. A
 * larger semi-space scavenges less often for the same survivors (issue 16, bench/RESULTS.md).
 */
export const WORKER_SEMI_SPACE_MB = 64;

/**
 * The Node options of a worker: the primary's own, with the young generation of
 * {@link WORKER_SEMI_SPACE_MB} unless the operator chose a size (on the command line or in
 * NODE_OPTIONS), which is kept.
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(arg));
  return chosen ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}

/** Commits a worker's batch through the primary's writer (joining the batches of the other workers) and answers it. */
async function serveWrites(writer: ResponseWriter, worker: Worker, message: WriteRequest): Promise<void> {
  if (message?.seici !== 'write') return;
  const settled = await Promise.allSettled(message.ops.map((op) => (op.kind === 'insert' ? writer.insert(op.write) : op.kind === 'rekey' ? writer.rekey(op.responseId, op.responseKey) : writer.updatePartial(op.responseId, op.write))));
  const reply: WriteReply = {
    seici: 'written',
    id: message.id,
    results: settled.map((r) => (r.status === 'fulfilled' ? { ok: true, outcome: r.value as WriteOutcome } : { ok: false, error: String((r.reason as Error)?.message ?? r.reason) })),
  };
  if (worker.isConnected()) worker.send(reply);
}
