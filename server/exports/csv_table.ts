import { spreadsheetCsv } from '../spreadsheet_csv.js';
import type { Dataset, DatasetValue, DatasetVariable } from './dataset.js';

/**
 * The UTF-8 byte-order mark. Excel opens a CSV without it in the system's legacy code page
 * (umlauts and "×" come out garbled); with it, as UTF-8. R's read.csv(fileEncoding = "UTF-8-BOM"),
 * readr, pandas (encoding="utf-8-sig"), SPSS and LibreOffice skip it.
 */
export const UTF8_BOM = '\uFEFF';

/** One table as CSV for people to open: a header row, RFC 4180 quoting, every text cell inert, a UTF-8 BOM. */
export function tableCsv(rows: readonly (readonly unknown[])[]): string {
  return UTF8_BOM + spreadsheetCsv(rows);
}

/**
 * A number as an export writes it: `decimals` places, rounded half away from zero at that place
 * (so 2.345 → 2.35 at 2 places, as a reader expects), no exponent, no "-0". Non-finite is empty.
 */
export function formatNumber(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return '';
  const scale = 10 ** decimals;
  // Nudge by a few ulps so that decimal halves stored just below (2.345 = 2.34499…) round up.
  const scaled = Math.abs(x) * scale;
  const rounded = Math.sign(x) * Math.round(scaled * (1 + 4 * Number.EPSILON));
  const text = (rounded / scale).toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A data set's cell as CSV text: integers as written, decimals at the variable's precision, empty for no value. */
export function formatCell(v: DatasetValue, variable: DatasetVariable): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  return variable.kind === 'decimal' ? formatNumber(v, variable.decimals) : String(v);
}

/** A data set as one CSV table: the variable names, then one line per row. */
export function datasetCsv(ds: Dataset): string {
  return tableCsv([ds.variables.map((v) => v.name), ...ds.rows.map((row) => row.map((v, j) => formatCell(v, ds.variables[j])))]);
}
