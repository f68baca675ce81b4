import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../analysis/data/csv_records.js';
import { InputError } from '../../analysis/errors.js';
import { HttpError } from '../../server/errors.js';
import { normalizeCsv } from '../../server/imports/csv_dialect.js';
import { CsvImportStream, type CsvImportRows } from '../../server/imports/csv_import_stream.js';

/** Splits text into pieces of `size` bytes (cutting records, quoted fields and UTF-8 characters anywhere). */
function pieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Reads `text` in pieces of `size` through a CsvImportStream, keeping what the rows see; the error thrown, if any. */
function read(text: string, size: number, refuse: (fields: string[], line: number) => string | undefined = () => undefined) {
  const seen: { header: string[]; rows: string[][]; lines: number[] } = { header: [], rows: [], lines: [] };
  const rows: CsvImportRows = {
    header: (h) => {
      if (h.includes('bad')) throw new InputError('csv', 'The CSV has a column named bad.');
      seen.header = h;
    },
    row: (fields, line) => {
      const problem = refuse(fields, line);
      if (problem !== undefined) throw new InputError('csv', problem);
      seen.rows.push(fields);
      seen.lines.push(line);
    },
  };
  const stream = new CsvImportStream('up', 'up', rows);
  try {
    for (const p of pieces(text, size)) stream.write(p);
    stream.end();
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { ...seen, error: err };
  }
  return { ...seen, error: undefined };
}

const SEMICOLON = '\uFEFFunit;period;measure;value;note\nteam-a;2026Q1;cycle time;4,5;"Köln; Nord"\n\nteam-a;2026Q2;cycle time;-0,25;"a ""quoted"" note\nover two lines"\nteam-a;2026Q3;rate;3;Einkauf, Süd\n';
const TAB = 'key\tname\tvalue\nt-1\tTab one, the first\t0,125\r\nt-2\t"x"\t7\n';

describe('CsvImportStream', () => {
  for (const [label, text] of [['semicolon with decimal commas', SEMICOLON], ['tab-separated', TAB], ['plain CSV', 'a,b\n1,"2,5"\n\n3,4']] as const) {
    it(`reads a ${label} file as the whole-text reader does, whatever the pieces it arrives in`, () => {
      const expected = csvRecords(normalizeCsv(text)!, 'up', 'up');
      for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
        const got = read(text, size);
        expect(got.error, `pieces of ${size}`).toBeUndefined();
        expect(got.header, `pieces of ${size}`).toEqual(expected.header);
        expect(got.rows.map((r) => r.map((f) => f.trim())), `pieces of ${size}`).toEqual(expected.records.map((r) => r.map((f) => f.trim())));
      }
    });
  }

  it('decides the dialect on the first 64 KiB even when a semicolon file arrives in small pieces', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `k-${i};${i},5`);
    const got = read(['key;value', ...rows].join('\n'), 1000);
    expect(got.rows).toHaveLength(10_000);
    expect(got.rows[9999]).toEqual(['k-9999', '9999.5']);
    expect(got.lines[9999]).toBe(10_001);
  });

  it('names every bad line, up to 20 and the rest counted, in file order, with rows of the wrong width in the tokenizer\'s words', () => {
    const lines = ['a,b', ...Array.from({ length: 30 }, (_, i) => (i === 3 ? '1,2,3' : `${i},x`)), '7,ok'];
    const got = read(lines.join('\n'), 5, (f, line) => (f[1] === 'x' ? `up line ${line}: b is x.` : undefined));
    expect(got.error?.status).toBe(400);
    expect(got.error?.message).toMatch(/^30 lines cannot be imported, so nothing was stored: up line 2: b is x; up line 3: b is x; up line 4: b is x; up line 5: 3 fields, but the header has 2; up line 6: b is x; .*up line 21: b is x; and 10 more\.$/);
    expect(got.rows).toEqual([['7', 'ok']]);
  });

  it('answers one bad line with its own sentence', () => {
    expect(read('a,b\n1,2\n3,x\n', 4, (f, line) => (f[1] === 'x' ? `up line ${line}: b is x.` : undefined)).error?.message).toBe('up line 3: b is x.');
  });

  it('ends with one sentence for an empty file, a header refused and a quote never closed (after the lines found bad before it)', () => {
    expect(read('', 3).error?.message).toBe('up is empty: it needs a header row.');
    expect(read('\n\n', 1).error?.message).toBe('up is empty: it needs a header row.');
    expect(read('a,bad\n1,2\n', 2).error?.message).toBe('The CSV has a column named bad.');
    expect(read('a,b\n1,2\n3,"open\n', 3).error?.message).toBe('up line 3: a quoted field is never closed.');
    const both = read('a,b\n1,x\n3,"open\n', 3, (f, line) => (f[1] === 'x' ? `up line ${line}: b is x.` : undefined));
    expect(both.error?.message).toBe('2 lines cannot be imported, so nothing was stored: up line 2: b is x; up line 3: a quoted field is never closed.');
  });

  it('keeps only the record still incomplete, not the file: its buffer stays small over 20 MB', () => {
    const stream = new CsvImportStream('up', 'up', { header: () => undefined, row: () => undefined });
    const record = 'team-a,2026-01-05T09:00:00Z,decision_opened,D-1,\n';
    const chunk = Buffer.from(record.repeat(Math.ceil(65_536 / record.length)), 'utf8');
    stream.write(Buffer.from('unit,timestamp,type,key,ref\n'));
    let largest = 0;
    for (let sent = 0; sent < 20 * 1024 * 1024; sent += chunk.length) {
      stream.write(chunk);
      largest = Math.max(largest, stream.bufferedBytes);
    }
    stream.end();
    expect(largest).toBeLessThanOrEqual(4 * chunk.length);
  });
});
