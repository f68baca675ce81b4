import { InputError } from '../analysis/errors.js';
import { SCALE_PREFIXES, SCALES, type Item, type ScaleInfo } from './item.js';
import type { Locale, Localized } from './locale.js';
import { CELLS, isCell, type Cell } from './model.js';
import type { ResponseFormat } from './response_format.js';

/** The fewest items a cell may keep in any version (a cell score needs at least half answered). */
export const MIN_ITEMS_PER_CELL = 3;

/**
 * What led to a change: the stored analysis run that flagged the item and the statistics it
 * flagged it with (`{iCvi: 0.56, cvr: -0.33}`, `{loading: 0.21}`), kept with the change for ever.
 */
export interface ChangeEvidence {
  readonly analysisId?: number | string;
  readonly statistics?: Readonly<Record<string, number | string | boolean | null>>;
}

/** One change from the version an instrument version is based on. */
export type VersionChange =
  | { readonly kind: 'retire'; readonly itemId: string; readonly reason: string; readonly evidence?: ChangeEvidence }
  | {
      readonly kind: 'revise';
      readonly itemId: string;
      /** The revision's id; defaults to the next unused number of the item's cell or scale. */
      readonly newId?: string;
      readonly text?: Partial<Localized>;
      readonly reverse?: boolean;
      readonly reason: string;
      readonly evidence?: ChangeEvidence;
    }
  | { readonly kind: 'add'; readonly item: Item; readonly reason: string; readonly evidence?: ChangeEvidence };

/**
 * A published instrument version: the items respondents answer, in order, with their
 * response formats and scales. Immutable (deep-frozen) once published; a later version is
 * derived from it with `deriveVersion`, which records the changes and the carried-over items.
 */
export interface InstrumentVersion {
  readonly id: string;
  /** ISO date of publication. */
  readonly published: string;
  readonly title: Localized;
  readonly locales: readonly Locale[];
  /** The range of the SEI-CI items (the `score` map's scaleMin/scaleMax). */
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly responseFormats: Readonly<Record<string, ResponseFormat>>;
  readonly scales: readonly ScaleInfo[];
  readonly items: readonly Item[];
  /** The version this one was derived from, or null for the first. */
  readonly basedOn: string | null;
  readonly changes: readonly VersionChange[];
  /** Ids of the base version's items that this version keeps unchanged. */
  readonly carriedOver: readonly string[];
  /** Every id retired or replaced in this version or an earlier one; never reused. */
  readonly retiredIds: readonly string[];
}

const SEI_ID = /^(SxA|SxC|SxV|RxA|RxC|RxV|TxA|TxC|TxV)_([1-9][0-9]*)$/;

/** Checks an instrument version's invariants and throws an InputError naming the first problem. */
export function validateVersion(v: InstrumentVersion): void {
  const where = `instrument version ${v.id}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.id)) throw new InputError('version', `Instrument version id "${v.id}" may hold only letters, digits, ".", "_" and "-".`);
  const seen = new Set<string>();
  const retired = new Set(v.retiredIds);
  for (const item of v.items) {
    if (seen.has(item.id)) throw new InputError('items', `${where} has item id ${item.id} twice.`);
    seen.add(item.id);
    if (retired.has(item.id)) throw new InputError('items', `${where} reuses the retired item id ${item.id}.`);
    if (!(SCALES as readonly string[]).includes(item.scale)) throw new InputError('items', `Item ${item.id} has an unknown scale "${item.scale}".`);
    if (item.scale === 'seici') {
      const m = SEI_ID.exec(item.id);
      if (!m || item.cell === null || !isCell(item.cell) || m[1] !== item.cell) {
        throw new InputError('items', `SEI-CI item ${item.id} must have an id of the form <cell>_<number> matching its cell (${item.cell}).`);
      }
    } else {
      const prefix = SCALE_PREFIXES[item.scale];
      if (item.cell !== null) throw new InputError('items', `Supplementary item ${item.id} must not name a cell.`);
      if (item.id !== prefix && !new RegExp(`^${prefix}_[1-9][0-9]*$`).test(item.id)) {
        throw new InputError('items', `Item ${item.id} of scale ${item.scale} must have the id ${prefix} or ${prefix}_<number>.`);
      }
    }
    const format = v.responseFormats[item.response];
    if (!format) throw new InputError('items', `Item ${item.id} uses the unknown response format "${item.response}".`);
    if (format.min !== item.scaleMin || format.max !== item.scaleMax) {
      throw new InputError('items', `Item ${item.id}'s range ${item.scaleMin}-${item.scaleMax} differs from its response format's ${format.min}-${format.max}.`);
    }
    if (item.scale === 'seici' && (item.scaleMin !== v.scaleMin || item.scaleMax !== v.scaleMax)) {
      throw new InputError('items', `SEI-CI item ${item.id} must use the version's range ${v.scaleMin}-${v.scaleMax}.`);
    }
    for (const locale of v.locales) {
      if (typeof item.text[locale] !== 'string' || item.text[locale].trim() === '') {
        throw new InputError('items', `Item ${item.id} has no ${locale} text.`);
      }
    }
  }
  for (const cell of CELLS) {
    const n = v.items.filter((i) => i.cell === cell).length;
    if (n < MIN_ITEMS_PER_CELL) throw new InputError('items', `${where} has ${n} items in cell ${cell}; each cell needs at least ${MIN_ITEMS_PER_CELL}.`);
  }
  for (const format of Object.values(v.responseFormats)) {
    for (const locale of v.locales) {
      for (const a of format.anchors) {
        if (!a.label[locale]) throw new InputError('responseFormats', `Response format ${format.id} has no ${locale} label for ${a.value}.`);
      }
    }
  }
  for (const scale of v.scales) {
    for (const locale of v.locales) {
      if (!scale.name[locale] || !scale.instructions[locale]) throw new InputError('scales', `Scale ${scale.id} has no ${locale} name or instructions.`);
    }
  }
}

/** Validates a version and deep-freezes it: from here on it cannot change. */
export function publishVersion(v: InstrumentVersion): InstrumentVersion {
  validateVersion(v);
  return deepFreeze(structuredClone(v));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value as object)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The SEI-CI items of a version, in questionnaire order. */
export function seiItems(version: InstrumentVersion): readonly Item[] {
  return version.items.filter((i) => i.scale === 'seici');
}

/** The items of a version grouped by SEI cell. */
export function itemsByCell(version: InstrumentVersion): Readonly<Record<Cell, readonly Item[]>> {
  return Object.fromEntries(CELLS.map((c) => [c, version.items.filter((i) => i.cell === c)])) as Record<Cell, Item[]>;
}

/** The item with `id` in `version`, or an InputError naming it. */
export function findItem(version: InstrumentVersion, id: string): Item {
  const item = version.items.find((i) => i.id === id);
  if (!item) throw new InputError('itemId', `Instrument version ${version.id} has no item "${id}".`);
  return item;
}

