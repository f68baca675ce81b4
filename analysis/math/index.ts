/** Probability distributions: the one place every p-value and quantile of seici comes from. */
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
