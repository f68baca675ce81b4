import { InputError } from '../analysis/errors.js';
import type { Item } from './item.js';
import { SCALE_PREFIXES } from './item.js';
import type { Localized } from './locale.js';
import { MIN_ITEMS_PER_CELL, publishVersion, type InstrumentVersion, type VersionChange } from './version.js';

export interface DeriveOptions {
  /** The new version's id; must differ from the base's. */
  readonly id: string;
  /** ISO date of publication. */
  readonly published: string;
  readonly title?: Localized;
  readonly changes: readonly VersionChange[];
  /**
   * A draft being written may change no item yet (one made from a pilot's verdicts that only ask
   * for new wording waits for it). Default false: a version must change at least one item.
   */
  readonly draft?: boolean;
}

/**
 * Derives and publishes a new instrument version from `base`: retired items are dropped,
 * revised items are replaced in place by a new item with a new id that records the one it
 * `revises`, added items are appended after the last item of their cell or scale. Every
 * base item that no change touches carries over unchanged and is listed in `carriedOver`.
 * The base is not modified (it is frozen). Ids never return: retired and revised ids are
 * accumulated in `retiredIds` and the new version may not use them. An InputError names the
 * change at fault by its index (`changes[2] (revise SxA_3): …`).
 */
export function deriveVersion(base: InstrumentVersion, options: DeriveOptions): InstrumentVersion {
  if (options.id === base.id) throw new InputError('id', `The new version needs an id other than its base's (${base.id}).`);
  if (options.changes.length === 0 && !options.draft) throw new InputError('changes', `Version ${options.id} must change at least one item of ${base.id}.`);
  const touched = new Set<string>();
  const baseIds = new Set(base.items.map((i) => i.id));
  const usedIds = new Set([...baseIds, ...base.retiredIds]);
  const retiredIds = [...base.retiredIds];
  let items: Item[] = [...base.items];

  const claim = (id: string, what: string): void => {
    if (usedIds.has(id)) throw new InputError('changes', `${what} cannot use the id ${id}: it is already taken in ${base.id} or retired.`);
    usedIds.add(id);
  };

  const removedFrom = new Map<string, number>();
  options.changes.forEach((change, index) => {
    const label = `changes[${index}] (${change.kind} ${change.kind === 'add' ? change.item?.id : change.itemId})`;
    try {
      applyChange(change, index);
    } catch (err) {
      if (err instanceof InputError) throw new InputError('changes', `${label}: ${err.message}`);
      throw err;
    }
  });

  function requireTexts(text: Partial<Localized>, id: string): void {
    for (const locale of base.locales) {
      if (typeof text[locale] !== 'string' || text[locale]!.trim() === '') throw new InputError('changes', `Item ${id} has no ${locale} text.`);
    }
  }

  function applyChange(change: VersionChange, index: number): void {
    if (change.kind === 'add') {
      const added = change.item;
      if (added.scale === 'seici' && (added.cell === null || !new RegExp(`^${added.cell}_[1-9][0-9]*$`).test(added.id))) {
        throw new InputError('changes', `SEI-CI item ${added.id} must have an id of the form <cell>_<number> matching its cell (${added.cell}).`);
      }
      requireTexts(change.item.text, change.item.id);
      claim(change.item.id, `The added item ${change.item.id}`);
      const last = lastIndexOfGroup(items, change.item);
      items.splice(last + 1, 0, { ...change.item });
      return;
    }
    if (!baseIds.has(change.itemId)) throw new InputError('changes', `${base.id} has no item "${change.itemId}" to ${change.kind}.`);
    if (touched.has(change.itemId)) throw new InputError('changes', `Item ${change.itemId} is changed twice in ${options.id}.`);
    touched.add(change.itemId);
    retiredIds.push(change.itemId);
    const at = items.findIndex((i) => i.id === change.itemId);
    const old = items[at];
    if (change.kind === 'retire') {
      items.splice(at, 1);
      if (old.cell !== null) removedFrom.set(old.cell, index);
    } else {
      const newId = change.newId ?? nextId(old, usedIds);
      claim(newId, `The revision of ${old.id}`);
      const text = { ...old.text, ...change.text } as Localized;
      const reverse = change.reverse ?? old.reverse;
      if (reverse === old.reverse && Object.keys(text).every((k) => text[k as keyof Localized] === old.text[k as keyof Localized])) {
        throw new InputError('changes', `The revision of ${old.id} changes neither its text nor its keying.`);
      }
      requireTexts(text, newId);
      items[at] = { ...old, id: newId, text, reverse, revises: old.id };
    }
  }
  for (const [cell, index] of removedFrom) {
    const n = items.filter((i) => i.cell === cell).length;
    if (n < MIN_ITEMS_PER_CELL) {
      const c = options.changes[index] as { itemId: string };
      throw new InputError(
        'changes',
        `changes[${index}] (retire ${c.itemId}): instrument version ${options.id} has ${n} items in cell ${cell}; each cell needs at least ${MIN_ITEMS_PER_CELL}.`,
      );
    }
  }
  items = items.map((i) => ({ ...i }));

  return publishVersion({
    ...base,
    id: options.id,
    published: options.published,
    title: options.title ?? base.title,
    items,
    basedOn: base.id,
    changes: options.changes,
    carriedOver: base.items.filter((i) => !touched.has(i.id)).map((i) => i.id),
    retiredIds,
  });
}

function groupOf(item: Item): string {
  return item.cell ?? item.scale;
}

function lastIndexOfGroup(items: readonly Item[], item: Item): number {
  for (let i = items.length - 1; i >= 0; i--) if (groupOf(items[i]) === groupOf(item)) return i;
  return items.length - 1;
}

/** The next `<prefix>_<n>` id after every id of the same cell or scale ever used. */
function nextId(item: Item, used: ReadonlySet<string>): string {
  const prefix = item.cell ?? SCALE_PREFIXES[item.scale as Exclude<typeof item.scale, 'seici'>];
  let n = 0;
  for (const id of used) {
    const m = new RegExp(`^${prefix}_(\\d+)$`).exec(id);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return `${prefix}_${n + 1}`;
}
