import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { WriteOperation, WriteOutcome } from './response_writer.js';

/**
 * The answer-set writer of an SQLite store, in its own thread: it receives batches of writes,
 * commits each batch in one durable transaction (WAL, synchronous as configured, FULL by
 * default) and posts back one outcome per write. The fsync of the commit happens here, so
 * the server's main thread keeps reading requests meanwhile.
 */
const { filename, synchronous } = workerData as { filename: string; synchronous: string };
const db = new Database(filename);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('foreign_keys = ON');
// Wait out long admin transactions on the main connection (bulk invitations, unit imports) rather than fail an answer.
db.pragma('busy_timeout = 30000');

const insert = db.prepare(
  `insert into responses (response_key, wave_id, unit_id, role, locale, answers, complete, submission_hash, saved_on, resume_page)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (response_key) do nothing`,
);
// A row from before response keys, when its link is used again: keyed, and its invitation id cleared.
const rekey = db.prepare('update responses set response_key = ?, invitation_id = null where id = ? and response_key is null');
const update = db.prepare(
  'update responses set role = ?, locale = ?, answers = ?, complete = ?, submission_hash = ?, saved_on = ?, resume_page = ? where id = ? and complete = 0',
);
// Only recipient rows from before sealed tokens (migration 20261129172100) are cleared at
// submission; the others are cleared by the next reminder run, in shuffled batches.
const clearTag = db.prepare('update recipients set pending_tag = null where pending_tag = ? and sealed_token is null');

function apply(op: WriteOperation): WriteOutcome {
  if (op.kind === 'rekey') return rekey.run(op.responseKey, op.responseId).changes === 1 ? 'stored' : 'conflict';
  const w = op.write;
  const complete = w.complete ? 1 : 0;
  const changes =
    op.kind === 'insert'
      ? insert.run(w.responseKey, w.waveId, w.unitId, w.role, w.locale, w.answers, complete, w.submissionHash, w.savedOn, w.resumePage ?? null).changes
      : update.run(w.role, w.locale, w.answers, complete, w.submissionHash, w.savedOn, w.resumePage ?? null, op.responseId).changes;
  if (changes === 1 && w.complete && w.pendingTag !== undefined) clearTag.run(w.pendingTag);
  return changes === 1 ? 'stored' : 'conflict';
}

const applyBatch = db.transaction((ops: WriteOperation[]) => ops.map(apply));
const applyOne = db.transaction((op: WriteOperation) => apply(op));

type Result = { ok: true; outcome: WriteOutcome } | { ok: false; error: string };

parentPort!.on('message', (message: { id: number; ops: WriteOperation[] }) => {
  let results: Result[];
  try {
    results = applyBatch(message.ops).map((outcome) => ({ ok: true, outcome }));
  } catch {
    // Something in the batch failed as a whole: commit each write alone, so only the faulty one fails.
    results = message.ops.map((op) => {
      try {
        return { ok: true, outcome: applyOne(op) };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    });
  }
  parentPort!.postMessage({ id: message.id, results });
});
