export { contentValidity } from './content_validity.js';
export type {
  CellContentValidity,
  ContentValidityMap,
  ContentValidityOptions,
  ContentValidityResult,
  ExpertRating,
  ItemContentValidity,
} from './content_validity.js';
export { itemCvi, scaleCvi } from './relevance_index.js';
export type { ScaleCvi } from './relevance_index.js';
export { contentValidityRatio, criticalContentValidityRatio } from './content_validity_ratio.js';
export { itemSortIndices } from './item_sort.js';
export type { ItemSortIndices } from './item_sort.js';
export { DEFAULT_VERDICT_CRITERIA, itemVerdict } from './item_verdict.js';
export type { ContentVerdict, VerdictCriteria, VerdictEvidence } from './item_verdict.js';
