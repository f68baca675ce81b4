import type { Db } from '../db.js';
import type { ResponseWrite } from './responses.js';

/** What became of one write: stored, or lost to a concurrent write for the same invitation (the caller re-reads and judges again). */
export type WriteOutcome = 'stored' | 'conflict';

type Operation =
  | { readonly kind: 'insert'; readonly write: ResponseWrite }
  | { readonly kind: 'update'; readonly responseId: number; readonly write: ResponseWrite };

interface Queued {
  readonly op: Operation;
  resolve(outcome: WriteOutcome): void;
  reject(err: unknown): void;
}

/**
 * Writes answer sets with group commit: the writes that arrive while one commit is in flight
 * are committed together in the next transaction, and each caller is answered only after the
 * transaction holding its write has committed. Every acknowledged answer is therefore as
 * durable as a commit of its own (SQLite's synchronous=FULL fsyncs the WAL at each commit),
 * while one fsync now covers many submissions instead of one.
 *
 * No write in a batch can abort the others: an insert for an invitation that has an answer set
 * already does nothing (`on conflict do nothing`) and reports 'conflict', as does an update of
 * an answer set that is no longer partial. Should a batch fail anyway, each of its writes is
 * retried alone so that only the faulty one fails.
 */
export class ResponseWriter {
  private queue: Queued[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
  ) {}

  /** Stores the first answer set of an invitation. */
  insert(write: ResponseWrite): Promise<WriteOutcome> {
    return this.enqueue({ kind: 'insert', write });
  }

  /** Replaces a partial answer set (and completes it when `write.complete`), unless it is no longer partial. */
  updatePartial(responseId: number, write: ResponseWrite): Promise<WriteOutcome> {
    return this.enqueue({ kind: 'update', responseId, write });
  }

  private enqueue(op: Operation): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests already read in this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.db.transaction(async (trx) => {
          const results: WriteOutcome[] = [];
          for (const { op } of batch) results.push(await apply(trx, op));
          return results;
        });
        batch.forEach((q, i) => q.resolve(outcomes[i]));
      } catch {
        for (const q of batch) {
          try {
            q.resolve(await this.db.transaction((trx) => apply(trx, q.op)));
          } catch (err) {
            q.reject(err);
          }
        }
      }
    }
    this.flushing = false;
  }
}

async function apply(trx: Db, op: Operation): Promise<WriteOutcome> {
  const w = op.write;
  let stored: boolean;
  if (op.kind === 'insert') {
    const rows = await trx('responses')
      .insert({
        invitation_id: w.invitationId,
        wave_id: w.waveId,
        unit_id: w.unitId,
        role: w.role,
        locale: w.locale,
        answers: w.answers,
        complete: w.complete,
        submission_hash: w.submissionHash,
        saved_on: w.savedOn,
      })
      .onConflict('invitation_id')
      .ignore()
      .returning('id');
    stored = rows.length === 1;
  } else {
    const changed = await trx('responses')
      .where({ id: op.responseId, complete: false })
      .update({ role: w.role, locale: w.locale, answers: w.answers, complete: w.complete, submission_hash: w.submissionHash, saved_on: w.savedOn });
    stored = Number(changed) === 1;
  }
  if (stored && w.complete && w.pendingTag !== undefined) {
    await trx('recipients').where({ pending_tag: w.pendingTag }).update({ pending_tag: null });
  }
  return stored ? 'stored' : 'conflict';
}
