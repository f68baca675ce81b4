/** Multilevel measurement: within/between decomposition and level-specific reliability. */
export { withinBetween } from './within_between.js';
export type { ItemLevels, WithinBetween } from './within_between.js';
export { levelReliability } from './level_reliability.js';
export type { Composite, CompositeReliability, LevelReliability } from './level_reliability.js';
