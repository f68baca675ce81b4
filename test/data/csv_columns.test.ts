import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../analysis/errors.js';
import { csvBytesHeader, readCsvColumns } from '../../analysis/data/csv_columns.js';
import { labelsOf } from '../../analysis/data/columns.js';
import { readCsv } from '../../cli/io/csv.js';

/**
 * The in-memory CSV reader of the browser analysis page reads what the command line's streaming
 * reader reads, column for column, and refuses bad input with the same sentences.
 */
const dir = mkdtempSync(join(tmpdir(), 'seici-csv-columns-'));
const unlimited = { bytes: Number.MAX_SAFE_INTEGER, source: 'test' };

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('readCsvColumns (bytes in memory)', () => {
  it('reads a fixture exactly as the streaming reader of the command line does', () => {
    const path = resolve('test/fixtures/hs1939.csv');
    const bytes = new Uint8Array(readFileSync(path));
    const items = ['x1', 'x2', 'x3', 'x9'];
    const request = { numbers: [{ names: items, argument: '--items' }], texts: [{ names: ['school'], argument: '--group' }] };
    const mine = readCsvColumns(bytes, 'the file hs1939.csv', request);
    const cli = readCsv(path, { ...request, memory: unlimited });
    expect(mine.length).toBe(301);
    expect(mine.length).toBe(cli.length);
    for (const item of items) expect(Array.from(mine.number(item))).toEqual(Array.from(cli.number(item)));
    expect(labelsOf(mine.text('school'))).toEqual(labelsOf(cli.text('school')));
    expect(csvBytesHeader(bytes, 'x').columns).toEqual(['id', 'sex', 'ageyr', 'agemo', 'school', 'grade', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']);
  });

  it('counts rows with and without a final line break, skipping empty lines, and reads quoted fields', () => {
    const text = 'a,b\n1,"x, ""y"""\n\n2,NA\r\n3,';
    const read = readCsvColumns(new TextEncoder().encode(text), 'the file t.csv', { numbers: [{ names: ['a'], argument: 'items' }], texts: [{ names: ['b'], argument: 'group' }] });
    expect(read.length).toBe(3);
    expect(Array.from(read.number('a'))).toEqual([1, 2, 3]);
    expect(labelsOf(read.text('b'))).toEqual(['x, "y"', null, null]);
    expect(csvBytesHeader(new TextEncoder().encode('a,b\n1,2\n'), 'x').lines).toBe(2);
    expect(csvBytesHeader(new TextEncoder().encode('a,b\n1,2'), 'x').lines).toBe(2);
  });

  it('names the row and column of a value that is not a number, a missing column, a short row, and an empty file, as the CLI does', () => {
    const text = 'a,b\n1,2\n3,x\n';
    const path = join(dir, 'bad.csv');
    writeFileSync(path, text);
    const bytes = new TextEncoder().encode(text);
    const request = { numbers: [{ names: ['a', 'b'], argument: '--items' }] };
    expect(inputError(() => readCsvColumns(bytes, `--csv ${path}`, request))).toBe(inputError(() => readCsv(path, { ...request, memory: unlimited })));
    expect(inputError(() => readCsvColumns(bytes, 'the file bad.csv', request))).toBe('the file bad.csv: row 2, column b: "x" is not a number.');
    expect(inputError(() => readCsvColumns(bytes, 'the file bad.csv', { numbers: [{ names: ['c'], argument: 'items' }] }))).toBe('items names column "c", which the file bad.csv does not have.');
    expect(inputError(() => readCsvColumns(new TextEncoder().encode('a,b\n1\n'), 'the file s.csv', request))).toBe('the file s.csv line 2: 1 field, but the header has 2.');
    expect(inputError(() => readCsvColumns(new Uint8Array(0), 'the file e.csv', request))).toBe('the file e.csv is empty: it needs a header row.');
    expect(inputError(() => csvBytesHeader(new TextEncoder().encode('1,2\n3,4\n'), 'the file n.csv'))).toBe('the file n.csv: the first row holds only numbers; a header row with column names is required.');
  });
});
