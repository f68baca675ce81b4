import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { modelVariables, parseModelSyntax, type SemData } from '../../analysis/index.js';
import { numericMatrix, readTable, stringColumn } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

/** A fixture CSV's columns for a model (and an optional group column), as the CLI reads them. */
export function fixtureData(csv: string, model: string, group?: string): SemData {
  const t = readTable(resolve(FIXTURES, csv));
  const vars = modelVariables(parseModelSyntax(model));
  return { columns: vars, rows: numericMatrix(t, vars, '--csv'), groups: group ? stringColumn(t, group, '--group') : undefined };
}

export function fixtureText(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

export const references = JSON.parse(readFileSync(resolve(FIXTURES, 'r/sem-references.json'), 'utf8'));

const RELATIVE = new Set(['chisq', 'aic', 'bic', 'logl', 'chisqDiff', 'chisqScaled', 'baselineChisqScaled']);

/** Fit measures equal R's: 1e-3 absolute, χ²/AIC/BIC/logL 1e-4 relative. */
export function expectFit(got: Record<string, unknown>, want: Record<string, unknown>, path = 'fit'): void {
  for (const [k, v] of Object.entries(want)) {
    if (typeof v !== 'number') continue;
    const g = got[k] as number;
    const tol = RELATIVE.has(k) ? Math.max(1e-4 * Math.abs(v), 1e-6) : 1e-3;
    expect(Math.abs(g - v), `${path}.${k}: got ${g}, R ${v}`).toBeLessThanOrEqual(tol);
  }
}

/** Every R estimate has a twin (lhs, op, rhs, group) with est, se, std (std.all) and stdLv (std.lv) within 1e-3. */
export function expectEstimates(got: readonly any[], want: readonly any[]): void {
  const key = (e: any) => `${e.lhs}|${e.op}|${e.rhs}|${e.group ?? ''}`;
  const idx = new Map(got.map((e) => [key(e), e]));
  for (const e of want) {
    const g = idx.get(key(e));
    expect(g, `estimate ${key(e)} missing`).toBeDefined();
    for (const k of ['est', 'se', 'std', 'stdLv']) {
      if (typeof e[k] !== 'number') continue;
      expect(Math.abs(g[k] - e[k]), `${key(e)}.${k}: got ${g[k]}, R ${e[k]}`).toBeLessThanOrEqual(1e-3);
    }
  }
  expect(got.length).toBe(want.length);
}
