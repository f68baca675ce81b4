import { describe, expect, it } from 'vitest';
import { detectCsvDialect, normalizeCsv } from '../../server/imports/csv_dialect.js';
import { badLines, LISTED_LINES } from '../../server/imports/line_errors.js';

describe('CSV dialects of spreadsheets', () => {
  it('detects comma, semicolon and tab files, and a decimal comma only where numbers are written with one', () => {
    expect(detectCsvDialect('period,measure,value\n2026Q1,cycle time,4.5\n')).toEqual({ delimiter: ',', decimalMark: '.' });
    expect(detectCsvDialect('period;measure;value\n2026Q1;cycle time;4,5\n2026Q2;cycle time;5\n')).toEqual({ delimiter: ';', decimalMark: ',' });
    expect(detectCsvDialect('key;name\neng;Engineering, Berlin\n')).toEqual({ delimiter: ';', decimalMark: '.' });
    expect(detectCsvDialect('key\tname\tcontext\neng\tEngineering, Berlin\ten\n')).toEqual({ delimiter: '\t', decimalMark: '.' });
    expect(detectCsvDialect('\uFEFFperiod\tmeasure\tvalue\n2026Q1\trework\t0,25\n')).toEqual({ delimiter: '\t', decimalMark: ',' });
    // Commas inside quoted fields do not make a semicolon file a comma file.
    expect(detectCsvDialect('key;name\n"a";"Sales, Nord"\n"b";"Sales, Süd"\n')).toEqual({ delimiter: ';', decimalMark: '.' });
    // A quoted semicolon in a comma file does not either.
    expect(detectCsvDialect('key,name\na,"x;y"\nb,"z"\n')).toEqual({ delimiter: ',', decimalMark: '.' });
    // One column: nothing to tell; a comma file.
    expect(detectCsvDialect('key\na\nb\n')).toEqual({ delimiter: ',', decimalMark: '.' });
  });

  it('rewrites a semicolon file with decimal commas as comma CSV with decimal points, each record on its own line', () => {
    const text = 'period;measure;value\n\n2026Q1;cycle time;4,5\n2026Q2;"note; with ""quotes""";-0,25\n2026Q3;rework 1,5 days;7\n';
    expect(normalizeCsv(text)).toBe('period,measure,value\n\n2026Q1,cycle time,4.5\n2026Q2,"note; with ""quotes""",-0.25\n2026Q3,"rework 1,5 days",7\n');
    expect(normalizeCsv('a,b\n1,2\n')).toBe('a,b\n1,2\n');
    expect(normalizeCsv('\uFEFFa\tb\n1\t2\n')).toBe('a,b\n1,2\n');
    expect(normalizeCsv('a;b\n"unclosed;2\n')).toBeUndefined();
  });

  it('lists every bad line up to a cap, and counts the rest', () => {
    expect(badLines(['Line 3: key is empty.']).message).toBe('Line 3: key is empty.');
    expect(badLines(['Line 3: key is empty.', 'Line 7: name is empty.']).message).toBe('2 lines cannot be imported, so nothing was stored: Line 3: key is empty; Line 7: name is empty.');
    const many = Array.from({ length: LISTED_LINES + 5 }, (_, i) => `Line ${i + 2}: key is empty.`);
    const message = badLines(many).message;
    expect(message).toMatch(/^25 lines cannot be imported, so nothing was stored: Line 2: key is empty; .*Line 21: key is empty; and 5 more\.$/);
    expect(message).not.toContain('Line 22');
    expect(badLines(many).status).toBe(400);
  });
});
