import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db.js';
import { HttpError } from '../errors.js';
import { runUnitImport, unitRowChecker, type ImportMessage } from './unit_import.js';

/**
 * The unit import in its own thread, on its own database connection (see unit_import.ts), sent
 * the upload's pieces as they arrive: parsing and checking happen here as the body streams in,
 * then the SQLite writes, so the server's main thread keeps answering respondents. Posts one
 * ImportOutcome, or fails (an unexpected error) for the caller to report.
 */
const { now, config, answersWaiting } = workerData as { now: string; config: Parameters<typeof openDatabase>[0]; answersWaiting: Int32Array };

/** The longest an import transaction waits for queued answers to be written first. */
const MAX_WAIT_MS = 50;

/**
 * Before each import transaction: while answers are queued or being written (a counter the
 * server's ResponseWriter shares with this thread), wait for them, up to MAX_WAIT_MS, so that
 * an answer waits for at most one import transaction.
 */
async function answersFirst(): Promise<void> {
  const start = Date.now();
  while (Atomics.load(answersWaiting, 0) > 0 && Date.now() - start < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const checker = unitRowChecker();
/** The file's one problem (a header refused, not CSV): the rest of the upload is not read. */
let failure: unknown;

parentPort!.on('message', (message: ImportMessage) => {
  if ('chunk' in message) {
    if (failure !== undefined) return;
    try {
      checker.write(message.chunk);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      failure = err;
    }
    return;
  }
  parentPort!.removeAllListeners('message');
  void finish();
});

async function finish(): Promise<void> {
  const db = openDatabase(config);
  try {
    const checked = () => {
      if (failure !== undefined) throw failure;
      return checker.finish();
    };
    parentPort!.postMessage(await runUnitImport(db, checked, now, answersFirst));
  } finally {
    await db.destroy();
    parentPort!.close();
  }
}
