import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../analysis/errors.js';
import { parseNumberField, NOT_A_NUMBER } from '../../analysis/data/csv_tokenizer.js';
import { labelsOf } from '../../analysis/data/columns.js';
import { readCsvColumns } from '../../analysis/data/csv_columns.js';
import { openCsv, parseTable, readCsv } from '../../cli/io/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'seici-csv-reader-'));
const big = { bytes: Number.MAX_SAFE_INTEGER, source: 'test' };

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseNumberField reads numbers as Number(text.trim()) does', () => {
  const read = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    return parseNumberField(b, 0, b.length, 0);
  };

  it('agrees bit for bit with Number on plain decimals, long ones and exponents', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const texts = ['0', '-0', '+3', '7', '4.', '.5', '-2.75', '0.1', '0.3', '123456789012345', '1234567890123456789', '1e3', '2.5E-3', '0x10', ' 5 ', '\t6'];
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(rand() * 18);
      let s = '';
      for (let k = 0; k < digits; k++) s += Math.floor(rand() * 10);
      const dot = Math.floor(rand() * (digits + 1));
      texts.push((rand() < 0.3 ? '-' : '') + s.slice(0, dot) + '.' + s.slice(dot));
      texts.push(String(rand() * 10 ** Math.floor(rand() * 10)));
    }
    for (const t of texts) expect(Object.is(read(t), Number(t.trim())), t).toBe(true);
  });

  it('gives NaN for missing (empty, NA, spaces) and NOT_A_NUMBER for text and infinities', () => {
    for (const t of ['', 'NA', ' NA ', '   ']) expect(read(t)).toBeNaN();
    for (const t of ['x', '1,5', '-', '.', 'Infinity', '1e999', 'na']) expect(read(t), t).toBe(NOT_A_NUMBER);
  });
});

describe('the streaming CSV reader', () => {
  it('reads RFC 4180 quoting, CRLF, a byte-order mark, NA and empty fields, and skips empty lines', () => {
    const path = file(
      'quoted.csv',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('unit,"a",b,note\r\n"team, one",1,"2.5","she said ""fine""\r\nand left"\r\n\r\nteam two, NA ,,x\r\n"team, one",3,4,\r\n'),
      ]),
    );
    const data = readCsv(path, { numbers: [{ names: ['a', 'b'], argument: '--items' }], texts: [{ names: ['unit', 'note'], argument: '--group' }], memory: big });
    expect(data.length).toBe(3);
    expect(Array.from(data.number('a'))).toEqual([1, NaN, 3]);
    expect(Array.from(data.number('b'))).toEqual([2.5, NaN, 4]);
    expect(labelsOf(data.text('unit'))).toEqual(['team, one', 'team two', 'team, one']);
    expect(data.text('unit').levels).toEqual(['team, one', 'team two']);
    expect(labelsOf(data.text('note'))).toEqual(['she said "fine"\r\nand left', 'x', null]);
  });

  it('reads the same records across its 1 MB pieces as from one string', () => {
    // ~3 MB with quoted fields holding commas, quotes and line breaks at every possible offset
    const lines = ['id,x,label,y'];
    for (let i = 0; i < 60000; i++) {
      const label = i % 7 === 0 ? `"multi\nline ""${i}"", with comma"` : i % 5 === 0 ? '' : `u${i % 13}`;
      lines.push(`${i},${(i % 9) - 4.25},${label},${i % 11 === 0 ? 'NA' : i / 8}`);
    }
    const text = lines.join('\n') + '\n';
    const path = file('pieces.csv', text);
    const data = readCsv(path, { numbers: [{ names: ['id', 'x', 'y'], argument: '--items' }], texts: [{ names: ['label'], argument: '--group' }], memory: big });
    const table = parseTable(text, 'pieces');
    expect(data.length).toBe(table.rows.length);
    const column = (j: number) => table.rows.map((row) => (row[j] === 'NA' ? NaN : Number(row[j])));
    expect(Array.from(data.number('id'))).toEqual(column(0));
    expect(Array.from(data.number('x'))).toEqual(column(1));
    expect(Array.from(data.number('y'))).toEqual(column(3));
    expect(labelsOf(data.text('label'))).toEqual(table.rows.map((row) => (row[2] === '' ? null : row[2])));
  });

  it('reads one-digit ratings by its plain-record path exactly as the general tokenizer does, whatever the rows around them', () => {
    // ~2.3 MB: plain rows of one-digit answers between rows the fast path declines (a quoted or empty
    // unit, a missing answer, NA, 10, 7.0, a space, a CRLF ending, an empty line), across 1 MB pieces
    const items = Array.from({ length: 20 }, (_, j) => `q${j + 1}`);
    const lines = [['unit', ...items, 'note'].join(',')];
    for (let i = 0; i < 50000; i++) {
      const answers = items.map((_, j) => String((i * 7 + j * 3) % 8));
      const odd = i % 97;
      if (odd === 1) answers[3] = '';
      if (odd === 2) answers[19] = 'NA';
      if (odd === 3) answers[0] = '10';
      if (odd === 4) answers[5] = '7.0';
      if (odd === 5) answers[8] = ' 3';
      if (odd === 6) answers[19] = '"4"';
      const unit = odd === 7 ? '"U,1"' : odd === 8 ? '' : `U${i % 40}`;
      const note = odd === 9 ? '"a ""quoted"" note"' : i % 3 === 0 ? 'x' : '';
      lines.push([unit, ...answers, note].join(',') + (odd === 10 ? '\r' : '') + (odd === 11 ? '\n' : ''));
    }
    const text = lines.join('\n') + '\n';
    const path = file('ratings.csv', text);
    const request = { numbers: [{ names: items, argument: '--items', compact: true }] };
    const streamed = readCsv(path, { ...request, memory: big });
    // the in-memory reader (the browser's) has no fast path: the general tokenizer's reading
    const general = readCsvColumns(Buffer.from(text), `--csv ${path}`, request);
    expect(streamed.length).toBe(50000);
    expect(general.length).toBe(50000);
    for (const item of items) expect(Array.from(streamed.number(item)), item).toEqual(Array.from(general.number(item)));
    // the same storage: one byte per answer in each column
    expect(streamed.answers(items).columns.map((c) => c.constructor.name)).toEqual(general.answers(items).columns.map((c) => c.constructor.name));
    expect(streamed.number('q1')[3]).toBe(10);
    expect(streamed.number('q4')[1]).toBeNaN();
  });

  it('reads the plain records after a rating that widens its column (7.5, 300) as the general tokenizer does', () => {
    // the kernel stores bytes only: once a column holds eight-byte values, the JavaScript loop reads on
    const plain = (from: number) => Array.from({ length: 3000 }, (_, i) => `u${i},${(from + i) % 7},${(i * 3) % 10}`).join('\n');
    for (const odd of ['7.5', '300', '-1']) {
      const text = `unit,a,b\n${plain(0)}\nu,${odd},4\n${plain(3)}\n`;
      const path = file(`widen_${odd}.csv`, text);
      const request = { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }] };
      const streamed = readCsv(path, { ...request, memory: big });
      const general = readCsvColumns(Buffer.from(text), `--csv ${path}`, request);
      expect(streamed.length).toBe(6001);
      for (const item of ['a', 'b']) expect(Array.from(streamed.number(item)), `${odd} ${item}`).toEqual(Array.from(general.number(item)));
      expect(streamed.answers(['a', 'b']).columns.map((c) => c.constructor.name)).toEqual(['Float64Array', 'Uint8Array']);
      expect(streamed.number('a')[3000]).toBe(Number(odd));
    }
  });

  it('reports a bad record after plain ones with the general path’s message (its row, column or line)', () => {
    const plain = Array.from({ length: 3000 }, (_, i) => `u${i},${i % 7},${(i + 1) % 7}`).join('\n');
    const letter = file('plain_letter.csv', `unit,a,b\n${plain}\nu,4,x\n`);
    expect(inputError(() => readCsv(letter, { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }], memory: big }))).toBe(
      `--csv ${letter}: row 3001, column b: "x" is not a number.`,
    );
    const wide = file('plain_wide.csv', `unit,a,b\n${plain}\nu,4,5,6\n`);
    expect(inputError(() => readCsv(wide, { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }], memory: big }))).toBe(
      `--csv ${wide} line 3002: 4 fields, but the header has 3.`,
    );
    const narrow = file('plain_narrow.csv', `unit,a,b\n${plain}\n\nu,4\n`);
    expect(inputError(() => readCsv(narrow, { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }], memory: big }))).toBe(
      `--csv ${narrow} line 3003: 2 fields, but the header has 3.`,
    );
  });

  it('names the row and column of a value that is not a number', () => {
    const path = file('letter.csv', 'a,b\n1,2\n\n3,x\n');
    expect(inputError(() => readCsv(path, { numbers: [{ names: ['a', 'b'], argument: '--items' }], memory: big }))).toBe(
      `--csv ${path}: row 2, column b: "x" is not a number.`,
    );
  });

  it('names the line of a record with too few fields, an unclosed quote and a stray quote', () => {
    const short = file('short.csv', 'a,b\n1,2\n\n3\n');
    expect(inputError(() => readCsv(short, { numbers: [{ names: ['a'], argument: '--items' }], memory: big }))).toBe(
      `--csv ${short} line 4: 1 field, but the header has 2.`,
    );
    const open = file('open.csv', 'a,b\n1,2\n3,"4\n5,6\n');
    expect(inputError(() => readCsv(open, { numbers: [{ names: ['a'], argument: '--items' }], memory: big }))).toBe(
      `--csv ${open} line 3: a quoted field is never closed.`,
    );
    const stray = file('stray.csv', 'a,b\n1,2"\n');
    expect(inputError(() => readCsv(stray, { numbers: [{ names: ['a'], argument: '--items' }], memory: big }))).toMatch(/line 2: .*not valid CSV\.$/);
  });

  it('checks the header before reading a row: a missing column, a duplicate, an empty file', () => {
    const path = file('ok.csv', 'a,b\n1,2\n');
    expect(inputError(() => readCsv(path, { numbers: [{ names: ['a', 'zz'], argument: '--items' }], memory: big }))).toBe(
      `--items names column "zz", which --csv ${path} does not have.`,
    );
    expect(inputError(() => openCsv(file('dup.csv', 'a,a\n1,2\n')))).toMatch(/the header names column "a" twice/);
    expect(inputError(() => openCsv(file('empty.csv', '\n\n')))).toMatch(/is empty: it needs a header row/);
    expect(inputError(() => openCsv(join(dir, 'nosuch.csv')))).toMatch(/: no such file\.$/);
    expect(inputError(() => openCsv(dir))).toMatch(/is a folder, not a CSV file/);
  });

  it('refuses a file larger than the memory limit before reading it, saying how many rows would fit', () => {
    const lines = ['a,b,g'];
    for (let i = 0; i < 1000; i++) lines.push(`${i % 5},${i % 7},u${i % 3}`);
    const path = file('thousand.csv', lines.join('\n'));
    const limit = { bytes: 200 * 1024 * 1024 + 10_000, source: 'the memory limit (SEICI_MEMORY_LIMIT or --memory-limit)' };
    const message = inputError(() => readCsv(path, { numbers: [{ names: ['a', 'b'], argument: '--items' }], texts: [{ names: ['g'], argument: '--group' }], memory: limit }));
    // 1.5 × (8 + 8 + 4) bytes per row: 10,000 bytes beyond the fixed 200 MB hold 333 rows
    expect(message).toBe(
      `--csv ${path} is too large: its up to 1,000 rows × 3 columns need about 200 MB, but the memory limit (SEICI_MEMORY_LIMIT or --memory-limit) is 200 MB, enough for about 333 rows.`,
    );
    expect(readCsv(path, { numbers: [{ names: ['a'], argument: '--items' }], memory: { ...limit, bytes: limit.bytes + 100_000 } }).length).toBe(1000);
  });
});
