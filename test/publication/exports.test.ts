import { describe, expect, it } from 'vitest';
import { blankRareValues } from '../../analysis/index.js';
import { inertCell, spreadsheetCsv } from '../../server/spreadsheet_csv.js';

describe('exports that stay anonymous', () => {
  it('blanks a quasi-identifier value shared by fewer than k rows of its unit', () => {
    const rows = [
      ['u1', 'member', 'en'],
      ['u1', 'member', 'en'],
      ['u1', 'member', 'de'],
      ['u1', 'lead', 'en'],
      ['u2', 'lead', 'en'],
      ['u2', 'lead', 'en'],
      ['u2', 'lead', 'en'],
    ];
    expect(blankRareValues(rows, 0, [1, 2], 3)).toEqual([
      ['u1', 'member', 'en'],
      ['u1', 'member', 'en'],
      ['u1', 'member', ''],
      ['u1', '', 'en'],
      ['u2', 'lead', 'en'],
      ['u2', 'lead', 'en'],
      ['u2', 'lead', 'en'],
    ]);
    expect(rows[3][1]).toBe('lead'); // the input is left as it is
  });

  it('makes text cells that a spreadsheet would run as formulas inert, and leaves numbers alone', () => {
    for (const bad of ['=HYPERLINK("http://x","y")', '+1+cmd', '-2+3;cmd', '@SUM(A1)', '\tx', '\rx', '-cmd']) expect(inertCell(bad)).toBe(`'${bad}`);
    for (const ok of ['-0.52', '+3', '1e-5', '4', 'team-a', '', 'a=b']) expect(inertCell(ok)).toBe(ok);
    expect(inertCell(null)).toBe('');
    expect(spreadsheetCsv([['role', 'x'], ['=1+1', -0.5]])).toBe("role,x\n'=1+1,-0.5\n");
  });
});
