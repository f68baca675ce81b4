import { LOCALES, type Locale } from '../../instrument/locale.js';
import { NOT_APPLICABLE_LABEL } from '../../instrument/response_format.js';
import { questionnaire } from '../instrument_source.js';
import { findToken } from './responses.js';
import { toWave, type WaveRecord } from '../queries/waves.js';
import { negotiateLocale } from '../respondent/negotiate_locale.js';
import { ratingLayout } from '../respondent/rating_layout.js';
import { fill, formatMoment, LANGUAGE_NAMES, respondentTexts } from '../respondent/texts.js';
import type { Services } from '../services.js';
import { effectiveStatus } from './waves.js';

export interface Page {
  readonly status: number;
  readonly view: string;
  readonly data: Record<string, unknown>;
}

/** SurveyJS's own strings beyond English: survey-core/i18n/<file>.min.js per locale. */
const SURVEYJS_LOCALE_FILES: Readonly<Record<string, string>> = { de: 'german' };

/** What a respondent's request says about language: `?lang=` (the page's switch) and the browser's `Accept-Language`. */
export interface LanguageRequest {
  readonly lang?: string;
  readonly acceptLanguage?: string;
}

function message(status: number, locale: string, title: string, text: string): Page {
  return { status, view: 'message', data: { lang: locale, title, message: text } };
}

/**
 * The locale a respondent reads a wave in: the page's language switch (`?lang=`), then the
 * language they answered in before, then the browser's preference (`Accept-Language`) among
 * the wave's locales, then the wave's first (default) locale.
 */
export function respondentLocale(offered: readonly string[], request: LanguageRequest, saved?: string): string {
  if (request.lang && offered.includes(request.lang)) return request.lang;
  if (saved && offered.includes(saved)) return saved;
  return negotiateLocale(request.acceptLanguage, offered) ?? offered[0];
}

/** The organisation's time zone, in which respondents are told when a wave opens and closes. */
export function respondentTimeZone(s: Services): string {
  return s.config.timeZone;
}

/**
 * The respondent's page for an invitation token: the questionnaire while the wave is open
 * (with the answers and the page saved so far, so a respondent resumes where they stopped),
 * else a page in the respondent's language saying why not: unknown link, already answered,
 * not open yet (when it opens), closed (when it closed), times in the organisation's time
 * zone. Nothing on these pages names the wave: respondents see the questionnaire's title.
 */
export async function respondentPage(s: Services, token: string, request: LanguageRequest): Promise<Page> {
  const invitation = (await findToken(s, token))?.invitation;
  if (!invitation) {
    const locale = respondentLocale(LOCALES, request);
    const t = respondentTexts(locale).messages;
    return message(404, locale, t.unknownTitle, t.unknownText);
  }
  const wave = toWave(invitation.wave);
  const saved = invitation.response;
  const locale = respondentLocale(wave.locales, request, saved?.locale) as Locale;
  const texts = respondentTexts(locale);
  const zone = respondentTimeZone(s);
  if (saved?.complete) return message(409, locale, texts.messages.usedTitle, texts.messages.usedText);
  const status = effectiveStatus(wave, s.clock());
  if (status === 'closed') {
    return message(410, locale, texts.messages.closedTitle, fill(texts.messages.closedText, { time: formatMoment(closedAt(wave), locale, zone) }));
  }
  if (status === 'scheduled') {
    return message(403, locale, texts.messages.notOpenTitle, fill(texts.messages.notOpenText, { time: formatMoment(wave.opensAt, locale, zone) }));
  }
  const instrument = await s.instruments.document(wave.instrumentVersion);
  if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} of wave ${wave.id} is not stored`);
  const survey = ratingLayout(questionnaire(instrument, [locale], wave.minGroupSize), instrument, locale);
  const answers: Record<string, number | string> = {};
  for (const [id, value] of Object.entries(saved ? (JSON.parse(saved.answers) as Record<string, number | null>) : {})) {
    answers[id] = value === null ? 'none' : value;
  }
  return {
    status: 200,
    view: 'survey',
    data: {
      title: instrument.title[locale],
      lang: locale,
      privacy: fill(texts.privacy, { n: wave.minGroupSize }),
      languageLabel: texts.language,
      noscript: texts.noscript,
      surveyjsLocale: SURVEYJS_LOCALE_FILES[locale] ? `survey-core/i18n/${SURVEYJS_LOCALE_FILES[locale]}.min.js` : undefined,
      languages: wave.locales.map((l) => ({ code: l, name: LANGUAGE_NAMES[l as Locale] ?? l, selected: l === locale })),
      multilingual: wave.locales.length > 1,
      config: {
        token,
        survey,
        answers,
        locale,
        page: saved?.resumePage ?? null,
        closesAt: wave.closesAt,
        endpoint: '/api/v1/responses',
        texts: { ...texts.client, skippedText: fill(texts.client.skippedText, { na: NOT_APPLICABLE_LABEL[locale] }) },
      },
    },
  };
}

/** When a closed wave stopped taking answers: when it was closed by hand, else its closing time. */
function closedAt(wave: WaveRecord): string {
  return wave.closedAt !== null && wave.closedAt < wave.closesAt ? wave.closedAt : wave.closesAt;
}
