import { InputError } from '../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import { extractFactors, type ExtractionMethod } from './extract_factors.js';
import { factorFit, type FactorFit } from './factor_fit.js';
import { identity, multiply, transposedProduct, type Matrix } from './linear_algebra.js';
import { rotateVarimax } from './rotate_varimax.js';
import { rotatePromax } from './rotate_promax.js';
import { geominCriterion, obliminCriterion, rotateOblique } from './rotate_oblique.js';
import { symmetricEigenvalues } from './symmetric_eigen.js';
import type { CorrelationFactor } from './correlation_factor.js';

export type Rotation = 'none' | 'varimax' | 'promax' | 'oblimin' | 'quartimin' | 'geomin';
export const ROTATIONS: readonly Rotation[] = ['none', 'varimax', 'promax', 'oblimin', 'quartimin', 'geomin'];

export interface FactorAnalysisOptions {
  readonly method?: ExtractionMethod;
  readonly rotate?: Rotation;
  /** Observations behind R, for the fit statistics. */
  readonly n: number;
  /** R's Cholesky factor and inverse ({@link CorrelationFactor}) when the caller has them, shared with its own KMO and Bartlett. */
  readonly factor?: CorrelationFactor;
}

/** An exploratory factor analysis of a correlation matrix, rotated and ordered as psych::fa reports it. */
export interface FactorAnalysis {
  readonly n: number;
  readonly nfactors: number;
  readonly method: ExtractionMethod;
  readonly rotate: Rotation;
  /** p × k pattern matrix. */
  readonly loadings: number[][];
  /** p × k structure matrix, pattern × Φ. */
  readonly structure: number[][];
  /** k × k factor correlations (identity for orthogonal rotations). */
  readonly phi: number[][];
  readonly communalities: number[];
  readonly uniquenesses: number[];
  /** Unrotated loadings from the extraction. */
  readonly unrotated: number[][];
  /** Eigenvalues of R, largest first. */
  readonly eigenvalues: number[];
  /** Variance accounted for by each factor, diag(Φ Λ′Λ). */
  readonly ssLoadings: number[];
  readonly fit: FactorFit;
  readonly diagnostics: Diagnostics;
}

/**
 * Exploratory factor analysis of a p × p correlation matrix `r`: extraction (minres, ml, pa), rotation
 * (none, varimax, promax, oblimin, quartimin, geomin), then psych's presentation: each factor's sign
 * makes its loadings sum positive and factors are ordered by the variance they account for,
 * diag(ΦΛ′Λ), largest first. Communalities are those of the extraction (rotation leaves them
 * unchanged). Fit statistics from `factorFit`. Matches psych::fa 2.2.9 with the same `fm` and
 * `rotate` (geomin = psych's "geominQ").
 */
export function factorAnalysis(r: readonly (readonly number[])[], nfactors: number, { method = 'minres', rotate = 'oblimin', n, factor }: FactorAnalysisOptions): FactorAnalysis {
  if (!ROTATIONS.includes(rotate)) throw new InputError('rotate', `rotate must be one of ${ROTATIONS.join(', ')}; got "${rotate}".`);
  if (!(Number.isFinite(n) && n > 1)) throw new InputError('n', `n must be more than 1 observation; got ${n}.`);
  const ex = extractFactors(r, nfactors, { method, factor });
  const warnings = [...ex.diagnostics.warnings];
  let loadings: Matrix = ex.loadings.map((row) => row.slice());
  let phi: Matrix | undefined;
  let rotationConverged = true;
  let rotationIterations = 0;
  if (nfactors > 1 && rotate !== 'none') {
    if (rotate === 'varimax') {
      const v = rotateVarimax(loadings);
      loadings = v.loadings;
      rotationConverged = v.converged;
      rotationIterations = v.iterations;
    } else {
      const o =
        rotate === 'promax'
          ? rotatePromax(loadings)
          : rotateOblique(loadings, rotate === 'geomin' ? geominCriterion() : obliminCriterion(0));
      loadings = o.loadings;
      phi = o.phi;
      rotationConverged = o.converged;
      rotationIterations = o.iterations;
    }
    if (!rotationConverged) warnings.push(`the ${rotate} rotation did not converge in ${rotationIterations} iterations.`);
  }
  const k = nfactors;
  // signs: each column sums positive
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < loadings.length; i++) s += loadings[i][j];
    if (s < 0) {
      for (const row of loadings) row[j] = -row[j];
      if (phi) for (let m = 0; m < k; m++) if (m !== j) { phi[j][m] = -phi[j][m]; phi[m][j] = -phi[m][j]; }
    }
  }
  // order by diag(Φ Λ′Λ)
  const p = loadings.length;
  const flat = new Float64Array(p * k);
  for (let i = 0; i < p; i++) flat.set(loadings[i], i * k);
  const product = transposedProduct(flat, flat, p, k);
  const ltl = Array.from({ length: k }, (_, a) => Array.from(product.subarray(a * k, a * k + k)));
  const ss = Array.from({ length: k }, (_, j) => (phi ? phi[j].reduce((s, v, m) => s + v * ltl[m][j], 0) : ltl[j][j]));
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => ss[b] - ss[a]);
  loadings = loadings.map((row) => order.map((j) => row[j]));
  const phiOut = phi ? order.map((a) => order.map((b) => phi![a][b])) : identity(k);
  const structure = phi ? multiply(loadings, phiOut) : loadings.map((row) => row.slice());
  const fit = factorFit(r, ex.loadings, n, factor);
  return {
    n,
    nfactors: k,
    method,
    rotate: nfactors > 1 ? rotate : 'none',
    loadings,
    structure,
    phi: phiOut,
    communalities: ex.communalities,
    uniquenesses: ex.uniquenesses,
    unrotated: ex.loadings,
    eigenvalues: symmetricEigenvalues(r),
    ssLoadings: order.map((j) => ss[j]),
    fit,
    diagnostics: {
      converged: ex.diagnostics.converged && rotationConverged,
      iterations: ex.diagnostics.iterations + rotationIterations,
      warnings,
    },
  };
}
