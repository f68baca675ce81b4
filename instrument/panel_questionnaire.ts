import { InputError } from '../analysis/errors.js';
import { Prng } from '../analysis/math/random.js';
import type { ExpertRating } from '../analysis/content_validity/content_validity.js';
import { isLocale, type Locale, type Localized } from './locale.js';
import { CELL_DEFINITIONS, CELLS, type Cell } from './model.js';
import type { Item } from './item.js';
import { seiItems, type InstrumentVersion } from './version.js';

/**
 * The expert-panel questionnaire (shared/CONTRACT.md `content-validity`'s inputs): each expert
 * rates every SEI-CI item's relevance (1–4), says whether it is essential (Lawshe, 1975) and
 * sorts it into one of the nine cells without being told which cell it was written for
 * (Anderson & Gerbing, 1991). Items come in an order shuffled per expert (seeded, so the same
 * expert sees the same order on resuming), and the questions are named by position (`p07_cell`),
 * not by item id, because an id names its cell. The page around it tells experts, once, that the
 * minimum group size protecting anonymous respondents does not apply to their ratings
 * ({@link PANEL_PRIVACY_NOTE}); the questionnaire's description says what to rate.
 */

export interface PanelQuestionJson {
  readonly type: 'radiogroup' | 'dropdown';
  readonly name: string;
  readonly title: string | Readonly<Record<string, string>>;
  readonly choices: readonly { readonly value: number | string; readonly text: string | Readonly<Record<string, string>> }[];
  readonly isRequired: boolean;
}

export interface PanelSurveyJson {
  readonly title: string | Readonly<Record<string, string>>;
  readonly description: string | Readonly<Record<string, string>>;
  readonly showQuestionNumbers: 'off';
  readonly showProgressBar: true;
  readonly pages: readonly {
    readonly name: string;
    readonly title: string | Readonly<Record<string, string>>;
    readonly elements: readonly { readonly type: 'panel'; readonly name: string; readonly title: string | Readonly<Record<string, string>>; readonly elements: readonly PanelQuestionJson[] }[];
  }[];
}

const RELEVANCE: readonly Localized[] = [
  { en: 'Not relevant', de: 'Nicht relevant' },
  { en: 'Somewhat relevant', de: 'Etwas relevant' },
  { en: 'Quite relevant', de: 'Ziemlich relevant' },
  { en: 'Highly relevant', de: 'Hoch relevant' },
];

const ESSENTIAL: readonly { value: string; label: Localized }[] = [
  { value: 'essential', label: { en: 'Essential', de: 'Unverzichtbar' } },
  { value: 'useful', label: { en: 'Useful, but not essential', de: 'Nützlich, aber nicht unverzichtbar' } },
  { value: 'not-necessary', label: { en: 'Not necessary', de: 'Nicht notwendig' } },
];

/**
 * What the expert page tells experts about the minimum group size, said once, at the top of the
 * page (views/panel.hbs), in the expert's language.
 */
export const PANEL_PRIVACY_NOTE: Localized = {
  en: 'You take part as an expert, not as an anonymous respondent: the rule that results are shown only for groups of at least five people does not apply to your ratings. They are analysed item by item together with the other experts\' ratings, and your name is not shown in reports.',
  de: 'Sie nehmen als Expertin oder Experte teil, nicht als anonyme befragte Person: Die Regel, dass Ergebnisse nur für Gruppen von mindestens fünf Personen gezeigt werden, gilt für Ihre Bewertungen nicht. Sie werden Aussage für Aussage zusammen mit den Bewertungen der anderen Fachleute ausgewertet; Ihr Name erscheint in keinem Bericht.',
};

/** The questionnaire's description: what to do with each statement. */
const PANEL_INSTRUCTIONS: Localized = {
  en: 'For each statement, rate how relevant it is to the construct of the SEI Coherence Index, whether it is essential, and which of the nine cells (described in the list) it measures best.',
  de: 'Bewerten Sie bei jeder Aussage, wie relevant sie für das Konstrukt des SEI-Kohärenzindex ist, ob sie unverzichtbar ist und welche der neun Zellen (in der Liste beschrieben) sie am besten misst.',
};

const QUESTIONS: Readonly<Record<'relevance' | 'essential' | 'cell', Localized>> = {
  relevance: { en: 'How relevant is this statement?', de: 'Wie relevant ist diese Aussage?' },
  essential: { en: 'Is it essential for measuring the construct?', de: 'Ist sie für die Messung des Konstrukts unverzichtbar?' },
  cell: { en: 'Which cell does it measure best?', de: 'Welche Zelle misst sie am besten?' },
};

/** The SEI-CI items in the order one expert sees them (a seeded shuffle). */
export function panelItemOrder(version: InstrumentVersion, seed: number): readonly Item[] {
  const items = [...seiItems(version)];
  const random = new Prng(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const questionName = (position: number, what: string) => `p${String(position + 1).padStart(2, '0')}_${what}`;

/** Builds the panel questionnaire of `version` for one expert (`seed` fixes the item order). */
export function buildPanelQuestionnaire(version: InstrumentVersion, locale: Locale, seed: number, options: { itemsPerPage?: number } = {}): PanelSurveyJson {
  if (!isLocale(locale) || !version.locales.includes(locale)) {
    throw new InputError('locale', `Instrument version ${version.id} has no locale "${locale}"; it has ${version.locales.join(', ')}.`);
  }
  const perPage = options.itemsPerPage ?? 8;
  const t = (x: Localized) => x[locale];
  const order = panelItemOrder(version, seed);
  const cellChoices = CELLS.map((c) => ({ value: c, text: `${c.replace('x', ' × ')}: ${CELL_DEFINITIONS[c]}` }));
  const panels = order.map((item, k) => ({
    type: 'panel' as const,
    name: questionName(k, 'item'),
    title: `${k + 1}. ${item.text[locale]}`,
    elements: [
      { type: 'radiogroup' as const, name: questionName(k, 'relevance'), title: t(QUESTIONS.relevance), choices: RELEVANCE.map((r, i) => ({ value: i + 1, text: t(r) })), isRequired: true },
      { type: 'radiogroup' as const, name: questionName(k, 'essential'), title: t(QUESTIONS.essential), choices: ESSENTIAL.map((e) => ({ value: e.value, text: t(e.label) })), isRequired: false },
      { type: 'dropdown' as const, name: questionName(k, 'cell'), title: t(QUESTIONS.cell), choices: cellChoices, isRequired: false },
    ],
  }));
  const pages = [];
  for (let i = 0; i < panels.length; i += perPage) {
    pages.push({ name: `panel-${i / perPage + 1}`, title: `${i + 1}–${Math.min(i + perPage, panels.length)} / ${panels.length}`, elements: panels.slice(i, i + perPage) });
  }
  return {
    title: `${version.title[locale]}: ${locale === 'de' ? 'Expertenbewertung' : 'expert panel'}`,
    description: t(PANEL_INSTRUCTIONS),
    showQuestionNumbers: 'off',
    showProgressBar: true,
    pages,
  };
}

/**
 * One expert's panel answers (as the questionnaire above names them) as the rows of
 * `contentValidity`'s ratings, one per item, the item found again from the expert's seed.
 * A value outside the offered choices, or an unknown question, is an InputError naming it.
 */
export function panelRatings(version: InstrumentVersion, expert: string, seed: number, answers: Readonly<Record<string, unknown>>): ExpertRating[] {
  const order = panelItemOrder(version, seed);
  const known = new Set(order.flatMap((_, k) => ['relevance', 'essential', 'cell'].map((w) => questionName(k, w))));
  for (const key of Object.keys(answers)) if (!known.has(key)) throw new InputError('answers', `answers names an unknown panel question "${key}".`);
  return order.map((item, k) => {
    const relevance = answers[questionName(k, 'relevance')];
    const essential = answers[questionName(k, 'essential')];
    const cell = answers[questionName(k, 'cell')];
    if (relevance !== undefined && relevance !== null && !(typeof relevance === 'number' && Number.isInteger(relevance) && relevance >= 1 && relevance <= 4)) {
      throw new InputError('answers', `${questionName(k, 'relevance')} must be 1, 2, 3 or 4; got ${JSON.stringify(relevance)}.`);
    }
    if (essential !== undefined && essential !== null && !ESSENTIAL.some((e) => e.value === essential)) {
      throw new InputError('answers', `${questionName(k, 'essential')} must be one of ${ESSENTIAL.map((e) => e.value).join(', ')}; got ${JSON.stringify(essential)}.`);
    }
    if (cell !== undefined && cell !== null && !(typeof cell === 'string' && (CELLS as readonly string[]).includes(cell))) {
      throw new InputError('answers', `${questionName(k, 'cell')} must be one of ${CELLS.join(', ')}; got ${JSON.stringify(cell)}.`);
    }
    return {
      expert,
      item: item.id,
      relevance: typeof relevance === 'number' ? relevance : null,
      essential: typeof essential === 'string' ? essential === 'essential' : null,
      sortedCell: typeof cell === 'string' ? (cell as Cell) : null,
    };
  });
}
