import { hash } from 'node:crypto';
import type { z } from 'zod';
import { isoDate } from '../clock.js';
import { HttpError, conflict, notFound } from '../errors.js';
import type { LoadedInstrument } from '../instrument_cache.js';
import type { InvitationContext } from '../queries/invitations.js';
import type { ResponseWrite } from '../queries/responses.js';
import { toWave } from '../queries/waves.js';
import type { ResponseSubmit } from '../schemas.js';
import type { Services } from '../services.js';
import { responseKeyOf } from '../response_key.js';
import { hashToken, pendingTag } from '../tokens.js';
import { effectiveStatus } from './waves.js';
import { fill, respondentTexts } from '../respondent/texts.js';
import { cellDimension, cellLever } from '../../instrument/model.js';

export type Answers = Record<string, number | null>;

/** What the caller learns about a saved answer set. */
export interface SavedResponse {
  readonly status: 200 | 201;
  readonly body: { complete: boolean; answered: number; items: number };
}

/**
 * What a token opens: its invitation (by the token's hash) and its answer set (by the token's
 * response key, server/response_key.ts; one HMAC). An answer set from before response keys,
 * found by its invitation id, is re-keyed here, which clears that invitation id.
 */
export async function findToken(s: Services, token: string): Promise<{ invitation: InvitationContext; responseKey: string } | undefined> {
  const responseKey = responseKeyOf(s.responseKey, token);
  const invitation = await s.invitations.find(hashToken(token), responseKey);
  if (!invitation) return undefined;
  if (invitation.response?.legacy) {
    await s.responses.rekey(invitation.response.id, responseKey);
    return { invitation: { ...invitation, response: { ...invitation.response, legacy: false } }, responseKey };
  }
  return { invitation, responseKey };
}

/**
 * Looks up the invitation a token opens and checks that its wave takes answers now.
 * Unknown token 404, wave not open yet 403, wave closed 410.
 */
export async function openInvitation(s: Services, token: string): Promise<{ invitation: InvitationContext; responseKey: string; instrument: LoadedInstrument }> {
  const found = await findToken(s, token);
  const invitation = found?.invitation;
  if (!invitation) throw notFound('This survey link is not known; check that it was copied completely.');
  const wave = toWave(invitation.wave);
  const status = effectiveStatus(wave, s.clock());
  // Respondents read these sentences: they never name the wave (its name is the administrators').
  if (status === 'closed') throw new HttpError(410, 'This survey is closed; answers are no longer accepted.');
  if (status === 'scheduled') throw new HttpError(403, `This survey opens at ${wave.opensAt}; answers are not accepted yet.`);
  const instrument = await s.instruments.get(wave.instrumentVersion);
  if (!instrument) throw new Error(`wave ${wave.id} pins instrument version ${wave.instrumentVersion}, which is not stored`);
  return { invitation, responseKey: found!.responseKey, instrument };
}

/** Checks every answer against the wave's instrument: a known item id, and an integer in the item's range or null (missing). */
export function checkAnswers(answers: Answers, instrument: LoadedInstrument): void {
  for (const [id, value] of Object.entries(answers)) {
    const range = instrument.ranges.get(id);
    if (!range) throw new HttpError(400, `answers names an unknown item "${id.slice(0, 64)}"; instrument version ${instrument.definition.version} has no such item.`);
    if (value !== null && (value < range.min || value > range.max)) {
      throw new HttpError(400, `answers.${id} must be an integer from ${range.min} to ${range.max} or null; got ${value}.`);
    }
  }
}

/**
 * Refuses a "complete" answer set that would not count (shared/CONTRACT.md: a complete set
 * counts only when it gives a score to every cell, i.e. answers at least half of each cell's
 * statements): 422 with one sentence telling the respondent what is still missing. "Not
 * applicable / don't know" is a valid choice but not an answer that scores a cell.
 */
export function requireScoredCells(answers: Answers, instrument: LoadedInstrument, locale = 'en'): void {
  const t = respondentTexts(locale).submit;
  const missing: string[] = [];
  for (const [cell, ids] of instrument.cellItems) {
    let answered = 0;
    for (const id of ids) if (typeof answers[id] === 'number') answered++;
    const needed = Math.ceil(ids.length / 2);
    if (answered < needed) {
      missing.push(fill(t.cellMissing, { cell: `${t.dimensions[cellDimension(cell)]} × ${t.levers[cellLever(cell)]}`, answered, items: ids.length, needed }));
    }
  }
  // In the respondent's language: the survey page shows this sentence as it is.
  if (missing.length > 0) throw new HttpError(422, fill(t.incomplete, { missing: missing.join('; ') }));
}

/** An instrument's item ids in sorted order, each with its JSON key text (`"SA1":`), made once per loaded instrument. */
const sortedKeys = new WeakMap<LoadedInstrument, { readonly ids: readonly string[]; readonly keys: readonly string[] }>();

/**
 * The answers as JSON with the item ids in sorted order (what is stored and hashed). The text
 * is written from the instrument's ids, sorted once, so an answer set costs no sort, no object
 * and no stringify of its own; the answers must have passed checkAnswers (known ids, numbers or
 * null, for which String() writes what JSON.stringify would).
 */
function canonical(answers: Answers, instrument: LoadedInstrument): string {
  let order = sortedKeys.get(instrument);
  if (!order) {
    const ids = [...instrument.ranges.keys()].sort();
    order = { ids, keys: ids.map((id) => JSON.stringify(id) + ':') };
    sortedKeys.set(instrument, order);
  }
  let text = '';
  for (let i = 0; i < order.ids.length; i++) {
    const id = order.ids[i];
    if (!Object.hasOwn(answers, id)) continue;
    const value = answers[id];
    text += (text === '' ? '{' : ',') + order.keys[i] + (value === null ? 'null' : String(value));
  }
  return text === '' ? '{}' : text + '}';
}

/** SHA-256 of the answers' text, the role and the locale, each followed by a NUL but the last (in one call: crypto.hash). */
function submissionHash(answers: string, role: string | null, locale: string): string {
  return hash('sha256', answers + '\u0000' + (role ?? '') + '\u0000' + locale, 'hex');
}

/**
 * Saves an answer set for a token: a partial save (merged over what was saved before, so a
 * respondent resumes where they left off) or the complete submission. A token takes one
 * complete submission; the same submission sent again (a retry after a lost answer) is
 * answered 200 without storing anything twice; a different one is refused with 409.
 */
export async function submitResponse(s: Services, input: z.output<typeof ResponseSubmit>): Promise<SavedResponse> {
  const opened = await openInvitation(s, input.token);
  const instrument = opened.instrument;
  checkAnswers(input.answers, instrument);
  for (let attempt = 0; attempt < 3; attempt++) {
    const invitation = attempt === 0 ? opened.invitation : (await openInvitation(s, input.token)).invitation;
    const previous = invitation.response;
    const wave = invitation.wave;
    const locales: string[] = JSON.parse(wave.locales);
    const locale = input.locale ?? previous?.locale ?? locales[0];
    if (!locales.includes(locale)) throw new HttpError(400, `locale must be one of this survey's languages (${locales.join(', ')}); got "${locale}".`);
    const role = input.role ?? previous?.role ?? null;
    const sentAnswers = canonical(input.answers, instrument);
    const hash = input.complete ? submissionHash(sentAnswers, role, locale) : null;
    if (previous?.complete) {
      if (hash !== null && hash === previous.submissionHash) return saved(200, true, input.answers, instrument);
      throw conflict('This survey link has been used for a complete answer set already; it cannot be used again.');
    }
    // A map without a prototype: no item id can reach Object.prototype.
    const merged: Answers = Object.assign(Object.create(null) as Answers, previous ? JSON.parse(previous.answers) : {}, input.answers);
    if (input.complete) requireScoredCells(merged, instrument, locale);
    const write: ResponseWrite = {
      responseKey: opened.responseKey,
      waveId: Number(wave.id),
      unitId: invitation.unitId,
      role,
      locale,
      answers: previous ? canonical(merged, instrument) : sentAnswers,
      complete: input.complete,
      submissionHash: hash,
      savedOn: isoDate(s.clock()),
      resumePage: input.complete ? null : (input.page ?? previous?.resumePage ?? null),
      pendingTag: input.complete ? pendingTag(input.token) : undefined,
    };
    const outcome = previous ? await s.responses.updatePartial(previous.id, write) : await s.responses.insert(write);
    if (outcome === 'stored') return saved(previous ? 200 : 201, input.complete, merged, instrument);
    // Another request for this token was stored first: judge this one again against what it stored.
  }
  throw conflict('This answer set changed while it was being saved; send it again.');
}

function saved(status: 200 | 201, complete: boolean, answers: Answers, instrument: LoadedInstrument): SavedResponse {
  const answered = Object.values(answers).filter((v) => v !== null).length;
  return { status, body: { complete, answered, items: instrument.definition.items.length } };
}
