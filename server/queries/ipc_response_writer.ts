import { ProcessGoneError, ResponseWriter, type WriteOperation, type WriteOutcome } from './response_writer.js';

/** A batch of answer writes sent by a cluster worker to the primary, and the primary's answer. */
export interface WriteRequest {
  readonly seici: 'write';
  readonly id: number;
  readonly ops: readonly WriteOperation[];
}

export interface WriteReply {
  readonly seici: 'written';
  readonly id: number;
  readonly results: readonly ({ readonly ok: true; readonly outcome: WriteOutcome } | { readonly ok: false; readonly error: string })[];
}

/**
 * Group commit through the cluster's primary (server/cluster.ts): an HTTP worker of an SQLite
 * store sends each batch of answer writes over its IPC channel to the primary, whose one
 * writer thread commits the batches of every worker together. A caller is answered only when
 * the primary reports the commit; if the primary is gone the batch fails with
 * {@link ProcessGoneError}, never with an acknowledgement.
 */
export class IpcResponseWriter extends ResponseWriter {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(r: (WriteOutcome | Error)[]): void; reject(err: unknown): void }>();

  constructor(private readonly channel: NodeJS.Process = process) {
    super();
    channel.on('message', (message: WriteReply) => {
      if (message?.seici !== 'written') return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.resolve(message.results.map((r) => (r.ok ? r.outcome : new Error(r.error))));
    });
    channel.once('disconnect', () => {
      for (const waiter of this.waiting.values()) waiter.reject(new ProcessGoneError('the primary process that commits answers is gone'));
      this.waiting.clear();
    });
  }

  protected commit(ops: readonly WriteOperation[]): Promise<(WriteOutcome | Error)[]> {
    return new Promise((resolve, reject) => {
      if (!this.channel.connected || !this.channel.send) return reject(new ProcessGoneError('the primary process that commits answers is gone'));
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      const request: WriteRequest = { seici: 'write', id, ops };
      this.channel.send(request, undefined, undefined, (err: Error | null) => {
        if (!err) return;
        this.waiting.delete(id);
        reject(new ProcessGoneError(err.message));
      });
    });
  }
}
