import { questionnaire } from '../instrument_source.js';
import { findInvitation } from '../queries/invitations.js';
import { toWave } from '../queries/waves.js';
import type { Services } from '../services.js';
import { hashToken } from '../tokens.js';
import { effectiveStatus } from './waves.js';

export interface Page {
  readonly status: number;
  readonly view: string;
  readonly data: Record<string, unknown>;
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'Deutsch' };

function message(status: number, title: string, text: string): Page {
  return { status, view: 'message', data: { title, message: text } };
}

/**
 * The respondent's page for an invitation token: the questionnaire while the wave is open
 * (with the answers saved so far, so a respondent resumes where they stopped), else a friendly
 * page saying why not: unknown link, already answered, not open yet, closed.
 */
export async function respondentPage(s: Services, token: string, lang: string | undefined): Promise<Page> {
  const invitation = await findInvitation(s.db, hashToken(token));
  if (!invitation) {
    return message(404, 'This link is not known', 'We could not find a survey for this link. Please check that you copied the whole link from your invitation.');
  }
  const wave = toWave(invitation.wave);
  if (invitation.response?.complete) {
    return message(409, 'You have already answered', `Thank you: your answers to "${wave.name}" were saved. Each link can be used once, so there is nothing more to do.`);
  }
  const status = effectiveStatus(wave, s.clock());
  if (status === 'closed') {
    return message(410, 'This survey is closed', `The survey "${wave.name}" closed on ${wave.closesAt.slice(0, 10)} and takes no more answers. Thank you for your interest.`);
  }
  if (status === 'scheduled') {
    return message(403, 'This survey has not opened yet', `The survey "${wave.name}" opens on ${wave.opensAt.slice(0, 10)} at ${wave.opensAt.slice(11, 16)} UTC. Please come back then with the same link.`);
  }
  const saved = invitation.response;
  const locale = lang && wave.locales.includes(lang) ? lang : saved && wave.locales.includes(saved.locale) ? saved.locale : wave.locales[0];
  const instrument = await s.instruments.document(wave.instrumentVersion);
  if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} of wave ${wave.id} is not stored`);
  const survey = questionnaire(instrument, [locale, ...wave.locales.filter((l) => l !== locale)], wave.minGroupSize);
  const answers: Record<string, number | string> = {};
  for (const [id, value] of Object.entries(saved ? (JSON.parse(saved.answers) as Record<string, number | null>) : {})) {
    answers[id] = value === null ? 'none' : value;
  }
  return {
    status: 200,
    view: 'survey',
    data: {
      title: wave.name,
      lang: locale,
      minGroupSize: wave.minGroupSize,
      languages: wave.locales.map((l) => ({ code: l, name: LANGUAGE_NAMES[l] ?? l, selected: l === locale })),
      multilingual: wave.locales.length > 1,
      config: { token, survey, answers, locale, locales: wave.locales, endpoint: '/api/v1/responses' },
    },
  };
}
