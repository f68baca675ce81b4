/** Confirmatory factor analysis and SEM in lavaan syntax, measurement invariance, validity. */
export { parseModelSyntax } from './model_syntax.js';
export type { Modifier, Statement, SyntaxOperator, Term } from './model_syntax.js';
export { buildParameterTable, modelVariables } from './parameter_table.js';
export { assertLatentNamesFree, latentVariables } from './latent_names.js';
export type { GroupEqual, ParameterRow, ParameterTable, ParameterTableOptions } from './parameter_table.js';
export { fitSem, fitTable } from './fit_sem.js';
export { bootstrapSem } from './bootstrap_se.js';
export type { SemBootstrapEstimate, SemBootstrapOptions, SemBootstrapResult } from './bootstrap_se.js';
export type { SemData, SemEstimate, SemEstimator, SemFit, SemOptions, SemResult } from './fit_sem.js';
export type { SemMissing } from './sample_statistics.js';
export { modificationIndices } from './modification_indices.js';
export type { ModificationIndex, ModificationIndexOptions } from './modification_indices.js';
export { measurementInvariance, INVARIANCE_LEVELS, LEVEL_CONSTRAINTS } from './measurement_invariance.js';
export type { InvarianceComparison, InvarianceLevel, InvarianceModel, InvarianceOptions, InvarianceResult } from './measurement_invariance.js';
export { constructValidity } from './construct_validity.js';
export type { FactorValidity, ValidityResult } from './construct_validity.js';
export { seiModelFromItemMap, seiModelSyntax, SEI_MODEL_KINDS } from './sei_model_syntax.js';
export type { SeiItemCell, SeiModelKind } from './sei_model_syntax.js';
