import { eachCsvRecord, type CsvByteSource } from '../data/csv_records.js';

/**
 * A CSV format read one record at a time: given the file's header, it returns the reader of the
 * records under it (or throws an InputError naming a missing column); that reader turns one
 * record's fields into its results, or throws an InputError whose message starts with `where`
 * (`events line 7`). The same reader serves a whole file in memory ({@link readCsvRows}) and an
 * upload checked row by row as its bytes arrive (server/imports/csv_import_stream.ts), so every
 * caller reads a format, and words its errors, alike. A reader may keep state across records (a
 * value given twice); it records a row only once the row is accepted.
 */
export type CsvRowFormat<T> = (header: readonly string[]) => (fields: readonly string[], where: string) => T;

/**
 * Reads every record of `text` with `format`, in file order, each record named `<label> line
 * <n>`; the first bad record throws its InputError, so nothing is returned from a bad file.
 * `collect` receives each record's results.
 */
export function readCsvRows<T>(text: string | CsvByteSource, label: string, argument: string, format: CsvRowFormat<T>, collect: (result: T) => void): void {
  let row: ((fields: readonly string[], where: string) => T) | undefined;
  eachCsvRecord(
    text,
    label,
    argument,
    (header) => (row = format(header)),
    (fields, line) => collect(row!(fields, `${label} line ${line}`)),
  );
}
