import { reverseKey } from '../data/reverse_key.js';
import { contextInvariance, publishedSample } from './scale_developer.js';
import { equivalenceOf, holdsInFull, type Equivalence } from './invariance_gate.js';
import type { Cell } from '../sei_model.js';
import type { PublishedUnit, WavePublication, WavePublicationInput } from './publish_wave.js';

/** How far the wave's measurement is equivalent across its contexts, per dimension. */
export type ContextEquivalence = Equivalence;

export interface RankedUnit {
  readonly unitKey: string;
  readonly context: string | null;
  readonly n: number;
  readonly seiCi: number;
  readonly rank: number;
}

/** The invariance gate of a wave's unit comparisons, and the rankings it allows. */
export interface UnitComparison {
  readonly contexts: readonly string[];
  /** Units of different contexts may be ranked by their mean scores (full scalar invariance in every dimension). */
  readonly meansAcrossContexts: boolean;
  /** Relations (correlations, regressions) may be compared across contexts (full metric invariance). */
  readonly relationsAcrossContexts: boolean;
  readonly equivalence: readonly ContextEquivalence[];
  /** One ranking over all published units when the means compare across contexts, else one per context. */
  readonly rankings: readonly { readonly scope: string; readonly units: readonly RankedUnit[] }[];
  /** The plain statement the report prints: what is compared and why. */
  readonly statement: string;
}

/**
 * The invariance gate (Vandenberg & Lance, 2000, doi:10.1177/109442810031002; Steinmetz, 2013,
 * doi:10.1027/1614-2241/a000049): before units of different contexts are ranked by their mean
 * scores, each dimension's three-cell model must hold scalar invariance across the contexts
 * (equal loadings and intercepts; metric suffices for relations). Observed unit scores are sums
 * of items, so a single item whose intercept differs shifts a context's means even when partial
 * scalar invariance holds for the latent means: ranking across contexts therefore needs full
 * scalar invariance, and otherwise units are ranked within each context only, with the reason
 * given. A context below the CFA's minimum sample cannot be checked, which also blocks the
 * comparison. Over the published units' valid respondents only; rankings list published units
 * that are not roll-ups, by SEI-CI from the highest.
 */
export function unitComparison(
  input: WavePublicationInput & { readonly contexts: Readonly<Record<string, string | null>> },
  publication: WavePublication,
): UnitComparison {
  const units = publication.units.filter((u): u is PublishedUnit => !u.suppressed && !u.rollup);
  const contextOf = (key: string) => input.contexts[key] ?? null;
  const contexts = [...new Set(units.map((u) => contextOf(u.unitKey)).filter((c): c is string => c !== null))].sort();
  const rank = (list: readonly PublishedUnit[]): RankedUnit[] =>
    [...list]
      .sort((a, b) => b.seiCi - a.seiCi || (a.unitKey < b.unitKey ? -1 : 1))
      .map((u, i) => ({ unitKey: u.unitKey, context: contextOf(u.unitKey), n: u.n, seiCi: u.seiCi, rank: i + 1 }));
  if (contexts.length < 2) {
    return {
      contexts,
      meansAcrossContexts: true,
      relationsAcrossContexts: true,
      equivalence: [],
      rankings: units.length > 0 ? [{ scope: contexts[0] ?? 'all units', units: rank(units) }] : [],
      statement: 'All published units belong to one context, so their means compare without an invariance check across contexts.',
    };
  }
  const sample = publishedSample(input, publication);
  const items = input.items.map((i) => ({ id: i.id, cell: i.cell as Cell, reverse: i.reverse }));
  const keyed = reverseKey(sample.rows, items.flatMap((item, j) => (item.reverse ? [j] : [])), { min: input.scaleMin, max: input.scaleMax });
  const tables = contextInvariance({ scaleMin: input.scaleMin, scaleMax: input.scaleMax, items, rows: sample.rows, contexts: sample.contexts, seed: 1 }, keyed, { partialInvariance: true });
  const equivalence = tables.map(equivalenceOf);
  const meansAcrossContexts = holdsInFull(equivalence, 'scalar');
  const relationsAcrossContexts = holdsInFull(equivalence, 'metric');
  const failing = equivalence.filter((e) => e.holds !== 'scalar');
  const statement = meansAcrossContexts
    ? `Scalar invariance holds across ${contexts.join(', ')} in every dimension, so units are ranked by their mean scores across contexts.`
    : `Units are ranked within each context only: ${failing.map((e) => `${e.dimension}: ${e.note}`).join('; ')}. Without scalar invariance, a difference between the means of units in different contexts may come from how the items are read there rather than from the units.${relationsAcrossContexts ? ' Metric invariance holds, so relations between scores compare across contexts.' : ''}`;
  const rankings = meansAcrossContexts
    ? [{ scope: 'all contexts', units: rank(units) }]
    : contexts.map((c) => ({ scope: c, units: rank(units.filter((u) => contextOf(u.unitKey) === c)) }));
  return { contexts, meansAcrossContexts, relationsAcrossContexts, equivalence, rankings, statement };
}
