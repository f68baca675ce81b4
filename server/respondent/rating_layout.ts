import type { Locale } from '../../instrument/locale.js';
import { NOT_APPLICABLE_LABEL } from '../../instrument/response_format.js';
import { NOT_APPLICABLE_VALUE } from '../../instrument/validate_answer.js';
import type { InstrumentVersion } from '../../instrument/version.js';
import type { SurveyJson, SurveyQuestionJson } from '../../instrument/questionnaire.js';

/** A SurveyJS rating question: one line of buttons, the anchors at its ends, "not applicable" last. */
export interface RatingQuestionJson {
  readonly type: 'rating';
  readonly name: string;
  readonly title: string;
  readonly isRequired: boolean;
  readonly displayMode: 'buttons';
  readonly rateType: 'labels';
  readonly rateValues: readonly { readonly value: number | string; readonly text: string }[];
  readonly minRateDescription: string;
  readonly maxRateDescription: string;
}

export type RespondentQuestionJson = SurveyQuestionJson | RatingQuestionJson;

/** The questionnaire as the respondent page shows it. */
export type RespondentSurveyJson = Omit<SurveyJson, 'pages' | 'progressBarType' | 'description'> & {
  readonly progressBarType: 'questions';
  readonly pages: readonly (Omit<SurveyJson['pages'][number], 'elements'> & { readonly elements: readonly RespondentQuestionJson[] })[];
};

/**
 * The phone-first form of a one-locale questionnaire (`buildQuestionnaire(version, locale)`):
 * every question on an ordered scale becomes a SurveyJS rating question (one line of
 * buttons, the first and last anchors written at its ends, each anchor's full label kept as
 * the button's text, which respondent.js gives to screen readers), with "not applicable /
 * don't know" as a last value of its own (`none`, stored as null, never a scale point), which
 * the page sets apart. A nominal question (the interface role) stays a list of choices. The
 * progress bar counts answered questions rather than pages. The questionnaire's own privacy
 * statement is left out: the page's header states it (respondentTexts' `privacy`), once, in
 * words that hold even without JavaScript.
 */
export function ratingLayout(survey: SurveyJson, version: InstrumentVersion, locale: Locale): RespondentSurveyJson {
  const items = new Map(version.items.map((i) => [i.id, i]));
  const question = (q: SurveyQuestionJson): RespondentQuestionJson => {
    const item = items.get(q.name);
    const format = item ? version.responseFormats[item.response] : undefined;
    if (!format || format.nominal) return q;
    const labels = format.anchors.map((a) => a.label[locale]);
    return {
      type: 'rating',
      name: q.name,
      title: typeof q.title === 'string' ? q.title : q.title[locale] ?? q.title.default,
      isRequired: q.isRequired,
      displayMode: 'buttons',
      rateType: 'labels',
      rateValues: [...format.anchors.map((a, i) => ({ value: a.value, text: labels[i] })), { value: NOT_APPLICABLE_VALUE, text: NOT_APPLICABLE_LABEL[locale] }],
      minRateDescription: labels[0],
      maxRateDescription: labels[labels.length - 1],
    };
  };
  const { description: _privacyStatement, ...rest } = survey;
  return {
    ...rest,
    progressBarType: 'questions',
    pages: survey.pages.map((page) => ({ ...page, elements: page.elements.map(question) })),
  };
}
