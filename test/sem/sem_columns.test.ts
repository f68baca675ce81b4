import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import { columnsFromRows } from '../../analysis/data/columns.js';
import { fitSem, type SemData, type SemColumns } from '../../analysis/sem/fit_sem.js';
import { FIXTURES } from '../helpers/cli.js';

const HS = readTable(resolve(FIXTURES, 'hs1939.csv'));
const columns = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'ageyr'];
const hsRows = numericMatrix(HS, columns, 'items');
const school = stringColumn(HS, 'school', 'group');
const MODEL = 'visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9';

/** The same data as rows and as the streaming reader's columns; rows with a hole or two to exercise listwise deletion and FIML. */
function both(holes: boolean, groups?: (string | null)[]): { rows: SemData; cols: SemColumns } {
  const rows = hsRows.map((r, i) => (holes && i % 17 === 3 ? r.map((v, j) => (j === i % 9 ? NaN : v)) : r));
  return { rows: { columns, rows, groups }, cols: { columns, values: columnsFromRows(rows, columns.length), groups } };
}

describe('fitSem on column-stored data (seici cfa reads the columns, no row arrays)', () => {
  it('listwise ML, one group and several: the same result as from rows, bit for bit', () => {
    for (const groups of [undefined, school]) {
      const { rows, cols } = both(true, groups);
      const a = fitSem(rows, MODEL);
      const b = fitSem(cols, MODEL);
      expect(b.n).toBeLessThan(hsRows.length);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(b.fit.chisq).toBe(a.fit.chisq);
    }
  });

  it('FIML with a covariate (fixed.x drops rows missing it) and MLR: built from rows of the model variables, the same result', () => {
    const { rows, cols } = both(true);
    const model = MODEL + '\nvisual ~ ageyr';
    for (const options of [{ missing: 'ml' as const }, { estimator: 'mlr' as const }]) {
      expect(JSON.stringify(fitSem(cols, model, options))).toBe(JSON.stringify(fitSem(rows, model, options)));
    }
  });
});
