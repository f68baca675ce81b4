import { InputError } from '../errors.js';
import { CELLS, DIMENSIONS, DIMENSION_NAMES, LEVERS, LEVER_NAMES, type Cell } from '../sei_model.js';

/** The SEI-CI structures a scale developer confirms. */
export type SeiModelKind = 'cells' | 'dimensions' | 'levers' | 'bifactor';
/** Every SeiModelKind, in the order the CLI lists them. */
export const SEI_MODEL_KINDS: readonly SeiModelKind[] = ['cells', 'dimensions', 'levers', 'bifactor'];

/** One item of the instrument and the cell it measures. */
export interface SeiItemCell {
  readonly item: string;
  readonly cell: Cell;
}

/**
 * lavaan syntax for the SEI-CI's measurement models, from the instrument's {item, cell} pairs:
 * - `cells`: nine correlated cell factors (SxA … TxV), each measured by its items;
 * - `dimensions`: the cell factors as first-order factors under three correlated second-order
 *   dimensions (structural = SxA + SxC + SxV, relational, translational);
 * - `levers`: the same with second-order levers (accountability = SxA + RxA + TxA, communication,
 *   visibility);
 * - `bifactor`: a general SEI factor on every item plus nine orthogonal cell-specific factors,
 *   all factor covariances fixed to 0 (Reise, 2012, doi:10.1080/00273171.2012.715555).
 * Cells without items are left out (a second-order factor keeps the cells it has, and needs
 * at least two); a cell factor needs at least two items. Items keep the instrument's order.
 */
export function seiModelSyntax(items: readonly SeiItemCell[], kind: SeiModelKind = 'cells'): string {
  if (!SEI_MODEL_KINDS.includes(kind)) throw new InputError('kind', `kind must be one of ${SEI_MODEL_KINDS.join(', ')}; got "${kind}".`);
  const seen = new Set<string>();
  for (const { item, cell } of items) {
    if (!CELLS.includes(cell)) throw new InputError('items', `item ${item} names cell "${cell}", which is not one of ${CELLS.join(', ')}.`);
    if (!/^[A-Za-z.][A-Za-z0-9_.]*$/.test(item)) throw new InputError('items', `item "${item}" is not a name lavaan syntax can use (letters, digits, _ and .).`);
    if (seen.has(item)) throw new InputError('items', `item ${item} is listed twice.`);
    seen.add(item);
  }
  const byCell = new Map<Cell, string[]>();
  for (const c of CELLS) byCell.set(c, []);
  for (const { item, cell } of items) byCell.get(cell)!.push(item);
  const used = CELLS.filter((c) => byCell.get(c)!.length > 0);
  if (used.length === 0) throw new InputError('items', 'items must assign at least one item to a cell.');
  for (const c of used) {
    if (byCell.get(c)!.length < 2) throw new InputError('items', `cell ${c} has one item (${byCell.get(c)![0]}); a cell factor needs at least 2.`);
  }
  const lines: string[] = [];
  const cellLines = () => {
    for (const c of used) lines.push(`${c} =~ ${byCell.get(c)!.join(' + ')}`);
  };
  switch (kind) {
    case 'cells':
      lines.push('# nine correlated SEI cell factors');
      cellLines();
      break;
    case 'dimensions':
    case 'levers': {
      lines.push(`# SEI cell factors under second-order ${kind}`);
      cellLines();
      const groups = kind === 'dimensions' ? DIMENSIONS.map((d) => [DIMENSION_NAMES[d], used.filter((c) => c[0] === d)] as const) : LEVERS.map((l) => [LEVER_NAMES[l], used.filter((c) => c[2] === l)] as const);
      for (const [name, cells] of groups) {
        if (cells.length === 0) continue;
        if (cells.length < 2) throw new InputError('items', `the ${name} factor would have one cell (${cells[0]}); a second-order factor needs at least 2.`);
        lines.push(`${name} =~ ${cells.join(' + ')}`);
      }
      break;
    }
    case 'bifactor': {
      lines.push('# bifactor: a general SEI factor and orthogonal cell-specific factors');
      lines.push(`sei =~ ${used.flatMap((c) => byCell.get(c)!).join(' + ')}`);
      cellLines();
      const factors = ['sei', ...used];
      for (let i = 0; i < factors.length; i++) {
        const rest = factors.slice(i + 1);
        if (rest.length) lines.push(`${factors[i]} ~~ ${rest.map((f) => `0*${f}`).join(' + ')}`);
      }
      break;
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The same syntax from a shared/CONTRACT.md `score` item map ({items: {name: {cell, reverse}}}).
 * Reverse-keyed items stay as answered: their loadings come out negative.
 */
export function seiModelFromItemMap(map: { readonly items?: Readonly<Record<string, { readonly cell?: unknown }>> }, kind: SeiModelKind = 'cells'): string {
  return seiModelSyntax(seiItemCellsFromMap(map), kind);
}

/** The items and their cells of a `score` item map, checked: an input error names the item at fault. */
export function seiItemCellsFromMap(map: { readonly items?: Readonly<Record<string, { readonly cell?: unknown }>> }): SeiItemCell[] {
  if (typeof map !== 'object' || map === null || typeof map.items !== 'object' || map.items === null) {
    throw new InputError('map', 'map must be an object whose "items" names each item\'s cell.');
  }
  return Object.entries(map.items).map(([item, spec]) => {
    const cell = spec?.cell;
    if (typeof cell !== 'string' || !(CELLS as readonly string[]).includes(cell)) {
      throw new InputError('map', `map item "${item}" must have a cell among ${CELLS.join(', ')}.`);
    }
    return { item, cell: cell as Cell };
  });
}
