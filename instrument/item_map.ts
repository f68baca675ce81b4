import type { Cell } from './model.js';
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
