/**
 * The seici analysis library: psychometrics and SEI dynamics as pure functions.
 * The server and the CLI import it only through this file.
 */
export { InputError, requireInput } from './errors.js';
export type { Diagnostics } from './diagnostics.js';
export { closedForm } from './diagnostics.js';
export { completeRows, isCompleteRow } from './data/complete_rows.js';
export { observedRange, reverseKey } from './data/reverse_key.js';
export { correlation, covariance, covarianceToCorrelation } from './data/covariance.js';
export type { Divisor, MissingPolicy, Moments } from './data/covariance.js';
export * from './scoring/index.js';
export * from './agreement/index.js';
export * from './simulation/index.js';
export * from './items/index.js';
export * from './reliability/index.js';
export { extractFactors } from './efa/extract_factors.js';
export type { ExtractionMethod, ExtractionOptions, FactorExtraction } from './efa/extract_factors.js';
