import { stringify } from 'csv-stringify/sync';

/** Whether a cell is a number as written (then a leading minus is a sign, not a formula). */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A text cell made inert for spreadsheets: a cell that starts with =, +, -, @, tab or carriage
 * return is read as a formula by Excel, LibreOffice and Google Sheets (CSV injection, OWASP),
 * so it gets a leading apostrophe, which the spreadsheet shows as text. Numbers are left as
 * they are, so R and SPSS still read numeric columns.
 */
export function inertCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  if (NUMBER.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Rows as CSV with every text cell made inert (see inertCell); the one way the server writes CSV for people to open. */
export function spreadsheetCsv(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows.map((r) => r.map(inertCell)));
}
