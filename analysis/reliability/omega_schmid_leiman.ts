import { InputError } from '../errors.js';
import { correlationOfColumns } from '../efa/column_correlation.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import type { Diagnostics } from '../diagnostics.js';
import { factorAnalysis } from '../efa/factor_analysis.js';
import { extractFactors } from '../efa/extract_factors.js';
import { obliminCriterion, rotateOblique } from '../efa/rotate_oblique.js';

/** Omega coefficients from a Schmid-Leiman solution. */
export interface SchmidLeimanOmega {
  /** Complete rows used. */
  readonly n: number;
  readonly nfactors: number;
  /** ω_h = (Σ g_i)² / V_t: the share of total-score variance due to the general factor. */
  readonly omegaH: number;
  /** ω_t = (V_t − Σ u²_i) / V_t. */
  readonly omegaTotal: number;
  /** Coefficient alpha of the (sign-keyed) correlation matrix. */
  readonly alpha: number;
  /** ω_h / ω_t: the general factor's share of the common variance (psych's omega.lim). */
  readonly omegaLimit: number;
  /** Explained common variance of the general factor, Σg² / (Σg² + Σ group²). */
  readonly ecv: number;
  /** Per item: general loading, group loadings, communality, uniqueness (psych's `schmid$sl`). */
  readonly items: { item: string; g: number; groups: number[]; h2: number; u2: number; flipped: boolean }[];
  /** Loadings of the first-order factors on the general factor. */
  readonly gLoadings: number[];
  /** Correlations of the oblique first-order factors. */
  readonly phi: number[][];
  readonly diagnostics: Diagnostics;
}

/**
 * McDonald's omega hierarchical and omega total from a Schmid-Leiman transformation (Schmid & Leiman,
 * 1957, doi:10.1007/BF02289209; Zinbarg, Revelle, Yovel & Li, 2005, doi:10.1007/s11336-003-0974-7):
 * `nfactors` minres factors of the correlation matrix (varimax, then oblimin), a one-factor minres
 * solution of their correlations Φ for the general loadings γ (two factors: γ = √|φ₁₂| each), general
 * loadings g = Λγ, group loadings Λ_j √(1 − γ_j²); items whose g is negative are reverse-keyed.
 * With V_t the sum of the keyed correlation matrix and u² = 1 − h² the uniquenesses,
 * ω_h = (Σg)²/V_t, ω_t = (V_t − Σu²)/V_t and α = (V_t − p)/V_t · p/(p − 1).
 * Listwise deletion; `data` one column per item (as the CSV reader stores it) or rows × items. Matches psych::omega 2.2.9 (fm = "minres", rotate = "oblimin", option = "equal").
 */
export function omegaSchmidLeiman(
  data: NumericColumns | readonly (readonly number[])[],
  { items, nfactors }: { items: readonly string[]; nfactors: number },
): SchmidLeimanOmega {
  const p = items.length;
  if (p < 3) throw new InputError('items', `omega needs at least 3 items; got ${p}.`);
  if (!Number.isInteger(nfactors) || nfactors < 1 || nfactors > p - 1) {
    throw new InputError('nfactors', `nfactors must be a whole number from 1 to ${p - 1}; got ${nfactors}.`);
  }
  // the reader's columns as they are (no row arrays); rows × items from other callers
  const { columns, length } = isNumericColumns(data) ? data : columnsFromRows(data, p);
  if (columns.length !== p) throw new InputError('items', `the data have ${columns.length} columns for ${p} items.`);
  const { r, n } = correlationOfColumns(columns, length, 'listwise');
  if (n < 3) throw new InputError('csv', `the data have ${n} complete row${n === 1 ? '' : 's'}; omega needs more.`);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
    if (!Number.isFinite(r[i][j])) throw new InputError('items', `the correlation of ${items[i]} and ${items[j]} cannot be computed (an item has no variance).`);
  }
  const warnings: string[] = [];
  const orth = factorAnalysis(r, nfactors, { method: 'minres', rotate: nfactors > 1 ? 'varimax' : 'none', n });
  warnings.push(...orth.diagnostics.warnings);
  let converged = orth.diagnostics.converged;
  let iterations = orth.diagnostics.iterations;
  let fload = orth.loadings;
  let phi = [[1]];
  let gload = [1];
  if (nfactors > 1) {
    const ob = rotateOblique(orth.loadings, obliminCriterion(0));
    if (!ob.converged) warnings.push('the oblimin rotation of the Schmid-Leiman solution did not converge.');
    converged &&= ob.converged;
    iterations += ob.iterations;
    fload = ob.loadings;
    phi = ob.phi;
    if (nfactors > 2) {
      const g = extractFactors(phi, 1, { method: 'minres' });
      warnings.push(...g.diagnostics.warnings.map((w) => `higher-order factor: ${w}`));
      gload = g.loadings.map((row) => row[0]);
    } else {
      const s = Math.sqrt(Math.abs(phi[0][1]));
      gload = [s, Math.sign(phi[0][1]) * s];
      warnings.push('with two group factors the general factor is not identified; its loadings were set equal (psych option "equal").');
    }
  } else {
    warnings.push('omega hierarchical is not meaningful with one factor.');
  }
  const h2 = orth.loadings.map((row) => row.reduce((a, v) => a + v * v, 0));
  const u2 = h2.map((h) => 1 - h);
  let g = fload.map((row) => row.reduce((a, v, j) => a + v * gload[j], 0));
  const groups = fload.map((row) => row.map((v, j) => {
    const rest = v * v - (v * gload[j]) ** 2;
    return Math.sign(v) * Math.sqrt(Math.max(rest, 0));
  }));
  // key items with negative general loadings (psych's flip = TRUE)
  const key = g.map((v) => (v < 0 ? -1 : 1));
  g = g.map((v, i) => v * key[i]);
  const keyedGroups = groups.map((row, i) => row.map((v) => v * key[i]));
  let vt = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vt += key[i] * key[j] * r[i][j];
  const sumG = g.reduce((a, v) => a + v, 0);
  const sumU2 = u2.reduce((a, v) => a + v, 0);
  const omegaH = (sumG * sumG) / vt;
  const omegaTotal = (vt - sumU2) / vt;
  const alpha = ((vt - p) / vt) * (p / (p - 1));
  const g2 = g.reduce((a, v) => a + v * v, 0);
  const group2 = keyedGroups.reduce((a, row) => a + row.reduce((b, v) => b + v * v, 0), 0);
  return {
    n,
    nfactors,
    omegaH,
    omegaTotal,
    alpha,
    omegaLimit: (sumG * sumG) / (vt - sumU2),
    ecv: g2 / (g2 + group2),
    items: items.map((item, i) => ({ item, g: g[i], groups: keyedGroups[i], h2: h2[i], u2: u2[i], flipped: key[i] < 0 })),
    gLoadings: gload,
    phi,
    diagnostics: { converged, iterations, warnings },
  };
}
