import { InputError } from '../errors.js';
import { columnsFromRows, rowsFromColumns, type NumericColumns } from '../data/columns.js';
import { observedColumnRange, reverseKeyColumns } from '../data/reverse_key.js';

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
 * row (1 = the first data row) and column. Rows × items; {@link keyItemColumns} keys column-stored data.
 */
export function keyItems(data: readonly (readonly number[])[], options: KeyItemsOptions): KeyedItems {
  const p = options.items.length;
  for (const [r, row] of data.entries()) {
    if (row.length !== p) {
      throw new InputError('items', `row ${r + 1} has ${row.length} values for ${p} items.`);
    }
  }
  const keyed = keyItemColumns(columnsFromRows(data, p), options);
  return { data: rowsFromColumns(keyed.data), scale: keyed.scale, reverse: keyed.reverse };
}

/** Items after reverse keying, column-stored. */
export interface KeyedItemColumns {
  readonly data: NumericColumns;
  readonly scale: ItemScale;
  readonly reverse: readonly string[];
}

/**
 * {@link keyItems} on column-stored data (one column per item, NaN missing): the same bounds,
 * checks and messages. A reversed item gets a new column; the others are the caller's, shared
 * and left unchanged.
 */
export function keyItemColumns(data: NumericColumns, options: KeyItemsOptions): KeyedItemColumns {
  const { items, reverse = [], scaleMin, scaleMax } = options;
  const p = items.length;
  if (data.columns.length !== p) throw new InputError('items', `the data have ${data.columns.length} columns for ${p} items.`);
  const length = data.length;
  const input = data.columns.map((col) => col.subarray(0, length));
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
  const observed = observedColumnRange(input);
  const min = scaleMin ?? observed.min;
  const max = scaleMax ?? observed.max;
  if (scaleMin !== undefined && scaleMax !== undefined && !(scaleMax > scaleMin)) {
    throw new InputError('scaleMax', `the scale maximum (${scaleMax}) must be larger than the scale minimum (${scaleMin}).`);
  }
  if (scaleMin !== undefined || scaleMax !== undefined) checkBounds(input, length, items, min, max, scaleMin !== undefined, scaleMax !== undefined);
  const source = scaleMin !== undefined && scaleMax !== undefined ? 'given' : scaleMin === undefined && scaleMax === undefined ? 'observed' : 'mixed';
  const scale: ItemScale = { min, max, source };
  if (columns.length > 0 && !(Number.isFinite(min) && Number.isFinite(max))) {
    throw new InputError('data', 'no row answers any of the items, so there is no scale to reverse-key on.');
  }
  if (columns.length === 0) return { data: { length, columns: input }, scale, reverse: [] };
  if (!(max > min)) {
    throw new InputError('reverse', `every answer to the items is ${min}, so there is no scale to reverse-key on.`);
  }
  const keyed = input.map((col, j) => (columns.includes(j) ? Float64Array.from(col) : col));
  reverseKeyColumns(keyed, columns, { min, max });
  return { data: { length, columns: keyed }, scale, reverse: [...reverse] };
}

/** The first answer (row by row, then column by column) outside the stated bounds is an InputError. */
function checkBounds(
  columns: readonly Float64Array[],
  length: number,
  items: readonly string[],
  min: number,
  max: number,
  hasMin: boolean,
  hasMax: boolean,
): void {
  let first = length;
  for (const col of columns) {
    for (let i = 0; i < first; i++) {
      const v = col[i];
      if ((hasMin && v < min) || (hasMax && v > max)) {
        first = i;
        break;
      }
    }
  }
  if (first === length) return;
  for (const [j, col] of columns.entries()) {
    const v = col[first];
    if (hasMin && v < min) {
      throw new InputError('scaleMin', `row ${first + 1}, column ${items[j]}: ${v} is below the scale minimum (${min}).`);
    }
    if (hasMax && v > max) {
      throw new InputError('scaleMax', `row ${first + 1}, column ${items[j]}: ${v} is above the scale maximum (${max}).`);
    }
  }
}
