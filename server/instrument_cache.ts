import type { Db } from './db.js';
import { findInstrumentVersion, listInstrumentVersions } from './queries/instruments.js';
import type { InstrumentVersion } from '../instrument/index.js';
import { CELLS, type Cell } from '../instrument/model.js';
import { loadInstrumentVersion, type InstrumentDefinition } from './instrument_source.js';

/** A stored instrument version with its items indexed by id, for validating answers. */
export interface LoadedInstrument {
  readonly definition: InstrumentDefinition;
  readonly ranges: ReadonlyMap<string, { readonly min: number; readonly max: number }>;
  /** The ids of each cell's items, in the definition's order (cells without items are absent). */
  readonly cellItems: ReadonlyMap<Cell, readonly string[]>;
}

/**
 * Published instrument versions never change, so each is read from the store once and kept.
 */
export class InstrumentCache {
  private readonly byVersion = new Map<string, LoadedInstrument>();
  private readonly documents = new Map<string, InstrumentVersion>();

  constructor(private readonly db: Db) {}

  async get(version: string): Promise<LoadedInstrument | undefined> {
    const cached = this.byVersion.get(version);
    if (cached) return cached;
    const stored = await findInstrumentVersion(this.db, version);
    if (!stored) return undefined;
    const loaded: LoadedInstrument = {
      definition: stored.definition,
      ranges: new Map(stored.definition.items.map((item) => [item.id, { min: item.min, max: item.max }])),
      cellItems: itemsByCell(stored.definition),
    };
    this.byVersion.set(version, loaded);
    return loaded;
  }

  /**
   * The full published version `version` (items, texts, formats, scales, change log), read from
   * the store (or the versions shipped in code) once and kept; undefined for an unknown version
   * or a draft, which may still change and is never cached.
   */
  async document(version: string): Promise<InstrumentVersion | undefined> {
    const cached = this.documents.get(version);
    if (cached) return cached;
    if (!(await this.get(version))) return undefined;
    const loaded = await loadInstrumentVersion(this.db, version);
    if (!loaded || loaded.status !== 'published') return undefined;
    this.documents.set(version, loaded.version);
    return loaded.version;
  }

  /** The most recently published version. */
  async latest(): Promise<LoadedInstrument | undefined> {
    const versions = await listInstrumentVersions(this.db);
    const last = versions.at(-1);
    return last ? this.get(last.definition.version) : undefined;
  }
}

function itemsByCell(definition: InstrumentDefinition): Map<Cell, string[]> {
  const byCell = new Map<Cell, string[]>();
  for (const cell of CELLS) {
    const ids = definition.items.filter((i) => i.cell === cell).map((i) => i.id);
    if (ids.length > 0) byCell.set(cell, ids);
  }
  return byCell;
}
