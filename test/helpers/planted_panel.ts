import type { PanelSpec } from '../../analysis/index.js';

/**
 * A pilot panel with three planted bad items: SxA_3 measures TxV (the wrong cell), RxC_5 loads
 * .20 on its cell (a low loading), TxA_2 reads 1 latent SD higher in the south (an intercept that
 * is not invariant across contexts). 2 contexts × 20 units of 6–16 respondents (≈ 400 in all,
 * enough for the EFA of 72 items and the invariance of each dimension's 24 items per context).
 */
export const PLANTED_PILOT: PanelSpec = {
  contexts: ['north', 'south'],
  unitsPerContext: 20,
  unitSize: { mean: 10, min: 6, max: 16 },
  waves: ['W1'],
  misplaced: [{ item: 'SxA_3', cell: 'TxV' }],
  loadings: { RxC: [0.7, 0.7, 0.7, 0.7, 0.2, 0.7, 0.7, 0.7] },
  nonInvariance: [{ context: 'south', items: ['TxA_2'], intercept: 1 }],
};

/** The same organisation's next wave, with no planted item (the revised TxA_2 reads alike everywhere). */
export const CLEAN_FOLLOW_UP: PanelSpec = {
  contexts: ['north', 'south'],
  unitsPerContext: 20,
  unitSize: { mean: 10, min: 6, max: 16 },
  waves: ['W2'],
};
