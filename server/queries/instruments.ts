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

/** A stored instrument version document (drafts and published versions, in full). */
export interface StoredDocument {
  readonly version: string;
  readonly status: 'draft' | 'published';
  readonly basedOn: string | null;
  /** The whole InstrumentVersion as JSON (parsed and checked by instrument_source). */
  readonly document: unknown;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly publishedAt: string | null;
  /** The items the draft was made to revise, with the reasons and evidence (empty when none). */
  readonly revisionRequests: readonly RevisionRequest[];
}

/** An item a draft was made to revise: the verdict's reasons and the evidence that asked for new wording. */
export interface RevisionRequest {
  readonly item: string;
  readonly reasons: readonly string[];
  readonly evidence: { readonly analysisId?: number | string; readonly statistics?: Readonly<Record<string, unknown>> };
}

interface DocumentRow {
  version: string;
  status: 'draft' | 'published';
  based_on: string | null;
  document: string;
  created_at: string;
  created_by: string;
  published_at: string | null;
  revision_requests: string | null;
}

export async function findInstrumentDocument(db: Db, version: string): Promise<StoredDocument | undefined> {
  const row: DocumentRow | undefined = await db('instrument_documents').where({ version }).first();
  if (!row) return undefined;
  return {
    version: row.version,
    status: row.status,
    basedOn: row.based_on,
    document: JSON.parse(row.document),
    createdAt: row.created_at,
    createdBy: row.created_by,
    publishedAt: row.published_at,
    revisionRequests: row.revision_requests ? JSON.parse(row.revision_requests) : [],
  };
}

/** Every stored version document's id and status, oldest first. */
export async function listInstrumentDocuments(db: Db): Promise<{ version: string; status: string; basedOn: string | null }[]> {
  const rows: DocumentRow[] = await db('instrument_documents').select('version', 'status', 'based_on').orderBy('created_at').orderBy('version');
  return rows.map((r) => ({ version: r.version, status: r.status, basedOn: r.based_on }));
}

/** True when `version` names a stored version, published or draft. */
export async function instrumentVersionTaken(db: Db, version: string): Promise<boolean> {
  const [published, document] = await Promise.all([
    db('instrument_versions').where({ version }).first('version'),
    db('instrument_documents').where({ version }).first('version'),
  ]);
  return published !== undefined || document !== undefined;
}

/** Stores a version document; false when the id is taken (a concurrent create won). */
export async function insertInstrumentDocument(
  db: Db,
  doc: { version: string; status: 'draft' | 'published'; basedOn: string | null; document: unknown; createdAt: string; createdBy: string; publishedAt: string | null; revisionRequests?: readonly RevisionRequest[] },
): Promise<boolean> {
  const inserted = await db('instrument_documents')
    .insert({
      version: doc.version,
      status: doc.status,
      based_on: doc.basedOn,
      document: JSON.stringify(doc.document),
      created_at: doc.createdAt,
      created_by: doc.createdBy,
      published_at: doc.publishedAt,
      revision_requests: doc.revisionRequests?.length ? JSON.stringify(doc.revisionRequests) : null,
    })
    .onConflict('version')
    .ignore()
    .returning('version');
  return inserted.length > 0;
}

/**
 * Publishes a draft: its document (now carrying the publication date) is frozen and the version
 * joins `instrument_versions`. False when it is not a draft any more (a concurrent publish won).
 */
export async function markPublished(db: Db, version: string, document: unknown, at: string): Promise<boolean> {
  const changed = await db('instrument_documents')
    .where({ version, status: 'draft' })
    .update({ status: 'published', document: JSON.stringify(document), published_at: at });
  return changed > 0;
}

/** Rewrites a draft's document; false when it is not a draft (published meanwhile, or unknown). */
export async function updateDraftDocument(db: Db, version: string, document: unknown): Promise<boolean> {
  const changed = await db('instrument_documents').where({ version, status: 'draft' }).update({ document: JSON.stringify(document) });
  return changed > 0;
}
