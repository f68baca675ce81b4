import type { Item } from './item.js';
import type { InstrumentVersion } from './version.js';

/** What changed between two instrument versions, item by item. */
export interface VersionComparison {
  readonly from: string;
  readonly to: string;
  /** Items with the same id, wording, keying and format in both. */
  readonly unchanged: readonly string[];
  /** Items of `to` that revise an item of `from` (by their `revises` chain). */
  readonly revised: readonly { readonly from: string; readonly to: string }[];
  /** Items of `from` that are gone from `to` and were not revised. */
  readonly retired: readonly string[];
  /** Items of `to` that are new and revise nothing in `from`. */
  readonly added: readonly string[];
  /** Items whose id is in both but whose content differs (only possible between unrelated versions). */
  readonly conflicting: readonly string[];
}

/**
 * Compares an instrument version with a later one. Two items are the same when id, cell,
 * scale, keying, response format and every text agree. A revision is followed through
 * `revises` links; pass the versions in between as `history` so that v1 -> v3 shows
 * SxA_3 -> SxA_10 when v2 had the intermediate SxA_9.
 */
export function compareVersions(
  from: InstrumentVersion,
  to: InstrumentVersion,
  history: readonly InstrumentVersion[] = [],
): VersionComparison {
  const fromById = new Map(from.items.map((i) => [i.id, i]));
  const toById = new Map(to.items.map((i) => [i.id, i]));
  const unchanged: string[] = [];
  const conflicting: string[] = [];
  for (const item of from.items) {
    const other = toById.get(item.id);
    if (other) (sameItem(item, other) ? unchanged : conflicting).push(item.id);
  }
  const lineage = new Map<string, string>();
  for (const v of [from, to, ...history]) for (const i of v.items) if (i.revises) lineage.set(i.id, i.revises);
  const revised: { from: string; to: string }[] = [];
  const revisedFrom = new Set<string>();
  const added: string[] = [];
  for (const item of to.items) {
    if (fromById.has(item.id)) continue;
    let ancestor = item.revises;
    const seen = new Set<string>();
    while (ancestor && !fromById.has(ancestor) && !seen.has(ancestor)) {
      seen.add(ancestor);
      ancestor = lineage.get(ancestor);
    }
    if (ancestor && fromById.has(ancestor) && !toById.has(ancestor)) {
      revised.push({ from: ancestor, to: item.id });
      revisedFrom.add(ancestor);
    } else {
      added.push(item.id);
    }
  }
  const retired = from.items.filter((i) => !toById.has(i.id) && !revisedFrom.has(i.id)).map((i) => i.id);
  return { from: from.id, to: to.id, unchanged, revised, retired, added, conflicting };
}

function sameItem(a: Item, b: Item): boolean {
  return (
    a.cell === b.cell &&
    a.scale === b.scale &&
    a.reverse === b.reverse &&
    a.response === b.response &&
    a.scaleMin === b.scaleMin &&
    a.scaleMax === b.scaleMax &&
    JSON.stringify(a.text) === JSON.stringify(b.text)
  );
}
