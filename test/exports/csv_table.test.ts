import { describe, expect, it } from 'vitest';
import { datasetCsv, formatNumber, UTF8_BOM } from '../../server/exports/csv_table.js';
import { contentOrder } from '../../server/exports/row_order.js';
import { SAMPLE_DATASET } from './sample_dataset.js';

describe('CSV tables for people', () => {
  it('rounds half away from zero at the stated places, with no exponent and no negative zero', () => {
    expect(formatNumber(2.345, 2)).toBe('2.35'); // stored as 2.34499…; a reader expects 2.35
    expect(formatNumber(-2.345, 2)).toBe('-2.35');
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(formatNumber(0.12345, 3)).toBe('0.123');
    expect(formatNumber(-0.0004, 3)).toBe('0.000');
    expect(formatNumber(1e-7, 2)).toBe('0.00');
    expect(formatNumber(4, 2)).toBe('4.00');
    expect(formatNumber(Number.NaN, 2)).toBe('');
  });

  it('starts with a UTF-8 BOM and writes each column at its precision', () => {
    const csv = datasetCsv(SAMPLE_DATASET);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.slice(1).split('\n')).toEqual([
      'wave,unit,role,SxA_1,TxV_8,cell_score_SxA',
      '3,team-a,Produktverantwortung,7,-1,6.125',
      '3,team-a,,1,4,2.500',
      '3,Büro × Nord,lead,,5,3.333',
      '12,team-b,lead,-1,,',
      '',
    ]);
  });

  it('orders rows by content alone: empty first, numbers as numbers, then text', () => {
    const rows = [['b', 10, 'x'], ['a', 9, 'z'], ['b', 9, 'y'], ['a', 9, null], ['b', 10, null], ['a', 10, 'a']];
    expect(contentOrder(rows)).toEqual([['a', 9, null], ['a', 9, 'z'], ['a', 10, 'a'], ['b', 9, 'y'], ['b', 10, null], ['b', 10, 'x']]);
    // Any permutation of the same rows gives the same order.
    expect(contentOrder([...rows].reverse())).toEqual(contentOrder(rows));
  });
});
