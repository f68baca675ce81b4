/**
 * The numerical kernels every part of seici shares: probability distributions (the one place
 * every p-value and quantile comes from), the Cholesky factorisation, the seeded random
 * generator and the sample quantile.
 */
export { logGamma } from './log_gamma.js';
export { incompleteGamma } from './incomplete_gamma.js';
export type { IncompleteGamma } from './incomplete_gamma.js';
export { incompleteBeta } from './incomplete_beta.js';
export type { IncompleteBeta } from './incomplete_beta.js';
export { normalCdf, normalDensity, normalQuantile, normalTwoSided, normalUpperTail } from './normal_distribution.js';
export { chiSquareCdf, chiSquareDensity, chiSquareQuantile, chiSquareTails, chiSquareUpperTail } from './chi_square_distribution.js';
export { noncentralChiSquareCdf } from './noncentral_chi_square.js';
export { fCdf, fQuantile, fTails, fUpperTail } from './f_distribution.js';
export { tCdf, tQuantile, tTails, tTwoSided } from './t_distribution.js';
export { Prng, seededUniform } from './random.js';
export { quantileType7 } from './quantile.js';
export { cholesky, choleskyInverse, choleskyLogDet, choleskySolve, choleskyRows, choleskyInverseRows, choleskyLogDetRows } from './cholesky.js';
