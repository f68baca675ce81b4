import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTable } from '../../cli/io/csv.js';
import { numericMatrix } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

/** R reference values written by test/fixtures/r/efa-reference.R. */
export const reference: any = JSON.parse(readFileSync(resolve(FIXTURES, 'r/efa-reference.json'), 'utf8'));

export const BIG5 = ['A', 'C', 'E', 'N', 'O'].flatMap((t) => [1, 2, 3, 4, 5].map((i) => `${t}${i}`));
export const HS9 = Array.from({ length: 9 }, (_, i) => `x${i + 1}`);

/** Item columns of a fixture CSV as a numeric matrix (NaN missing). */
export function fixtureData(file: string, items: readonly string[]): number[][] {
  const table = parseTable(readFileSync(resolve(FIXTURES, file), 'utf8'), file);
  return numericMatrix(table, items, '--items');
}

export function completeCases(data: readonly (readonly number[])[]): number[][] {
  return data.filter((r) => r.every((v) => !Number.isNaN(v))).map((r) => r.slice());
}

/**
 * Column permutation and signs of `got` (p × k) that best match `expected`, as the contract checker
 * aligns EFA loadings: factor order and sign are arbitrary.
 */
export function alignColumns(got: readonly (readonly number[])[], expected: readonly (readonly number[])[]): { perm: number[]; signs: number[] } {
  const k = expected[0].length;
  const cross = (a: number, b: number) => got.reduce((s, row, i) => s + row[a] * expected[i][b], 0);
  let best: number[] = [];
  let bestScore = -Infinity;
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) {
      const score = prefix.reduce((s, g, e) => s + Math.abs(cross(g, e)), 0);
      if (score > bestScore) {
        bestScore = score;
        best = prefix;
      }
      return;
    }
    rest.forEach((c, i) => permute([...prefix, c], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], Array.from({ length: k }, (_, j) => j));
  return { perm: best, signs: best.map((g, e) => (cross(g, e) >= 0 ? 1 : -1)) };
}

export function applyAlignment(m: readonly (readonly number[])[], a: { perm: number[]; signs: number[] }): number[][] {
  return m.map((row) => a.perm.map((g, e) => a.signs[e] * row[g]));
}

export function alignPhi(phi: readonly (readonly number[])[], a: { perm: number[]; signs: number[] }): number[][] {
  return a.perm.map((ga, ea) => a.perm.map((gb, eb) => a.signs[ea] * a.signs[eb] * phi[ga][gb]));
}

export function maxAbsDiff(a: readonly (readonly number[])[] | readonly number[], b: readonly (readonly number[])[] | readonly number[]): number {
  const fa = (a as unknown[]).flat(Infinity as 1) as number[];
  const fb = (b as unknown[]).flat(Infinity as 1) as number[];
  if (fa.length !== fb.length) return Infinity;
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
}

/** Tucker's congruence coefficient of two loading columns, Σxy / √(Σx² Σy²). */
export function congruence(x: readonly number[], y: readonly number[]): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
  }
  return xy / Math.sqrt(xx * yy);
}
