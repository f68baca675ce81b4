/**
 * The Strategy-Execution Interface model: three coherence dimensions crossed with
 * three governance levers give nine cells (shared/DESIGN.md).
 */

export const DIMENSIONS = ['S', 'R', 'T'] as const;
export const LEVERS = ['A', 'C', 'V'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Lever = (typeof LEVERS)[number];
export type Cell = `${Dimension}x${Lever}`;

export const CELLS: readonly Cell[] = DIMENSIONS.flatMap((d) => LEVERS.map((l) => `${d}x${l}` as Cell));

/** The names used for dimension and lever scores in results (shared/CONTRACT.md `score`). */
export const DIMENSION_NAMES = { S: 'structural', R: 'relational', T: 'translational' } as const;
export const LEVER_NAMES = { A: 'accountability', C: 'communication', V: 'visibility' } as const;
export type DimensionName = (typeof DIMENSION_NAMES)[Dimension];
export type LeverName = (typeof LEVER_NAMES)[Lever];

export const DIMENSION_DEFINITIONS: Readonly<Record<Dimension, string>> = {
  S: 'Structural coherence: decision rights, roles, interfaces and escalation paths between units fit the way the strategy requires work to be divided and joined.',
  R: 'Relational coherence: people across unit boundaries share goals and knowledge, trust one another and work problems out together rather than around each other.',
  T: 'Translational coherence: strategic intent is turned into concrete, shared priorities, requirements and boundary objects that every interdependent unit reads the same way.',
};

export const LEVER_DEFINITIONS: Readonly<Record<Lever, string>> = {
  A: 'Accountability: who owns a decision, a dependency or a handoff is explicit, and commitments across boundaries are kept or renegotiated openly.',
  C: 'Communication: information needed across boundaries flows in time, through agreed channels, and in both directions.',
  V: 'Visibility: the state of cross-unit work, its dependencies and its bottlenecks can be seen by those who need to act on it.',
};

export const CELL_DEFINITIONS: Readonly<Record<Cell, string>> = {
  SxA: 'Decision rights and escalation paths across units are clear, and each cross-unit decision has one accountable owner.',
  SxC: 'Formal structures such as forums, huddles and escalation rules carry information between roles and units.',
  SxV: 'Structural facts that shape the work (approval paths, dependencies, capacity, lead times) are visible to the units that depend on them.',
  RxA: 'People hold one another to cross-boundary commitments on the basis of mutual respect rather than hierarchy or blame.',
  RxC: 'Relationships across units support frequent, timely, accurate and problem-solving communication, with the safety to raise problems.',
  RxV: 'People know who in other units holds what knowledge and what those colleagues are working on.',
  TxA: 'Someone is accountable for translating strategic intent into the boundary objects (requirements, roadmaps, specifications) that units share.',
  TxC: 'Intent, priorities and changes to them are communicated across boundaries so that every unit interprets them the same way.',
  TxV: 'How strategic intent maps onto each unit\'s work, dependencies and progress can be seen end to end.',
};

export function cellDimension(cell: Cell): Dimension {
  return cell[0] as Dimension;
}

export function cellLever(cell: Cell): Lever {
  return cell[2] as Lever;
}

export function isCell(value: string): value is Cell {
  return (CELLS as readonly string[]).includes(value);
}
