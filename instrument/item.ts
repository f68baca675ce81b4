import type { Cell } from './model.js';
import type { Localized } from './locale.js';

/** The SEI-CI itself and the supplementary scales answered with it. */
export const SCALES = ['seici', 'dynamism', 'relationalCoordination', 'interfaceRole', 'visibilityCoherence', 'visibilityOutcome'] as const;
export type ScaleId = (typeof SCALES)[number];

/** The id prefix of each supplementary scale's items (`DYN_1`, `RC_1`, `ROLE`, `VISC_1`, `VISO_1`). */
export const SCALE_PREFIXES: Readonly<Record<Exclude<ScaleId, 'seici'>, string>> = {
  dynamism: 'DYN',
  relationalCoordination: 'RC',
  interfaceRole: 'ROLE',
  visibilityCoherence: 'VISC',
  visibilityOutcome: 'VISO',
};

/**
 * One question of an instrument version. An id names exactly one wording, keying and
 * response format for ever: a revised item gets a new id and records the one it `revises`.
 */
export interface Item {
  /** Stable id: `SxA_1` for SEI-CI items, `DYN_1`, `RC_1`, `ROLE`, `VISC_1`, `VISO_1` for the others. */
  readonly id: string;
  readonly scale: ScaleId;
  /** The SEI cell the item measures; null for supplementary items. */
  readonly cell: Cell | null;
  /** Reverse-keyed: agreement means less of the construct; scored as `scaleMin + scaleMax - x`. */
  readonly reverse: boolean;
  /** The id of the item's `ResponseFormat` in its version's `responseFormats`. */
  readonly response: string;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly text: Localized;
  /** The id of the item this one replaced in an earlier version, when it is a revision. */
  readonly revises?: string;
}

/** How a scale is introduced to respondents and named in reports. */
export interface ScaleInfo {
  readonly id: ScaleId;
  readonly name: Localized;
  /** The instruction shown above the scale's items. */
  readonly instructions: Localized;
  /** What the scale measures and which hypothesis of the model uses it. */
  readonly purpose: string;
}
