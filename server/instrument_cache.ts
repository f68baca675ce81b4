import type { Db } from './db.js';
import { findInstrumentVersion, listInstrumentVersions } from './queries/instruments.js';
import type { InstrumentDefinition } from './instrument_source.js';

/** A stored instrument version with its items indexed by id, for validating answers. */
export interface LoadedInstrument {
  readonly definition: InstrumentDefinition;
  readonly ranges: ReadonlyMap<string, { readonly min: number; readonly max: number }>;
}

/**
 * Published instrument versions never change, so each is read from the store once and kept.
 */
export class InstrumentCache {
  private readonly byVersion = new Map<string, LoadedInstrument>();

  constructor(private readonly db: Db) {}

  async get(version: string): Promise<LoadedInstrument | undefined> {
    const cached = this.byVersion.get(version);
    if (cached) return cached;
    const stored = await findInstrumentVersion(this.db, version);
    if (!stored) return undefined;
    const loaded: LoadedInstrument = {
      definition: stored.definition,
      ranges: new Map(stored.definition.items.map((item) => [item.id, { min: item.min, max: item.max }])),
    };
    this.byVersion.set(version, loaded);
    return loaded;
  }

  /** The most recently published version. */
  async latest(): Promise<LoadedInstrument | undefined> {
    const versions = await listInstrumentVersions(this.db);
    const last = versions.at(-1);
    return last ? this.get(last.definition.version) : undefined;
  }
}
