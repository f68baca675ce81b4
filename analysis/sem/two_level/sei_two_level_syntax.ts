import { CELLS, type Cell } from '../../sei_model.js';
import { seiItemCellsFromMap, seiModelSyntax, type SeiItemCell } from '../sei_model_syntax.js';

/** How the loadings of the two levels relate. */
export interface SeiTwoLevelOptions {
  /**
   * Equal loadings at both levels (one label per item): the unit-level factor is the same
   * construct as the person-level one, aggregated (cross-level invariance; Jak, 2019,
   * doi:10.1080/10705511.2018.1534205). Default false: configural, the levels' loadings free.
   */
  readonly equalLoadings?: boolean;
}

/**
 * lavaan syntax for the SEI-CI nine-cell model at both levels of a two-level CFA: at level 1
 * (respondents within units) nine correlated cell factors `SxA_w` … `TxV_w`, at level 2 (units)
 * nine correlated cell factors `SxA_b` … `TxV_b`, each measured by its cell's items; the first
 * loading of each factor is fixed to 1 at both levels, and with `equalLoadings` every other
 * loading carries the label `l_<item>` at both levels (Muthén, 1994; Dyer, Hanges & Hall, 2005,
 * doi:10.1016/j.leaqua.2004.09.009). Items, cells and their checks as seiModelSyntax "cells".
 */
export function seiTwoLevelSyntax(items: readonly SeiItemCell[], options: SeiTwoLevelOptions = {}): string {
  seiModelSyntax(items, 'cells'); // validates items and cells exactly as the single-level model
  const byCell = new Map<Cell, string[]>();
  for (const { item, cell } of items) {
    if (!byCell.has(cell)) byCell.set(cell, []);
    byCell.get(cell)!.push(item);
  }
  const used = CELLS.filter((c) => byCell.has(c));
  const level = (suffix: string) =>
    used.map((c) => {
      const list = byCell.get(c)!;
      const terms = list.map((item, k) => (options.equalLoadings && k > 0 ? `l_${item}*${item}` : item));
      return `  ${c}_${suffix} =~ ${terms.join(' + ')}`;
    });
  const what = options.equalLoadings ? 'equal loadings across levels' : 'configural across levels';
  return [`# SEI-CI cell factors at both levels (${what})`, 'level: 1', ...level('w'), 'level: 2', ...level('b')].join('\n') + '\n';
}

/** The same from a `score` item map ({items: {name: {cell}}}). */
export function seiTwoLevelFromItemMap(map: { readonly items?: Readonly<Record<string, { readonly cell?: unknown }>> }, options: SeiTwoLevelOptions = {}): string {
  return seiTwoLevelSyntax(seiItemCellsFromMap(map), options);
}
