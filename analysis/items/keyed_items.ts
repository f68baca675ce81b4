import { InputError } from '../errors.js';
import { observedRange, reverseKey } from '../data/reverse_key.js';

/** The scale an item set is scored on, and where its bounds came from. */
export interface ItemScale {
  readonly min: number;
  readonly max: number;
  /** `given` when both bounds were stated by the caller, `observed` when both come from the data, else `mixed`. */
  readonly source: 'given' | 'observed' | 'mixed';
}

/** Items after reverse keying: the keyed data matrix and the scale used to key it. */
export interface KeyedItems {
  readonly data: number[][];
  readonly scale: ItemScale;
  readonly reverse: readonly string[];
}

export interface KeyItemsOptions {
  /** Column names, one per data column, for messages. */
  readonly items: readonly string[];
  /** Names (a subset of `items`) of the reverse-worded items. */
  readonly reverse?: readonly string[];
  /** Lowest possible answer; when left out, the smallest value over all the items. */
  readonly scaleMin?: number;
  /** Highest possible answer; when left out, the largest value over all the items. */
  readonly scaleMax?: number;
}

/**
 * Keys an item set so that a high value means more of the construct on every item:
 * reverse-worded items become `min + max − x`. The bounds are the stated scale bounds, or,
 * when left out, the smallest and largest value over every row and every selected item
 * (before any row is dropped for missing values), which is what psych::alpha 2.2.9 does when
 * it is given `keys`. With stated bounds, an answer outside them is an input error naming its
 * row (1 = the first data row) and column.
 */
export function keyItems(data: readonly (readonly number[])[], options: KeyItemsOptions): KeyedItems {
  const { items, reverse = [], scaleMin, scaleMax } = options;
  const p = items.length;
  for (const [r, row] of data.entries()) {
    if (row.length !== p) {
      throw new InputError('items', `row ${r + 1} has ${row.length} values for ${p} items.`);
    }
  }
  const columns = reverse.map((name) => {
    const j = items.indexOf(name);
    if (j < 0) {
      throw new InputError('reverse', `reverse names "${name}", which is not one of the items (${items.join(', ')}).`);
    }
    return j;
  });
  if (new Set(columns).size !== columns.length) {
    throw new InputError('reverse', 'reverse names the same item twice.');
  }
  for (const [flag, v] of [['scaleMin', scaleMin], ['scaleMax', scaleMax]] as const) {
    if (v !== undefined && !Number.isFinite(v)) throw new InputError(flag, `${flag} must be a finite number; got ${v}.`);
  }
  const observed = observedRange(data);
  const min = scaleMin ?? observed.min;
  const max = scaleMax ?? observed.max;
  if (scaleMin !== undefined && scaleMax !== undefined && !(scaleMax > scaleMin)) {
    throw new InputError('scaleMax', `the scale maximum (${scaleMax}) must be larger than the scale minimum (${scaleMin}).`);
  }
  if (scaleMin !== undefined || scaleMax !== undefined) checkBounds(data, items, min, max, scaleMin !== undefined, scaleMax !== undefined);
  const source = scaleMin !== undefined && scaleMax !== undefined ? 'given' : scaleMin === undefined && scaleMax === undefined ? 'observed' : 'mixed';
  const scale: ItemScale = { min, max, source };
  if (columns.length > 0 && !(Number.isFinite(min) && Number.isFinite(max))) {
    throw new InputError('data', 'no row answers any of the items, so there is no scale to reverse-key on.');
  }
  if (columns.length === 0) return { data: data.map((row) => row.slice()), scale, reverse: [] };
  if (!(max > min)) {
    throw new InputError('reverse', `every answer to the items is ${min}, so there is no scale to reverse-key on.`);
  }
  return { data: reverseKey(data, columns, { min, max }), scale, reverse: [...reverse] };
}

function checkBounds(
  data: readonly (readonly number[])[],
  items: readonly string[],
  min: number,
  max: number,
  hasMin: boolean,
  hasMax: boolean,
): void {
  for (const [r, row] of data.entries()) {
    for (const [j, v] of row.entries()) {
      if (Number.isNaN(v)) continue;
      if (hasMin && v < min) {
        throw new InputError('scaleMin', `row ${r + 1}, column ${items[j]}: ${v} is below the scale minimum (${min}).`);
      }
      if (hasMax && v > max) {
        throw new InputError('scaleMax', `row ${r + 1}, column ${items[j]}: ${v} is above the scale maximum (${max}).`);
      }
    }
  }
}
