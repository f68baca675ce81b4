import { InputError } from '../analysis/errors.js';
import type { Item, ScaleId } from './item.js';
import { isLocale, type Locale, type Localized } from './locale.js';
import { DIMENSIONS, type Dimension } from './model.js';
import { NOT_APPLICABLE_LABEL } from './response_format.js';
import type { InstrumentVersion } from './version.js';

/** A SurveyJS text: a plain string for one locale, or `{default: en, de: ...}` for several. */
export type SurveyText = string | Readonly<Record<string, string>>;

export interface SurveyQuestionJson {
  readonly type: 'radiogroup';
  readonly name: string;
  readonly title: SurveyText;
  readonly choices: readonly { readonly value: number; readonly text: SurveyText }[];
  readonly showNoneItem: true;
  readonly noneText: SurveyText;
  readonly isRequired: boolean;
}

export interface SurveyPageJson {
  readonly name: string;
  readonly title: SurveyText;
  readonly description: SurveyText;
  /** SurveyJS 2's name for the within-page order (`questionsOrder` is its deprecated alias). */
  readonly questionOrder: 'random' | 'initial';
  readonly elements: readonly SurveyQuestionJson[];
}

/** The SurveyJS survey JSON that `new Model(json)` from survey-core loads. */
export interface SurveyJson {
  readonly title: SurveyText;
  readonly description: SurveyText;
  readonly locale?: string;
  readonly showProgressBar: true;
  readonly progressBarType: 'pages';
  readonly progressBarShowPageTitles: true;
  readonly showQuestionNumbers: 'off';
  readonly pageNextText: SurveyText;
  readonly pagePrevText: SurveyText;
  readonly completeText: SurveyText;
  readonly completedHtml: SurveyText;
  readonly pages: readonly SurveyPageJson[];
}

export interface QuestionnaireOptions {
  /**
   * With a seed, questions are shuffled within each page here, reproducibly, and the pages
   * keep that order (`questionOrder: "initial"`); without one SurveyJS shuffles them anew
   * for each respondent (`questionOrder: "random"`).
   */
  readonly seed?: number;
  /** The minimum group size named in the privacy statement (default 5). */
  readonly minGroupSize?: number;
  /** Require an answer (a value or "not applicable") to every question before moving on. */
  readonly required?: boolean;
}

/** A page of the questionnaire: the SEI-CI items of one dimension, or one or two supplementary scales. */
interface PagePlan {
  readonly name: string;
  readonly title: Localized;
  readonly description?: Localized;
  readonly select: (item: Item) => boolean;
  readonly shuffle: boolean;
}

const DIMENSION_PAGE_TITLES: Readonly<Record<Dimension, Localized>> = {
  S: { en: 'Decisions, roles and structures between units', de: 'Entscheidungen, Rollen und Strukturen zwischen Einheiten' },
  R: { en: 'Working relationships across units', de: 'Arbeitsbeziehungen über Einheitsgrenzen hinweg' },
  T: { en: 'From strategy to shared work', de: 'Von der Strategie zur gemeinsamen Arbeit' },
};

const PAGE_NAMES: Readonly<Record<Dimension, string>> = { S: 'sei-structural', R: 'sei-relational', T: 'sei-translational' };

function pagePlans(version: InstrumentVersion): PagePlan[] {
  const scale = (id: ScaleId) => version.scales.find((s) => s.id === id);
  const supplementary = (name: string, ids: readonly ScaleId[], shuffle: boolean): PagePlan => {
    const info = scale(ids[0]);
    if (!info) throw new InputError('version', `Instrument version ${version.id} has no description of scale ${ids[0]}.`);
    return { name, title: info.name, description: info.instructions, select: (i) => ids.includes(i.scale), shuffle };
  };
  return [
    ...DIMENSIONS.map((d): PagePlan => ({
      name: PAGE_NAMES[d],
      title: DIMENSION_PAGE_TITLES[d],
      description: scale('seici')?.instructions,
      select: (i) => i.cell !== null && i.cell[0] === d,
      shuffle: true,
    })),
    supplementary('dynamism', ['dynamism'], true),
    supplementary('relational-coordination', ['relationalCoordination'], false),
    supplementary('visibility', ['visibilityCoherence', 'visibilityOutcome'], true),
    supplementary('interface-role', ['interfaceRole'], false),
  ];
}

const UI_TEXT = {
  next: { en: 'Next', de: 'Weiter' },
  previous: { en: 'Back', de: 'Zurück' },
  complete: { en: 'Submit answers', de: 'Antworten absenden' },
} satisfies Record<string, Localized>;

function privacyStatement(n: number): Localized {
  return {
    en: `Your answers are confidential. Results are reported only for groups of at least ${n} people, never for individuals. Please answer for your own unit. Every question can be answered with "Not applicable / don't know".`,
    de: `Ihre Antworten sind vertraulich. Ergebnisse werden nur für Gruppen von mindestens ${n} Personen berichtet, nie für Einzelne. Bitte antworten Sie für Ihre eigene Einheit. Jede Frage lässt sich mit „Nicht relevant / weiß nicht“ beantworten.`,
  };
}

function completedHtml(n: number): Localized {
  return {
    en: `<h3>Thank you!</h3><p>Your answers have been saved. They will be reported only together with those of at least ${n - 1} colleagues.</p>`,
    de: `<h3>Vielen Dank!</h3><p>Ihre Antworten wurden gespeichert. Sie fließen nur zusammen mit den Antworten von mindestens ${n - 1} Kolleginnen und Kollegen in Ergebnisse ein.</p>`,
  };
}

/**
 * Builds the SurveyJS questionnaire of an instrument version: the SEI-CI items on one page
 * per dimension, in random order within the page, then the supplementary scales on their
 * own pages, with a progress bar. Every question is a labelled radio group of its response
 * format's anchors plus a "not applicable / don't know" choice (SurveyJS's none item,
 * value "none", stored as missing). `locale` is one locale (plain strings), or a list of
 * locales whose first is shown first and which the respondent page can switch between.
 */
export function buildQuestionnaire(
  version: InstrumentVersion,
  locale: Locale | readonly Locale[],
  options: QuestionnaireOptions = {},
): SurveyJson {
  const locales = typeof locale === 'string' ? [locale] : [...locale];
  if (locales.length === 0) throw new InputError('locale', 'locale must name at least one locale.');
  for (const l of locales) {
    if (!isLocale(l) || !version.locales.includes(l)) {
      throw new InputError('locale', `Instrument version ${version.id} has no locale "${l}"; it has ${version.locales.join(', ')}.`);
    }
  }
  const minGroupSize = options.minGroupSize ?? 5;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 2) throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least 2; got ${minGroupSize}.`);
  const text = (t: Localized): SurveyText => {
    if (locales.length === 1) return t[locales[0]];
    const out: Record<string, string> = { default: t.en };
    for (const l of locales) if (l !== 'en') out[l] = t[l];
    return out;
  };
  const random = options.seed === undefined ? null : mulberry32(options.seed);
  const question = (item: Item): SurveyQuestionJson => {
    const format = version.responseFormats[item.response];
    return {
      type: 'radiogroup',
      name: item.id,
      title: text(item.text),
      choices: format.anchors.map((a) => ({ value: a.value, text: text(a.label) })),
      showNoneItem: true,
      noneText: text(NOT_APPLICABLE_LABEL),
      isRequired: options.required ?? false,
    };
  };
  const pages: SurveyPageJson[] = [];
  for (const plan of pagePlans(version)) {
    let items = version.items.filter(plan.select);
    if (items.length === 0) continue;
    if (plan.shuffle && random) items = shuffle(items, random);
    pages.push({
      name: plan.name,
      title: text(plan.title),
      description: text(plan.description ?? plan.title),
      questionOrder: plan.shuffle && !random ? 'random' : 'initial',
      elements: items.map(question),
    });
  }
  const primary = locales[0];
  return {
    title: text(version.title),
    description: text(privacyStatement(minGroupSize)),
    ...(primary !== 'en' ? { locale: primary } : {}),
    showProgressBar: true,
    progressBarType: 'pages',
    progressBarShowPageTitles: true,
    showQuestionNumbers: 'off',
    pageNextText: text(UI_TEXT.next),
    pagePrevText: text(UI_TEXT.previous),
    completeText: text(UI_TEXT.complete),
    completedHtml: text(completedHtml(minGroupSize)),
    pages,
  };
}

/** Fisher-Yates shuffle of a copy. */
function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A small seeded PRNG (Mulberry32) on [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
