import type { Db } from '../db.js';
import type { InstrumentDefinition } from '../instrument_source.js';

interface VersionRow {
  version: string;
  scale_min: number;
  scale_max: number;
  definition: string;
  published_at: string;
}

export interface StoredInstrument {
  readonly definition: InstrumentDefinition;
  readonly publishedAt: string;
}

function toStored(row: VersionRow): StoredInstrument {
  return { definition: JSON.parse(row.definition), publishedAt: row.published_at };
}

export async function findInstrumentVersion(db: Db, version: string): Promise<StoredInstrument | undefined> {
  const row = await db('instrument_versions').where({ version }).first();
  return row ? toStored(row) : undefined;
}

export async function listInstrumentVersions(db: Db): Promise<StoredInstrument[]> {
  const rows: VersionRow[] = await db('instrument_versions').orderBy('published_at').orderBy('version');
  return rows.map(toStored);
}

/** Stores a published version unless it is stored already (a published version never changes). */
export async function insertInstrumentVersionIfAbsent(db: Db, definition: InstrumentDefinition, publishedAt: string): Promise<void> {
  await db('instrument_versions')
    .insert({
      version: definition.version,
      scale_min: definition.scaleMin,
      scale_max: definition.scaleMax,
      definition: JSON.stringify(definition),
      published_at: publishedAt,
    })
    .onConflict('version')
    .ignore();
}
