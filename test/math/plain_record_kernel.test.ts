import { describe, expect, it } from 'vitest';
import { plainRecordReader } from '../../analysis/math/plain_record_kernel.js';

const COMMA = 44;
// five fields: 0 unit (skipped), 1 → column 0, 2 note (skipped), 3 → column 2, 4 → column 1
const FIELDS = Int32Array.from([-1, 0, -1, 2, 1]);
const CAPACITY = 64;

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const plainLine = (i: number) => `U${i},${i % 10},${i % 3 === 0 ? '' : 'n'.repeat(i % 7)},${(i * 3) % 10},${(i * 7) % 10}\n`;

function reader(window?: number) {
  const r = plainRecordReader(FIELDS, CAPACITY, 3, window);
  if (r === null) throw new Error('WebAssembly is missing');
  return r;
}

/** Reads from p until the kernel declines or the bytes end, as the tokenizer would; returns [offset reached, rows]. */
function readAll(r: ReturnType<typeof reader>, bytes: Uint8Array, p: number, row: number, piece = 1): [number, number] {
  while (p < bytes.length) {
    const next = r.read(bytes, p, bytes.length, COMMA, row, piece);
    if (next < 0) break;
    expect(r.records).toBeGreaterThan(0);
    row += r.records;
    p = next;
  }
  return [p, row];
}

describe('the plain-record kernel', () => {
  it('stores each selected field’s digit in its column, whatever window the piece is copied in', () => {
    const lines = Array.from({ length: 50 }, (_, i) => plainLine(i));
    const text = lines.join('');
    for (const window of [1 << 20, 64, 17, 23]) {
      const r = reader(window);
      expect(readAll(r, bytesOf(text), 0, 0)).toEqual([text.length, 50]);
      for (let i = 0; i < 50; i++) {
        expect([r.columns[i], r.columns[CAPACITY + i], r.columns[2 * CAPACITY + i]], `window ${window} row ${i}`).toEqual([i % 10, (i * 7) % 10, (i * 3) % 10]);
      }
    }
  });

  it('stops at the first record that is not plain and leaves it, and only it, unread', () => {
    const before = Array.from({ length: 5 }, (_, i) => plainLine(i)).join('');
    const odd = [
      'U,"4",x,1,2\n', // a quoted rating
      '"U",4,x,1,2\n', // a quoted unselected field
      'U,4,x,1,2\r\n', // CRLF
      'U,,x,1,2\n', // an empty rating
      'U,NA,x,1,2\n', // NA
      'U,10,x,1,2\n', // two digits
      'U,4,x,1, 2\n', // a space
      'U,4,x,1,2,9\n', // one field too many
      'U,4,x,1\n', // one too few
      '\n', // an empty line (the tokenizer skips it)
      'U,4,x,1,2', // the last record without its line feed
    ];
    for (const line of odd) {
      for (const window of [1 << 20, 19]) {
        const r = reader(window);
        const text = before + line + plainLine(9);
        expect(readAll(r, bytesOf(text), 0, 0), JSON.stringify(line)).toEqual([before.length, 5]);
        // the record itself is declined: -1, nothing counted
        expect(r.read(bytesOf(text), before.length, text.length, COMMA, 5, 1)).toBe(-1);
        expect(r.records).toBe(0);
      }
    }
  });

  it('resumes after a record the general path has read, and reads a new piece in the same buffer afresh', () => {
    const r = reader();
    const bad = 'U,"4",x,1,2\n';
    const text = plainLine(1) + bad + plainLine(2) + plainLine(3);
    const bytes = bytesOf(text);
    expect(readAll(r, bytes, 0, 0)).toEqual([plainLine(1).length, 1]);
    // the general path reads `bad` as row 1; the kernel goes on from row 2
    expect(readAll(r, bytes, plainLine(1).length + bad.length, 2)).toEqual([text.length, 4]);
    expect([r.columns[2], r.columns[3]]).toEqual([2, 3]);
    // the reader refills the same buffer with other records of the same length: a new piece number, a new copy
    const again = reader();
    const first = plainLine(1) + plainLine(2);
    const buffer = bytesOf(first);
    expect(readAll(again, buffer, 0, 0, 1)).toEqual([first.length, 2]);
    const second = first.replace('U1,1,', 'U1,5,').replace('U2,2,', 'U2,6,');
    expect(second.length).toBe(first.length);
    buffer.set(bytesOf(second), 0);
    expect(readAll(again, buffer, 0, 0, 2)).toEqual([second.length, 2]);
    expect([again.columns[0], again.columns[1]]).toEqual([5, 6]);
  });

  it('stops when its columns are full (a file grown since its lines were counted), writing nothing past them', () => {
    const r = reader(100);
    const text = Array.from({ length: CAPACITY + 6 }, (_, i) => plainLine(i)).join('');
    const lengthOfRows = Array.from({ length: CAPACITY }, (_, i) => plainLine(i).length).reduce((a, b) => a + b, 0);
    expect(readAll(r, bytesOf(text), 0, 0)).toEqual([lengthOfRows, CAPACITY]);
    // column 1 starts right after column 0's last row: untouched by rows 64…69
    expect(Array.from(r.columns.subarray(CAPACITY, 2 * CAPACITY))).toEqual(Array.from({ length: CAPACITY }, (_, i) => (i * 7) % 10));
  });

  it('uses the delimiter it is given', () => {
    const r = reader();
    const text = 'U;3;x;4;5\nV;6;;7;8\n';
    expect(r.read(bytesOf(text), 0, text.length, 59, 0, 1)).toBe(text.length);
    expect(r.records).toBe(2);
    expect([r.columns[0], r.columns[1], r.columns[CAPACITY], r.columns[2 * CAPACITY + 1]]).toEqual([3, 6, 5, 7]);
    expect(r.read(bytesOf(text), 0, text.length, COMMA, 0, 2)).toBe(-1);
  });
});
