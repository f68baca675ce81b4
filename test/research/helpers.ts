import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { LongPanel } from '../../analysis/index.js';
import { readPanel } from '../../cli/io/panel.js';
import { FIXTURES } from '../helpers/cli.js';

export const PANEL_COLUMNS = [
  'SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'drift', 'rework', 'dynamism',
  'visCoherence', 'visOutcome', 'leadershipDensity', 'PQ', 'treated', 'eventWave', 'workload', 'staffing',
];

/** A fixture panel as the CLI reads it. */
export function fixturePanel(name: string): LongPanel {
  return readPanel(resolve(FIXTURES, name), 'unit', 'wave', PANEL_COLUMNS);
}

export const references = JSON.parse(readFileSync(resolve(FIXTURES, 'r/research-references.json'), 'utf8'));

/** |got − want| ≤ tol, with the path in the message. */
export function near(got: number, want: number, tol: number, path: string): void {
  expect(Math.abs(got - want), `${path}: got ${got}, R ${want}`).toBeLessThanOrEqual(tol);
}

/** Every number of R's terms (matched by position) equals ours within tol. */
export function expectTerms(got: readonly Record<string, any>[], want: readonly Record<string, any>[], tol: number, path: string): void {
  expect(got.length, `${path}: number of terms`).toBe(want.length);
  want.forEach((w, i) => {
    for (const [k, v] of Object.entries(w)) {
      if (typeof v === 'number') near(got[i][k], v, tol, `${path}[${i}].${k}`);
      else if (k === 'term') expect(got[i].term).toBe(v);
    }
  });
}

/** Every number in `want` (recursively; lists of terms matched by name) equals `got` within tol. */
export function expectDeep(got: any, want: any, tol: number, path = ''): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got), `${path}: expected a list`).toBe(true);
    if (want.every((w) => w && typeof w === 'object' && 'term' in w)) {
      for (const w of want) {
        const g = got.find((x: any) => x.term === w.term);
        expect(g, `${path}: term ${w.term} missing`).toBeDefined();
        expectDeep(g, w, tol, `${path}[${w.term}]`);
      }
      return;
    }
    expect(got.length, `${path}: length`).toBe(want.length);
    want.forEach((w, i) => expectDeep(got[i], w, tol, `${path}[${i}]`));
  } else if (want && typeof want === 'object') {
    for (const [k, v] of Object.entries(want)) {
      expect(got, `${path}.${k}: missing`).toHaveProperty(k);
      expectDeep(got[k], v, tol, `${path}.${k}`);
    }
  } else if (typeof want === 'number') {
    near(got, want, tol, path);
  } else {
    expect(got, path).toBe(want);
  }
}
