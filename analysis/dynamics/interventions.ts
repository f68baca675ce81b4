import type { Cell } from '../sei_model.js';

/** An exemplar intervention for weak SEI cells (shared/DESIGN.md). */
export interface Intervention {
  readonly id: string;
  readonly name: string;
  /** The cells it strengthens. */
  readonly cells: readonly Cell[];
  readonly description: string;
}

/**
 * The exemplar interventions of shared/DESIGN.md, one per line of its list, with the cells
 * each addresses. R×A and R×V have no exemplar there; a diagnosis reports such weak cells
 * as not covered rather than inventing one.
 */
export const INTERVENTIONS: readonly Intervention[] = Object.freeze([
  {
    id: 'translation-stewardship',
    name: 'Translation stewardship',
    cells: ['TxA'],
    description:
      'Name an integrator with authority over the boundary objects the units share (requirements, roadmaps, interface specifications): one person answers for keeping them consistent with the strategy and signs off every change to them.',
  },
  {
    id: 'dependency-maps',
    name: 'Dependency maps and process mining',
    cells: ['TxV'],
    description:
      'Draw the map of cross-unit dependencies and mine the workflow traces for hand-off loops, parallel versions and waiting time, so that each unit sees how its work connects to the intent and to the others.',
  },
  {
    id: 'interface-reviews',
    name: 'Cross-boundary interface reviews',
    cells: ['TxC'],
    description:
      'Hold regular reviews in which the units on both sides of an interface go through changes of intent, priority and specification together before work starts, and agree on one reading of them.',
  },
  {
    id: 'safety-review',
    name: 'Psychological-safety review and case clinics',
    cells: ['RxC'],
    description:
      'Assess whether people can raise cross-unit problems without blame, and run case clinics in which recurring boundary problems are worked through jointly by the people involved, with a named owner for each follow-up.',
  },
  {
    id: 'decision-rights',
    name: 'Decision-rights clarification with time-bound escalation',
    cells: ['SxA'],
    description:
      'Write down who decides, who is consulted and who approves for each recurring cross-unit decision, and give every escalation a deadline and a named final decider so that no decision waits in a loop.',
  },
  {
    id: 'cross-role-huddles',
    name: 'Cross-role huddles with escalation rules',
    cells: ['SxC'],
    description:
      'Run short, frequent huddles of the roles that share work across the boundary, with agreed rules for what is escalated, to whom and by when.',
  },
  {
    id: 'lead-time-metrics',
    name: 'Lead-time and dependency metrics',
    cells: ['SxV', 'TxV'],
    description:
      'Publish lead times, approval paths and open dependencies per unit and per interface where every unit can see them, so that structural bottlenecks show before they become breakpoints.',
  },
] as const satisfies readonly Intervention[]);
