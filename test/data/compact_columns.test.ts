import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '../../analysis/data/csv_columns.js';
import { MISSING_BYTE, answerValues } from '../../analysis/data/columns.js';
import { observedColumnRange } from '../../analysis/data/reverse_key.js';
import { agreement } from '../../analysis/agreement/agreement.js';
import { Prng } from '../../analysis/math/random.js';

/**
 * Ratings stored one byte per answer (issue 15: agreement's peak memory under 2× the CSV): the
 * reader keeps whole numbers 0–254 in a Uint8Array (255 = missing), widens a column to doubles
 * when a value does not fit, and agreement gives the same numbers, bit for bit, from either.
 */
const encode = (text: string) => new TextEncoder().encode(text);

function ratingsCsv(rows: number, seed: number): string {
  const prng = new Prng(seed);
  const lines = ['unit,a,b,c,d'];
  for (let r = 0; r < rows; r++) {
    const unit = `u${Math.floor(r / 9)}`;
    const level = 1 + (Math.floor(r / 9) % 5);
    const answers = Array.from({ length: 4 }, () => (prng.int(40) === 0 ? (prng.int(2) === 0 ? '' : 'NA') : String(Math.min(7, Math.max(1, level + prng.int(3) - 1)))));
    lines.push([unit, ...answers].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('compact (one-byte) rating columns', () => {
  it('stores whole numbers 0–254 in one byte, 255 for a missing answer, and widens on request', () => {
    const data = readCsvColumns(encode('a,b\n1,0\n,254\n7,NA\n'), 'x.csv', { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }] });
    const [a, b] = data.answers(['a', 'b']).columns;
    expect(a).toBeInstanceOf(Uint8Array);
    expect(Array.from(a)).toEqual([1, MISSING_BYTE, 7]);
    expect(Array.from(b)).toEqual([0, 254, MISSING_BYTE]);
    expect(Array.from(data.number('a'))).toEqual([1, NaN, 7]);
    expect(data.numbers(['b']).columns[0]).toBeInstanceOf(Float64Array);
    expect(observedColumnRange([a, b])).toEqual({ min: 0, max: 254 });
  });

  it('falls back to eight bytes for a column holding a value that does not fit (fraction, negative, 255 or more, −0)', () => {
    for (const odd of ['2.5', '-1', '255', '1000', '-0']) {
      const data = readCsvColumns(encode(`a,b\n1,3\n,4\n${odd},5\n6,\n`), 'x.csv', { numbers: [{ names: ['a', 'b'], argument: '--items', compact: true }] });
      const [a, b] = data.answers(['a', 'b']).columns;
      expect(a).toBeInstanceOf(Float64Array);
      expect(Array.from(a)).toEqual([1, NaN, Number(odd), 6]);
      expect(Object.is(a[2], Number(odd))).toBe(true);
      expect(b).toBeInstanceOf(Uint8Array);
      expect(Array.from(answerValues(b, 4))).toEqual([3, 4, 5, NaN]);
    }
  });

  it('refuses a value that is not a number with the same sentence as a full column', () => {
    const request = (compact: boolean) => ({ numbers: [{ names: ['a'], argument: '--items', compact }] });
    const message = (compact: boolean) => {
      try {
        readCsvColumns(encode('a\n1\nx\n'), 'x.csv', request(compact));
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    };
    expect(message(true)).toBe('x.csv: row 2, column a: "x" is not a number.');
    expect(message(true)).toBe(message(false));
  });

  it('agreement from one-byte columns equals agreement from Float64Array columns, bit for bit', () => {
    const bytes = encode(ratingsCsv(900, 11));
    const items = ['a', 'b', 'c', 'd'];
    const full = readCsvColumns(bytes, 'x.csv', { numbers: [{ names: items, argument: '--items' }], texts: [{ names: ['unit'], argument: '--group' }] });
    const compact = readCsvColumns(bytes, 'x.csv', { numbers: [{ names: items, argument: '--items', compact: true }], texts: [{ names: ['unit'], argument: '--group' }] });
    expect(compact.answers(items).columns.every((c) => c instanceof Uint8Array)).toBe(true);
    const fromFull = agreement(full.numbers(items), full.text('unit'), { scalePoints: 7 });
    const fromBytes = agreement(compact.answers(items), compact.text('unit'), { scalePoints: 7 });
    expect(fromBytes.dropped).toBeGreaterThan(0);
    expect(fromBytes).toEqual(fromFull);
  });
});
