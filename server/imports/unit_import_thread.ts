import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db.js';
import { runUnitImport } from './unit_import.js';
import { csvUploadFromChunks } from './csv_upload.js';

/**
 * The unit import in its own thread, on its own database connection (see unit_import.ts), given
 * the upload's byte pieces:
 * parsing, checking and the SQLite writes happen here, so the server's main thread keeps
 * answering respondents. Posts one ImportOutcome, or fails (an unexpected error) for the
 * caller to report.
 */
const { chunks, now, config, answersWaiting } = workerData as { chunks: Uint8Array[]; now: string; config: Parameters<typeof openDatabase>[0]; answersWaiting: Int32Array };

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

const db = openDatabase(config);
try {
  parentPort!.postMessage(await runUnitImport(db, csvUploadFromChunks(chunks), now, answersFirst));
} finally {
  await db.destroy();
}
