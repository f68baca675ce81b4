import type { Diagnostics } from '../diagnostics.js';
import type { Regression, RegressionTerm } from './regression.js';

/** A model as a hypothesis reports it (its covariance and diagnostics stay in the Regression). */
export interface ModelReport {
  readonly formula: string;
  readonly r2: number;
  readonly adjR2: number;
  readonly f: Regression['f'];
  readonly terms: readonly RegressionTerm[];
  readonly centred: Readonly<Record<string, number>>;
}

/** What every hypothesis test returns: its units, its models, its verdict and a sentence to quote. */
export interface HypothesisResult {
  readonly hypothesis: string;
  /** Units with every variable the test needs; all its models use them. */
  readonly n: number;
  readonly waves: readonly [string, string, string];
  readonly models: Readonly<Record<string, ModelReport>>;
  readonly supported: boolean;
  readonly reading: string;
  readonly diagnostics: Diagnostics;
}

export function modelReport(r: Regression): ModelReport {
  return { formula: r.formula, r2: r.r2, adjR2: r.adjR2, f: r.f, terms: r.terms, centred: r.centred };
}

/** A number for a sentence: two decimals (three when small). */
export function num(x: number): string {
  if (!Number.isFinite(x)) return 'NA';
  return Math.abs(x) < 0.1 && x !== 0 ? x.toFixed(3) : x.toFixed(2);
}

/** A p-value as APA writes it: "p < .001" or "p = .023". */
export function pText(p: number): string {
  if (!Number.isFinite(p)) return 'p = NA';
  if (p < 0.001) return 'p < .001';
  return `p = ${p.toFixed(3).replace(/^0/, '')}`;
}

/** "95% CI [a, b]". */
export function ciText(level: number, lower: number, upper: number): string {
  return `${Math.round(level * 100)}% CI [${num(lower)}, ${num(upper)}]`;
}
