import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { numericMatrix, readTable } from '../../cli/io/csv.js';
import { FIXTURES } from '../helpers/cli.js';

/** Tolerances of shared/STYLE.md: closed forms and optimiser output. */
export const CLOSED = 1e-6;
export const OPTIMISER = 1e-3;

export interface ReferenceItem {
  item: string;
  n: number;
  mean: number;
  sd: number;
  floor: number;
  ceiling: number;
  rTotal: number;
  rDrop: number;
  alphaIfDropped: number;
}

/** One case of test/fixtures/r/reliability-references.json (made by reliability-references.R). */
export interface ReferenceCase {
  name: string;
  csv: string;
  items: string[];
  reverse: string[];
  missing: 'listwise' | 'pairwise';
  scaleMin: number | null;
  scaleMax: number | null;
  level: number;
  expected: {
    n?: number;
    nItems: number;
    alpha: number;
    alphaStd: number;
    averageR: number;
    alphaSe: number;
    alphaCi: { lower: number; upper: number; level: number };
    feldt: { lower: number; upper: number };
    scale: { min: number; max: number };
    items: ReferenceItem[];
    omegaTotal?: number;
    /** lavaan's one-factor loadings and residual variances, present with omegaTotal. */
    omegaLoadings?: number[];
    omegaResidualVariances?: number[];
  };
}

export const referenceCases: ReferenceCase[] = JSON.parse(
  readFileSync(resolve(FIXTURES, 'r/reliability-references.json'), 'utf8'),
).cases;

const tables = new Map<string, ReturnType<typeof readTable>>();

/** The case's item columns as a numeric matrix, NaN for a missing answer. */
export function caseData(c: { csv: string; items: readonly string[] }): number[][] {
  let t = tables.get(c.csv);
  if (!t) {
    t = readTable(resolve(FIXTURES, c.csv));
    tables.set(c.csv, t);
  }
  return numericMatrix(t, c.items, '--items');
}

/** The case's options as the analysis functions take them. */
export function caseOptions(c: ReferenceCase) {
  return {
    items: c.items,
    reverse: c.reverse,
    missing: c.missing,
    scaleMin: c.scaleMin ?? undefined,
    scaleMax: c.scaleMax ?? undefined,
    level: c.level,
  };
}

/** Asserts |actual − expected| ≤ tol, naming what is compared when it fails. */
export function expectNear(actual: number | null | undefined, expected: number, tol: number, what: string): void {
  expect(typeof actual, `${what}: not a number`).toBe('number');
  const diff = Math.abs((actual as number) - expected);
  expect(diff <= tol, `${what}: ${actual} differs from R's ${expected} by ${diff} (tolerance ${tol})`).toBe(true);
}
