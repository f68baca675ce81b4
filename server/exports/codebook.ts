import type { InstrumentVersion } from '../../instrument/index.js';
import type { DatasetVariable } from './dataset.js';

/** What an empty cell of each fixed column means; every item's empty cell is a skipped item. */
const EMPTY_MEANS: Readonly<Record<string, string>> = {
  wave: '',
  unit: '',
  context: 'no context, or one shared by fewer than k rows of the unit',
  role: 'no role given, or one shared by fewer than k rows of the unit',
  locale: 'a locale shared by fewer than k rows of the unit',
};

/**
 * The codebook's variable table: one row per column of the export, with its type, the decimals
 * written, its measurement level, the name of its value-label set (see codebookValueRows), its
 * missing codes, what an empty cell means and its label; for items also the SEI cell or scale,
 * keying and range. Every column has one meaning (a table of its own for value labels).
 */
export function codebookVariableRows(variables: readonly DatasetVariable[], instrument: InstrumentVersion): string[][] {
  const items = new Map(instrument.items.map((i) => [i.id, i]));
  const header = ['column', 'type', 'cell', 'scale', 'reverse', 'min', 'max', 'decimals', 'measure', 'value_labels', 'missing_codes', 'empty_means', 'label'];
  const rows = variables.map((v) => {
    const item = items.get(v.name);
    return [
      v.name,
      v.kind,
      item?.cell ?? '',
      item?.scale ?? '',
      item ? String(item.reverse) : '',
      item ? String(item.scaleMin) : '',
      item ? String(item.scaleMax) : '',
      v.kind === 'text' ? '' : String(v.decimals),
      v.measure,
      v.labelSet ?? '',
      v.missingCodes.join(' '),
      item ? 'skipped (no answer)' : (EMPTY_MEANS[v.name] ?? ''),
      v.label,
    ];
  });
  return [header, ...rows];
}

/**
 * The codebook's value-label table: one row per labelled value of each value-label set (the
 * anchors of each response scale, and the not-applicable code), with whether the value is a
 * missing code. Each set is listed once, however many columns use it.
 */
export function codebookValueRows(variables: readonly DatasetVariable[]): string[][] {
  const rows: string[][] = [['value_labels', 'value', 'label', 'missing']];
  const seen = new Set<string>();
  for (const v of variables) {
    if (v.labelSet === null || seen.has(v.labelSet)) continue;
    seen.add(v.labelSet);
    for (const l of v.valueLabels) rows.push([v.labelSet, String(l.value), l.label, String(v.missingCodes.includes(l.value))]);
  }
  return rows;
}
