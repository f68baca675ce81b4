export { publicationPolicy, suppressedText, SMALLEST_MINIMUM_GROUP } from './policy.js';
export type { PublicationPolicy, SuppressionReason } from './policy.js';
export { validRespondents, unscoredCells } from './valid_respondents.js';
export { publishAggregates, ORGANISATION } from './aggregate_tree.js';
export type { AggregateNode, AggregateDecision, AggregatePublication, AggregateOptions } from './aggregate_tree.js';
export { factorAnalysisRequirement, reliabilityRequirement, agreementRequirement, belowRequirement, isSkipped } from './minimum_sample.js';
export type { SampleRequirement, SkippedAnalysis } from './minimum_sample.js';
export { publishWave } from './publish_wave.js';
export type {
  WavePublicationInput,
  WavePublication,
  PublicationWave,
  HierarchyUnit,
  PublicationAnswerSet,
  PublishedAggregate,
  PublishedUnit,
  SuppressedUnit,
  AggregateScores,
  AggregateAgreement,
  DriftPoint,
  DimensionAgreement,
  ReliabilityEntry,
} from './publish_wave.js';
export { publishDiagnosis } from './publish_diagnosis.js';
export type { DiagnosisPublication, DiagnosisPublicationInput, StoredUnitDiagnosis } from './publish_diagnosis.js';
export { scaleAnalysis, scaleDeveloperAnalyses, publishedSample } from './scale_developer.js';
export type { ScaleAnalysis, ScaleAnalysisInput, ScaleAnalysisOptions, PublishedSample, ReliabilityRow, ItemRow, LoadingRow, FitRow, InvarianceTable } from './scale_developer.js';
export { multilevelMeasurement, MIN_UNITS_TWO_LEVEL } from './multilevel_measurement.js';
export type { MultilevelMeasurement, TwoLevelDimension, CellLevelReliability } from './multilevel_measurement.js';
export { unitComparison } from './unit_comparison.js';
export type { UnitComparison, ContextEquivalence, RankedUnit } from './unit_comparison.js';
export { languageComparison } from './language_comparison.js';
export type { LanguageComparison } from './language_comparison.js';
export { waveComparison, driftJustification } from './wave_comparison.js';
export type { WaveComparison, WavePair, WaveChainOptions } from './wave_comparison.js';
export { equivalenceOf, holdsInFull } from './invariance_gate.js';
export type { Equivalence, GateLevel } from './invariance_gate.js';
export { crossVersionComparison } from './cross_version_comparison.js';
export type { CrossVersionComparison, ComparedWave, ComparedScores } from './cross_version_comparison.js';
export { contextInvariance } from './scale_developer.js';
export { NINE_CELL_MODEL, ordinalMeasurement, ordinalReadingRule } from './ordinal_measurement.js';
export type { OrdinalFitRow, OrdinalInvarianceTable, OrdinalMeasurement } from './ordinal_measurement.js';
export { pilotPurification, pilotAnalysis, PILOT_THRESHOLDS } from './pilot_purification.js';
export type { PilotPurification, PilotItemVerdict, PilotItemStatistics, PilotFlag, PilotValidity } from './pilot_purification.js';
export { blankRareValues } from './quasi_identifiers.js';
export { publishResearch, researchRunPanel } from './research_publication.js';
export type { ResearchPublication, ResearchPublicationInput, ResearchRunPanel, ResearchWave, ResearchHypothesis, ResearchEstimate } from './research_publication.js';
export { researchPanelDesigns, eventWavePositions, PANEL_OUTCOME, PANEL_REGRESSOR } from './research_panel_designs.js';
export type { InterfaceChange, ResearchPanelDesigns, ResearchPanelModel, ResearchClpm } from './research_panel_designs.js';
export { finiteJsonReplacer, finiteOrNull } from './finite.js';
