import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { isPostgres, type Db } from '../db.js';
import { compiledModule } from '../paths.js';
import { responseRow, type ResponseWrite } from './responses.js';

/**
 * The process that commits answers is gone (a cluster's primary was killed): the write may or
 * may not have been committed, so the caller must not answer at all (it drops the connection and
 * the client sends the answers again).
 */
export class ProcessGoneError extends Error {}

/** What became of one write: stored, or lost to a concurrent write for the same token (the caller re-reads and judges again). */
export type WriteOutcome = 'stored' | 'conflict';

export type WriteOperation =
  | { readonly kind: 'insert'; readonly write: ResponseWrite }
  | { readonly kind: 'update'; readonly responseId: number; readonly write: ResponseWrite }
  | { readonly kind: 'rekey'; readonly responseId: number; readonly responseKey: string };

interface Queued {
  readonly op: WriteOperation;
  resolve(outcome: WriteOutcome): void;
  reject(err: unknown): void;
}

/**
 * Writes answer sets with group commit: the writes that arrive while one commit is in flight
 * are committed together in the next transaction, and each caller is answered only after the
 * transaction holding its write has committed. Every acknowledged answer is therefore as
 * durable as a commit of its own (SQLite's synchronous=FULL fsyncs the WAL at each commit),
 * while one fsync covers many submissions instead of one.
 *
 * No write in a batch can abort the others: an insert under a response key that has an answer
 * set already does nothing (`on conflict (response_key) do nothing`) and reports 'conflict', as
 * does an update of an answer set that is no longer partial. No write touches an invitation. Should a batch fail anyway, each of its writes is
 * committed alone so that only the faulty one fails.
 *
 * On SQLite the batches are committed by a writer thread with its own connection
 * (sqlite_writer_thread.ts), so the fsync does not stop the main thread; on PostgreSQL by knex.
 */
export abstract class ResponseWriter {
  private queue: Queued[] = [];
  private flushing = false;
  /**
   * How many answer writes are queued or being committed, shared with other threads (the unit
   * import waits while it is above zero before taking the write lock, so answers go first).
   */
  readonly answersWaiting = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly maxBatch = 256) {}

  /** Stores the first answer set of a token, under its response key. */
  insert(write: ResponseWrite): Promise<WriteOutcome> {
    return this.enqueue({ kind: 'insert', write });
  }

  /**
   * Re-keys an answer set written before response keys: sets its response key and clears its
   * invitation id in one statement; 'conflict' when another request did it first.
   */
  rekey(responseId: number, responseKey: string): Promise<WriteOutcome> {
    return this.enqueue({ kind: 'rekey', responseId, responseKey });
  }

  /** Replaces a partial answer set (and completes it when `write.complete`), unless it is no longer partial. */
  updatePartial(responseId: number, write: ResponseWrite): Promise<WriteOutcome> {
    return this.enqueue({ kind: 'update', responseId, write });
  }

  /** Stops the writer once the queued writes are committed. */
  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
  }

  /** Commits one batch; resolves with one outcome (or Error) per write. */
  protected abstract commit(ops: readonly WriteOperation[]): Promise<(WriteOutcome | Error)[]>;

  private enqueue(op: WriteOperation): Promise<WriteOutcome> {
    Atomics.add(this.answersWaiting, 0, 1);
    const done = () => Atomics.sub(this.answersWaiting, 0, 1);
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({
        op,
        resolve: (outcome) => {
          done();
          resolve(outcome);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      });
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
        const outcomes = await this.commit(batch.map((q) => q.op));
        batch.forEach((q, i) => {
          const outcome = outcomes[i];
          if (outcome instanceof Error) q.reject(outcome);
          else q.resolve(outcome);
        });
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    this.flushing = false;
  }
}

/**
 * Group commit through knex (PostgreSQL, or SQLite in tests that want one connection), in as
 * few round trips as the batch allows: every first answer set of the batch goes in one
 * multi-row `insert ... on conflict do nothing returning`, so a batch of new answer sets is one
 * autocommitted statement (atomic as any single statement is) whatever its size. Updates of
 * partial sets, re-keyed legacy rows and the legacy recipient flags take a transaction around
 * the statements.
 * Each statement over the network costs a round trip and a server-side parse, and a batch
 * waits for the one before it: a statement per write made every answer wait for all the
 * others' round trips (p50 63 ms at 20 connections on PostgreSQL, issue 16).
 */
export class KnexResponseWriter extends ResponseWriter {
  /** Whether recipient rows from before sealed tokens still wait to be cleared at submission (asked once; no new ones are written). */
  private legacyTags: Promise<boolean> | undefined;

  private readonly postgres: boolean;

  constructor(private readonly db: Db) {
    super();
    this.postgres = isPostgres(db);
  }

  protected async commit(ops: readonly WriteOperation[]): Promise<(WriteOutcome | Error)[]> {
    this.legacyTags ??= this.db('recipients').whereNotNull('pending_tag').whereNull('sealed_token').first('id').then((row) => row !== undefined);
    const legacy = await this.legacyTags;
    try {
      const oneStatement = ops.every((op) => op.kind === 'insert') && !(legacy && ops.some((op) => op.kind === 'insert' && op.write.complete));
      return oneStatement ? await applyBatch(this.db, ops, false, this.postgres) : await this.db.transaction((trx) => applyBatch(trx, ops, legacy, this.postgres));
    } catch {
      const results: (WriteOutcome | Error)[] = [];
      for (const op of ops) {
        try {
          results.push((await this.db.transaction((trx) => applyBatch(trx, [op], legacy, this.postgres)))[0]);
        } catch (err) {
          results.push(err as Error);
        }
      }
      return results;
    }
  }
}

/** Group commit in a writer thread with its own connection to the SQLite file (started on the first write). */
export class SqliteThreadWriter extends ResponseWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(r: (WriteOutcome | Error)[]): void; reject(err: unknown): void }>();

  constructor(
    private readonly filename: string,
    private readonly synchronous: string,
  ) {
    super();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(compiledModule('queries/sqlite_writer_thread.ts'), { workerData: { filename: this.filename, synchronous: this.synchronous } });
    worker.unref();
    worker.on('message', (message: { id: number; results: ({ ok: true; outcome: WriteOutcome } | { ok: false; error: string })[] }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.resolve(message.results.map((r) => (r.ok ? r.outcome : new Error(r.error))));
    });
    const fail = (err: unknown) => {
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread stopped with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  protected commit(ops: readonly WriteOperation[]): Promise<(WriteOutcome | Error)[]> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.thread().postMessage({ id, ops });
    });
  }

  override async close(): Promise<void> {
    await super.close();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
}

/** Rows per insert statement: on SQLite, 10 parameters a row stays far below the 32,766 allowed. */
const INSERT_CHUNK = 500;

/**
 * Applies a batch: the inserts as multi-row statements (a row whose response key has an answer
 * set already, or that repeats a key earlier in the batch, is skipped by `on conflict do
 * nothing` and reported as a conflict), then each update of a partial set and each re-keying of
 * a legacy row, then, where old recipient rows may still wait, the flags of the completed sets
 * in one statement.
 */
async function applyBatch(db: Db, ops: readonly WriteOperation[], legacyTags: boolean, postgres: boolean): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(ops.length).fill('conflict');
  const inserts = ops.flatMap((op, i) => (op.kind === 'insert' ? [i] : []));
  for (let from = 0; from < inserts.length; from += INSERT_CHUNK) {
    const chunk = inserts.slice(from, from + INSERT_CHUNK);
    const writes = chunk.map((i) => (ops[i] as InsertOperation).write);
    const rows = postgres ? await insertColumns(db, writes) : await insertRows(db, writes);
    const stored = new Set(rows.map((r) => r.response_key));
    for (const i of chunk) {
      // The first write of a key in the batch is the one stored; a repeat is a conflict.
      if (stored.delete((ops[i] as InsertOperation).write.responseKey)) outcomes[i] = 'stored';
    }
  }
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.kind === 'update') {
      const w = op.write;
      const changed = await db('responses')
        .where({ id: op.responseId, complete: false })
        .update({ role: w.role, locale: w.locale, answers: w.answers, complete: w.complete, submission_hash: w.submissionHash, saved_on: w.savedOn, resume_page: w.resumePage ?? null });
      if (Number(changed) === 1) outcomes[i] = 'stored';
    } else if (op.kind === 'rekey') {
      const changed = await db('responses').where({ id: op.responseId }).whereNull('response_key').update({ response_key: op.responseKey, invitation_id: null });
      if (Number(changed) === 1) outcomes[i] = 'stored';
    }
  }
  if (legacyTags) {
    const tags = ops.flatMap((op, i) => (op.kind !== 'rekey' && outcomes[i] === 'stored' && op.write.complete && op.write.pendingTag !== undefined ? [op.write.pendingTag] : []));
    // Only rows from before sealed tokens (migration 20261129172100); the others are cleared by the reminder run.
    if (tags.length > 0) await db('recipients').whereIn('pending_tag', tags).whereNull('sealed_token').update({ pending_tag: null });
  }
  return outcomes;
}

type InsertOperation = Extract<WriteOperation, { kind: 'insert' }>;

/** The first answer sets of `writes` as one multi-row insert built by knex (SQLite); the keys stored. */
async function insertRows(db: Db, writes: readonly ResponseWrite[]): Promise<{ response_key: string }[]> {
  return (await db('responses').insert(writes.map(responseRow)).onConflict('response_key').ignore().returning('response_key')) as { response_key: string }[];
}

/** The columns of responseRow with their PostgreSQL types, in the order of INSERT_RESPONSES_PG's parameters. */
const PG_COLUMNS = [
  ['response_key', 'text'],
  ['wave_id', 'integer'],
  ['unit_id', 'integer'],
  ['role', 'text'],
  ['locale', 'text'],
  ['answers', 'text'],
  ['complete', 'boolean'],
  ['submission_hash', 'text'],
  ['saved_on', 'text'],
  ['resume_page', 'text'],
] as const satisfies readonly (readonly [keyof ReturnType<typeof responseRow>, string])[];

/**
 * One parameter per column, each an array with one element per answer set (the rows are
 * `unnest`ed in order), so the text is the same whatever the batch's size and is parsed once
 * per connection as a named prepared statement.
 */
const INSERT_RESPONSES_PG = `
  insert into responses (${PG_COLUMNS.map(([c]) => c).join(', ')})
  select * from unnest(${PG_COLUMNS.map(([, t]) => `?::${t}[]`).join(', ')})
  on conflict (response_key) do nothing
  returning response_key`;

/**
 * The first answer sets of `writes` in one statement on PostgreSQL (INSERT_RESPONSES_PG); the
 * keys stored. A multi-row insert built by knex had ten placeholders a row: knex wrote the text
 * anew for every batch, and PostgreSQL parsed and planned every batch's text anew.
 */
async function insertColumns(db: Db, writes: readonly ResponseWrite[]): Promise<{ response_key: string }[]> {
  const rows = writes.map(responseRow);
  const columns = PG_COLUMNS.map(([c]) => rows.map((r) => r[c]));
  const result = await db.raw(INSERT_RESPONSES_PG, columns as Knex.RawBinding[]).options({ name: 'seici_insert_responses' });
  return result.rows as { response_key: string }[];
}
