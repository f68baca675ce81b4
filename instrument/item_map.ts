import type { Cell } from './model.js';
import type { ScaleId } from './item.js';
import type { InstrumentVersion } from './version.js';

/** shared/CONTRACT.md's `score` map: which cell each SEI-CI item column measures and its keying. */
export interface ItemMap {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: Readonly<Record<string, { readonly cell: Cell; readonly reverse: boolean }>>;
}

/** The `score` item map of a version's SEI-CI items (supplementary items are not scored into cells). */
export function itemMap(version: InstrumentVersion): ItemMap {
  const items: Record<string, { cell: Cell; reverse: boolean }> = {};
  for (const item of version.items) if (item.cell !== null) items[item.id] = { cell: item.cell, reverse: item.reverse };
  return { scaleMin: version.scaleMin, scaleMax: version.scaleMax, items };
}

/** The items of one rated supplementary scale with their keying, for scale scores (mean of keyed items). */
export interface ScaleKeys {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: Readonly<Record<string, { readonly reverse: boolean }>>;
}

/**
 * The keying of each rated supplementary scale of a version (dynamism, relational
 * coordination, the two visibility types); the nominal interface-role item is left out.
 * A scale score is then the mean of its items after reverse-keying `min + max - x`.
 */
export function supplementaryScaleKeys(version: InstrumentVersion): Readonly<Partial<Record<ScaleId, ScaleKeys>>> {
  const out: Partial<Record<ScaleId, { scaleMin: number; scaleMax: number; items: Record<string, { reverse: boolean }> }>> = {};
  for (const item of version.items) {
    if (item.scale === 'seici' || version.responseFormats[item.response]?.nominal) continue;
    const keys = (out[item.scale] ??= { scaleMin: item.scaleMin, scaleMax: item.scaleMax, items: {} });
    keys.items[item.id] = { reverse: item.reverse };
  }
  return out;
}
