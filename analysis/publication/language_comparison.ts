import { InputError } from '../errors.js';
import { reverseKey } from '../data/reverse_key.js';
import { cellDimension, DIMENSIONS, type Cell } from '../sei_model.js';
import { contextInvariance, publishedSample } from './scale_developer.js';
import { equivalenceOf, failingReasons, holdsInFull, untested, type Equivalence } from './invariance_gate.js';
import { factorAnalysisRequirement } from './minimum_sample.js';
import type { WavePublication, WavePublicationInput } from './publish_wave.js';

/** The invariance gate of a wave's comparisons across the languages its answers were given in. */
export interface LanguageComparison {
  /** The locales tested against each other (each with enough respondents for the check). */
  readonly locales: readonly string[];
  /**
   * Locales with at least the minimum group size of respondents but fewer than the check needs:
   * named, not tested. Locales below the minimum group size are not named (see `othersTooFew`).
   */
  readonly untested: readonly string[];
  /** Some answers came in a language with fewer respondents than the minimum group size: not tested and not named. */
  readonly othersTooFew: boolean;
  /** Means (unit scores, rankings, differences from the organisation) compare across languages: full scalar invariance in every dimension; null when not checked (no two locales with enough respondents, or a model that could not be fitted). */
  readonly meansAcrossLanguages: boolean | null;
  /** Relations (correlations, regressions) compare across languages: full metric invariance; null when not tested. */
  readonly relationsAcrossLanguages: boolean | null;
  readonly equivalence: readonly Equivalence[];
  /** The plain statement the report prints. */
  readonly statement: string;
}

/**
 * The invariance gate across languages (Vandenberg & Lance, 2000, doi:10.1177/109442810031002;
 * for translated instruments, van de Vijver & Leung, 1997, Methods and Data Analysis for
 * Cross-Cultural Research): when a wave's answers come in two or more locales, each dimension's
 * three-cell model is tested configural → metric → scalar across the locale groups, with the
 * partial search where a level fails (contextInvariance, the engine of the context gate). A
 * translation that shifts one item's intercept shifts the unit means of every unit whose members
 * read that translation, so means compare across languages only with full scalar invariance;
 * relations need full metric invariance.
 *
 * Which locales are tested: a locale group needs the CFA's minimum sample for the dimension's
 * items (factorAnalysisRequirement). A locale with fewer respondents than the wave's minimum
 * group size is neither tested nor named (naming it would say that a handful of people answered
 * in it); a locale between the two is named as not tested. Group sizes are not stored: with the
 * organisation's n, the tested locales' sizes would give the untested ones' by subtraction.
 * Over the published units' valid respondents only (publishedSample); `locales[i]` is the locale
 * of the current wave's answer set i. Null when the published answers are all in one locale.
 */
export function languageComparison(
  input: WavePublicationInput,
  publication: WavePublication,
  locales: readonly string[],
): LanguageComparison | null {
  const current = input.waves.at(-1)!;
  if (locales.length !== current.answerSets.length) throw new InputError('locales', `locales must give one locale per answer set of the wave (${current.answerSets.length}); got ${locales.length}.`);
  const sample = publishedSample({ ...input, contexts: {} }, publication);
  const localeOf = sample.sets.map((i) => locales[i]);
  const counts = new Map<string, number>();
  for (const l of localeOf) counts.set(l, (counts.get(l) ?? 0) + 1);
  if (counts.size < 2) return null;
  const largestDimension = Math.max(...DIMENSIONS.map((d) => input.items.filter((i) => cellDimension(i.cell) === d).length));
  const needs = factorAnalysisRequirement(largestDimension).minimum;
  const k = current.minGroupSize;
  const all = [...counts.keys()].sort();
  const tested = all.filter((l) => counts.get(l)! >= needs);
  const untestedLocales = all.filter((l) => counts.get(l)! < needs && counts.get(l)! >= k);
  const othersTooFew = all.some((l) => counts.get(l)! < k);
  const aside = [
    untestedLocales.length > 0 ? `answers in ${untestedLocales.join(', ')} are too few for the check (it needs ${needs} respondents per language) and are not tested` : '',
    othersTooFew ? 'answers in other languages are too few to test or to name' : '',
  ].filter((s) => s !== '');
  const asideText = aside.length > 0 ? ` ${capitalise(aside.join('; '))}.` : '';
  // Without the check, neither means nor relations are known to compare (null, not false).
  const unchecked = (equivalence: LanguageComparison['equivalence'], why: string): LanguageComparison => ({
    locales: tested,
    untested: untestedLocales,
    othersTooFew,
    meansAcrossLanguages: null,
    relationsAcrossLanguages: null,
    equivalence,
    statement: `${why}, so means and relations are compared across languages without that check.${asideText}`,
  });
  if (tested.length < 2) {
    return unchecked([], 'Answers came in more than one language, but no two languages have enough respondents to test whether the items read alike in them');
  }
  const keep = localeOf.map((l) => tested.includes(l));
  const rows = sample.rows.filter((_, r) => keep[r]);
  const groups = localeOf.filter((_, r) => keep[r]);
  const items = input.items.map((i) => ({ id: i.id, cell: i.cell as Cell, reverse: i.reverse }));
  const keyed = reverseKey(rows, items.flatMap((item, j) => (item.reverse ? [j] : [])), { min: input.scaleMin, max: input.scaleMax });
  const tables = contextInvariance({ scaleMin: input.scaleMin, scaleMax: input.scaleMax, items, rows, contexts: groups, seed: 1 }, keyed, { partialInvariance: true }, 'languages');
  const equivalence = tables.map(equivalenceOf);
  if (untested(equivalence)) {
    return unchecked(equivalence, `Whether the items read alike in ${tested.join(', ')} could not be checked (${failingReasons(equivalence, 'scalar')})`);
  }
  const meansAcrossLanguages = holdsInFull(equivalence, 'scalar');
  const relationsAcrossLanguages = holdsInFull(equivalence, 'metric');
  const across = tested.join(', ');
  const means = meansAcrossLanguages
    ? `Means compare across languages (${across}): yes, scalar invariance holds in every dimension.`
    : `Means compare across languages (${across}): no (${failingReasons(equivalence, 'scalar')}). Unit scores, rankings and differences from the organisation pool respondents who read different translations, so a difference between units may come from how an item reads in a language rather than from the units.`;
  const relations = relationsAcrossLanguages
    ? ' Relations compare across languages: yes (metric invariance holds).'
    : ` Relations compare across languages: no (${failingReasons(equivalence, 'metric')}).`;
  return { locales: tested, untested: untestedLocales, othersTooFew, meansAcrossLanguages, relationsAcrossLanguages, equivalence, statement: `${means}${relations}${asideText}` };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
