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
export * from './screening/index.js';
export * from './items/index.js';
export * from './reliability/index.js';
export { extractFactors } from './efa/extract_factors.js';
export type { ExtractionMethod, ExtractionOptions, FactorExtraction } from './efa/extract_factors.js';
export { exploratoryFactorAnalysis } from './efa/exploratory_factor_analysis.js';
export type { EfaOptions, EfaResult, CorrelationType } from './efa/exploratory_factor_analysis.js';
export { factorAnalysis, ROTATIONS } from './efa/factor_analysis.js';
export type { FactorAnalysis, FactorAnalysisOptions, Rotation } from './efa/factor_analysis.js';
export { polychoricCorrelation } from './data/polychoric.js';
export type { PolychoricResult } from './data/polychoric.js';
export { smoothCorrelation } from './data/smooth_correlation.js';
export { kaiserMeyerOlkin } from './efa/sampling_adequacy.js';
export { bartlettSphericity } from './efa/bartlett_sphericity.js';
export { itemRetention } from './efa/item_retention.js';
export type { ItemRetention, RetentionCriteria } from './efa/item_retention.js';
export * from './dynamics/index.js';
export { csvRecords, eachCsvRecord, headerPositions } from './data/csv_records.js';
export type { CsvRecords } from './data/csv_records.js';
export * from './traces/index.js';
export * from './sem/index.js';
export { omegaSchmidLeiman } from './reliability/omega_schmid_leiman.js';
export type { SchmidLeimanOmega } from './reliability/omega_schmid_leiman.js';
export { parallelAnalysis } from './efa/parallel_analysis.js';
export type { ParallelAnalysis, ParallelAnalysisOptions } from './efa/parallel_analysis.js';
export { minimumAveragePartial } from './efa/minimum_average_partial.js';
export type { MinimumAveragePartial } from './efa/minimum_average_partial.js';
export { numberOfFactors } from './efa/number_of_factors.js';
export type { NumberOfFactors, NumberOfFactorsOptions } from './efa/number_of_factors.js';
export * from './math/index.js';
