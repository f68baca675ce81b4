import {
  INSTRUMENT_VERSIONS,
  buildQuestionnaire,
  parseInstrumentVersion,
  type InstrumentVersion,
  type Locale,
  type SurveyJson,
} from '../instrument/index.js';
import type { Db } from './db.js';
import { findInstrumentDocument, insertInstrumentDocument, insertInstrumentVersionIfAbsent, listInstrumentDocuments, type RevisionRequest } from './queries/instruments.js';

/** One item of a stored instrument version, as the API shows it and the server validates answers with. */
export interface InstrumentItemDefinition {
  readonly id: string;
  /** The SEI cell, for SEI-CI items; null for supplementary scales. */
  readonly cell: string | null;
  readonly scale: string;
  readonly reverse: boolean;
  readonly min: number;
  readonly max: number;
  readonly text: Readonly<Record<string, string>>;
  /** The item this one revises (a revision carries a new id), when it is a revision. */
  readonly revises?: string;
}

/** A published instrument version as stored in `instrument_versions` (immutable once stored). */
export interface InstrumentDefinition {
  readonly version: string;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly locales: readonly string[];
  readonly items: readonly InstrumentItemDefinition[];
}

export function definitionOf(v: InstrumentVersion): InstrumentDefinition {
  return {
    version: v.id,
    scaleMin: v.scaleMin,
    scaleMax: v.scaleMax,
    locales: [...v.locales],
    items: v.items.map((item) => ({
      id: item.id,
      cell: item.cell,
      scale: item.scale,
      reverse: item.reverse,
      min: item.scaleMin,
      max: item.scaleMax,
      text: { ...item.text },
      ...(item.revises === undefined ? {} : { revises: item.revises }),
    })),
  };
}

/**
 * Stores every instrument version shipped in instrument/ that the database does not hold yet,
 * both as the published definition waves reference and as the full version document.
 * A stored version is never rewritten: waves pin versions, and a published version is immutable.
 */
export async function publishBundledInstruments(db: Db, at: string): Promise<void> {
  for (const v of INSTRUMENT_VERSIONS) {
    await insertInstrumentVersionIfAbsent(db, definitionOf(v), at);
    await insertInstrumentDocument(db, {
      version: v.id,
      status: 'published',
      basedOn: v.basedOn,
      document: v,
      createdAt: at,
      createdBy: 'seici',
      publishedAt: at,
    });
  }
}

/** A stored instrument version in full, with whether it is still a draft. */
export interface SourcedInstrument {
  readonly version: InstrumentVersion;
  readonly status: 'draft' | 'published';
  readonly publishedAt: string | null;
  /** The items a draft was made to revise, with the reasons and evidence (empty when none). */
  readonly revisionRequests?: readonly RevisionRequest[];
}

/**
 * The full instrument version `id` as the database stores it (drafts included), else the one
 * shipped in instrument/ (a database made before versions were stored in full), else undefined.
 * The stored JSON is checked again on reading (parseInstrumentVersion), so a damaged row fails
 * loudly rather than serving a broken questionnaire.
 */
export async function loadInstrumentVersion(db: Db, id: string): Promise<SourcedInstrument | undefined> {
  const stored = await findInstrumentDocument(db, id);
  if (stored) return { version: parseInstrumentVersion(stored.document), status: stored.status, publishedAt: stored.publishedAt, revisionRequests: stored.revisionRequests };
  const shipped = INSTRUMENT_VERSIONS.find((x) => x.id === id);
  return shipped ? { version: shipped, status: 'published', publishedAt: shipped.published } : undefined;
}

/** Every stored version in full (drafts included) and every shipped one not stored, oldest first: the history that links revisions. */
export async function loadInstrumentHistory(db: Db): Promise<InstrumentVersion[]> {
  const stored = await listInstrumentDocuments(db);
  const versions: InstrumentVersion[] = [];
  for (const { version } of stored) {
    const loaded = await loadInstrumentVersion(db, version);
    if (loaded) versions.push(loaded.version);
  }
  for (const v of INSTRUMENT_VERSIONS) if (!versions.some((x) => x.id === v.id)) versions.unshift(v);
  return versions;
}

/** The SurveyJS questionnaire of a version in the wave's locales (the first shown first). */
export function questionnaire(version: InstrumentVersion, locales: readonly string[], minGroupSize: number): SurveyJson {
  return buildQuestionnaire(version, locales as Locale[], { minGroupSize });
}
