export { scoreUnits } from './score_units.js';
export type { Responses, ScoreOptions, ScoreResult, UnitScore, UnitAggregation, DimensionRecord } from './score_units.js';
export { resolveItemMap } from './item_map.js';
export type { ItemMap, ResolvedItemMap } from './item_map.js';
export { cellScoreMatrix, respondentCellScores } from './cell_scores.js';
export { misalignment, dominantDimension } from './misalignment.js';
export { MIN_SHARED_ITEMS_PER_CELL, scoreAcrossVersions, sharedItems } from './shared_items.js';
export type { CrossVersionScores, SharedCell, SharedItems, VersionItem, VersionItems } from './shared_items.js';
