import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { fitSem, type SemData, type SemInternal, type SemResult } from './fit_sem.js';
import { parseModelSyntax, type Statement } from './model_syntax.js';
import type { SemMissing } from './sample_statistics.js';

/** Convergent validity of one factor. */
export interface FactorValidity {
  readonly factor: string;
  readonly indicators: readonly string[];
  /** Average variance extracted: mean of the squared standardized loadings. */
  readonly ave: number;
  /** Composite reliability: (Σλ)² / ((Σλ)² + Σ(1 − λ²)). */
  readonly cr: number;
  readonly sqrtAve: number;
  /** Largest absolute correlation with another factor. */
  readonly maxCorrelation: number;
}

export interface ValidityResult {
  readonly n: number;
  readonly factors: readonly FactorValidity[];
  readonly htmt: readonly { a: string; b: string; value: number }[];
  readonly factorCorrelations: readonly { a: string; b: string; value: number }[];
  /** True when every factor's √AVE exceeds its largest absolute correlation with another factor. */
  readonly fornellLarcker: boolean;
  readonly fit: SemResult['fit'];
  readonly options: { readonly missing: SemMissing };
  readonly diagnostics: Diagnostics;
}

/**
 * Convergent and discriminant validity from a CFA: per factor the average variance extracted
 * AVE = mean λ², composite reliability CR = (Σλ)²/((Σλ)² + Σ(1−λ²)) from the standardized
 * (std.all) loadings (Fornell & Larcker, 1981, doi:10.1177/002224378101800104), the
 * Fornell–Larcker criterion √AVE > max |φ| over the factor correlations, and the
 * heterotrait–monotrait ratio HTMT_ij = mean|r| across the two factors' indicators /
 * √(mean|r| within i · mean|r| within j) from the indicators' correlations (Henseler, Ringle
 * & Sarstedt, 2015, doi:10.1007/s11747-014-0403-8). Matches the AVE/CR formulas of
 * semTools::compRelSEM's family and semTools::htmt(htmt2 = FALSE) (semTools 0.5.6).
 */
export function constructValidity(input: SemData, model: string | readonly Statement[], options: { missing?: SemMissing } = {}): ValidityResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  const missing = options.missing ?? 'listwise';
  const fit = fitSem({ columns: input.columns, rows: input.rows }, statements, { missing });
  const loadings = fit.estimates.filter((e) => e.op === '=~');
  const factors = [...new Set(loadings.map((e) => e.lhs))];
  if (factors.length === 0) throw new InputError('model', 'model has no latent variables (=~) to assess.');
  // factor correlations implied by the model (for correlated factors these are the standardized
  // covariances; under a second-order factor, the correlations it implies)
  const internal = (fit as unknown as { internal: SemInternal }).internal;
  const { latentAll, m } = internal.model;
  const M = internal.evaluation.groups[0].implied.latentCov;
  const corr = (a: string, b: string): number => {
    const i = latentAll.indexOf(a);
    const j = latentAll.indexOf(b);
    return M[i * m + j] / Math.sqrt(M[i * m + i] * M[j * m + j]);
  };
  const factorCorrelations: { a: string; b: string; value: number }[] = [];
  for (let i = 0; i < factors.length; i++)
    for (let j = i + 1; j < factors.length; j++) factorCorrelations.push({ a: factors[i], b: factors[j], value: corr(factors[i], factors[j]) });
  const out: FactorValidity[] = factors.map((f) => {
    const l = loadings.filter((e) => e.lhs === f).map((e) => e.std);
    const sum = l.reduce((a, b) => a + b, 0);
    const ave = l.reduce((a, b) => a + b * b, 0) / l.length;
    const err = l.reduce((a, b) => a + (1 - b * b), 0);
    const others = factors.filter((g) => g !== f).map((g) => Math.abs(corr(f, g)));
    return {
      factor: f,
      indicators: loadings.filter((e) => e.lhs === f).map((e) => e.rhs),
      ave,
      cr: (sum * sum) / (sum * sum + err),
      sqrtAve: Math.sqrt(ave),
      maxCorrelation: others.length ? Math.max(...others) : 0,
    };
  });
  // HTMT (factors measured by observed items) from the items' correlations over complete rows
  const items = [...new Set(loadings.map((e) => e.rhs))].filter((v) => input.columns.includes(v));
  const idx = items.map((v) => input.columns.indexOf(v));
  const rows = input.rows.map((r) => idx.map((j) => r[j])).filter((r) => r.every((v) => !Number.isNaN(v)));
  const r = correlations(rows, items.length);
  const at = (a: string, b: string) => r[items.indexOf(a) * items.length + items.indexOf(b)];
  const mono = (f: string) => {
    const ind = out.find((x) => x.factor === f)!.indicators.filter((v) => items.includes(v));
    let s = 0;
    let k = 0;
    for (let a = 0; a < ind.length; a++)
      for (let b = a + 1; b < ind.length; b++) {
        s += Math.abs(at(ind[a], ind[b]));
        k++;
      }
    return k > 0 ? s / k : NaN;
  };
  const htmt: { a: string; b: string; value: number }[] = [];
  const firstOrder = out.filter((f) => f.indicators.some((v) => items.includes(v)));
  for (let i = 0; i < firstOrder.length; i++)
    for (let j = i + 1; j < firstOrder.length; j++) {
      const ia = firstOrder[i].indicators.filter((v) => items.includes(v));
      const ib = firstOrder[j].indicators.filter((v) => items.includes(v));
      let s = 0;
      for (const a of ia) for (const b of ib) s += Math.abs(at(a, b));
      const hetero = s / (ia.length * ib.length);
      const [fa, fb] = [firstOrder[i].factor, firstOrder[j].factor];
      htmt.push({ a: fa, b: fb, value: hetero / Math.sqrt(mono(fa) * mono(fb)) });
    }
  const warnings = [...fit.diagnostics.warnings];
  for (const f of out) if (f.indicators.length < 2) warnings.push(`${f.factor} has one indicator: its HTMT is not defined.`);
  return {
    n: fit.n,
    factors: out,
    htmt,
    factorCorrelations,
    fornellLarcker: out.every((f) => f.sqrtAve > f.maxCorrelation),
    fit: fit.fit,
    options: { missing },
    diagnostics: { converged: fit.converged, iterations: fit.diagnostics.iterations, warnings },
  };
}

function correlations(rows: readonly (readonly number[])[], p: number): Float64Array {
  const n = rows.length;
  const mean = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j] / n;
  const c = new Float64Array(p * p);
  for (const r of rows)
    for (let i = 0; i < p; i++) {
      const di = r[i] - mean[i];
      for (let j = 0; j <= i; j++) c[i * p + j] += di * (r[j] - mean[j]);
    }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      const v = c[i * p + j] / Math.sqrt(c[i * p + i] * c[j * p + j]);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  return out;
}
