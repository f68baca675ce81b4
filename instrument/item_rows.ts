import type { InstrumentVersion } from './version.js';

/** One flat row per item, for CSV export and tables: `text_en`, `text_de`, ... per locale. */
export type ItemRow = Readonly<Record<string, string | number | boolean>>;

/** The items of a version as flat rows in questionnaire order (empty string where a field does not apply). */
export function itemRows(version: InstrumentVersion): ItemRow[] {
  return version.items.map((i) => ({
    id: i.id,
    scale: i.scale,
    cell: i.cell ?? '',
    reverse: i.reverse,
    response: i.response,
    scaleMin: i.scaleMin,
    scaleMax: i.scaleMax,
    ...Object.fromEntries(version.locales.map((l) => [`text_${l}`, i.text[l]])),
    revises: i.revises ?? '',
  }));
}
