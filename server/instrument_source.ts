import { INSTRUMENT_VERSIONS, buildQuestionnaire, type InstrumentVersion, type Locale, type SurveyJson } from '../instrument/index.js';
import type { Db } from './db.js';
import { insertInstrumentVersionIfAbsent } from './queries/instruments.js';

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
    })),
  };
}

/**
 * Stores every instrument version shipped in instrument/ that the database does not hold yet.
 * A stored version is never rewritten: waves pin versions, and a published version is immutable.
 */
export async function publishBundledInstruments(db: Db, at: string): Promise<void> {
  for (const v of INSTRUMENT_VERSIONS) await insertInstrumentVersionIfAbsent(db, definitionOf(v), at);
}

/** The SurveyJS questionnaire of a version in the wave's locales (the first shown first), or undefined for a version not shipped. */
export function questionnaire(version: string, locales: readonly string[], minGroupSize: number): SurveyJson | undefined {
  const v = INSTRUMENT_VERSIONS.find((x) => x.id === version);
  if (!v) return undefined;
  return buildQuestionnaire(v, locales as Locale[], { minGroupSize });
}
