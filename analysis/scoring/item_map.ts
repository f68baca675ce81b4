import { InputError } from '../errors.js';
import { CELLS, isCell, type Cell } from '../sei_model.js';

/** shared/CONTRACT.md `score` item map: each item column's cell and keying, and the scale's ends. */
export interface ItemMap {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: Readonly<Record<string, { readonly cell: Cell | string; readonly reverse?: boolean }>>;
}

/** An item map resolved against the columns of a response matrix. */
export interface ResolvedItemMap {
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** Column indices (into the response matrix) of each cell's items, in map order. */
  readonly cellColumns: Readonly<Record<Cell, readonly number[]>>;
  /** Column indices of reverse-keyed items. */
  readonly reverseColumns: readonly number[];
}

/**
 * Checks an item map (shape, scale, known cells, every cell measured) and finds its items
 * among `columns`. Every failure is an InputError naming `map` or the item.
 */
export function resolveItemMap(map: ItemMap, columns: readonly string[]): ResolvedItemMap {
  if (typeof map !== 'object' || map === null) throw new InputError('map', 'map must be an object with scaleMin, scaleMax and items.');
  const { scaleMin, scaleMax, items } = map;
  if (typeof scaleMin !== 'number' || !Number.isFinite(scaleMin) || typeof scaleMax !== 'number' || !Number.isFinite(scaleMax)) {
    throw new InputError('map', 'map.scaleMin and map.scaleMax must be numbers.');
  }
  if (!Number.isInteger(scaleMin) || !Number.isInteger(scaleMax)) {
    throw new InputError('map', `map.scaleMin and map.scaleMax must be whole numbers (response options); got ${scaleMin} and ${scaleMax}.`);
  }
  if (!(scaleMax > scaleMin)) throw new InputError('map', `map.scaleMax (${scaleMax}) must be larger than map.scaleMin (${scaleMin}).`);
  if (typeof items !== 'object' || items === null || Object.keys(items).length === 0) {
    throw new InputError('map', 'map.items must name at least one item per cell.');
  }
  const position = new Map(columns.map((c, i) => [c, i]));
  const cellColumns = Object.fromEntries(CELLS.map((c) => [c, [] as number[]])) as Record<Cell, number[]>;
  const reverseColumns: number[] = [];
  for (const [name, spec] of Object.entries(items)) {
    if (typeof spec !== 'object' || spec === null || typeof spec.cell !== 'string' || !isCell(spec.cell)) {
      throw new InputError('map', `map item "${name}" must have a cell among ${CELLS.join(', ')}.`);
    }
    if (spec.reverse !== undefined && typeof spec.reverse !== 'boolean') {
      throw new InputError('map', `map item "${name}": reverse must be true or false.`);
    }
    const j = position.get(name);
    if (j === undefined) throw new InputError('map', `map item "${name}" is not a column of the responses.`);
    cellColumns[spec.cell].push(j);
    if (spec.reverse === true) reverseColumns.push(j);
  }
  for (const c of CELLS) {
    if (cellColumns[c].length === 0) throw new InputError('map', `map has no item for cell ${c}.`);
  }
  return { scaleMin, scaleMax, cellColumns, reverseColumns };
}
