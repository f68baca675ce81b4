import type { Db } from '../db.js';

export interface ResponseWrite {
  /** HMAC-SHA256 of the token under the response key (server/response_key.ts): the only link from a token to its answer set; no invitation id is stored. */
  readonly responseKey: string;
  readonly waveId: number;
  readonly unitId: number;
  readonly role: string | null;
  readonly locale: string;
  readonly answers: string;
  readonly complete: boolean;
  readonly submissionHash: string | null;
  readonly savedOn: string;
  /** The questionnaire page to resume at (a partial set); null when complete. */
  readonly resumePage?: string | null;
  /** When the answer set is complete: the recipient tag to clear at once, for recipient rows that have no sealed token (issued before migration 20261129172100). */
  readonly pendingTag?: string;
}

/** The `responses` row of a write: every stored column, keyed by the response key, no invitation id. */
export function responseRow(w: ResponseWrite) {
  return {
    response_key: w.responseKey,
    wave_id: w.waveId,
    unit_id: w.unitId,
    role: w.role,
    locale: w.locale,
    answers: w.answers,
    complete: w.complete,
    submission_hash: w.submissionHash,
    saved_on: w.savedOn,
    resume_page: w.resumePage ?? null,
  };
}

/**
 * Stores the first answer set of a token directly (the demo seed; respondents' answers go
 * through the group-committing ResponseWriter). Throws on a second set under the same key.
 */
export async function insertResponse(db: Db, r: ResponseWrite): Promise<void> {
  const row = responseRow(r);
  if (!r.complete || r.pendingTag === undefined) {
    await db('responses').insert(row);
    return;
  }
  await db.transaction(async (trx) => {
    await trx('responses').insert(row);
    await trx('recipients').where({ pending_tag: r.pendingTag }).whereNull('sealed_token').update({ pending_tag: null });
  });
}

export interface CompleteAnswerSet {
  readonly unitKey: string;
  readonly context: string | null;
  readonly role: string | null;
  readonly locale: string;
  readonly answers: Record<string, number | null>;
}

/**
 * The complete answer sets of a wave, ordered by unit key and then by their content (answers,
 * role, locale; by code point, the same on SQLite and PostgreSQL whatever the collation). The
 * order carries nothing the sets do not show: not the token hashes (an administrator who issued
 * links can hash them), not the order of arrival. No invitation column is read.
 */
export async function completeAnswerSets(db: Db, waveId: number): Promise<CompleteAnswerSet[]> {
  const rows: { key: string; context: string | null; role: string | null; locale: string; answers: string }[] = await db('responses as r')
    .join('units as u', 'u.id', 'r.unit_id')
    .where('r.wave_id', waveId)
    .where('r.complete', true)
    .select('u.key', 'u.context', 'r.role', 'r.locale', 'r.answers');
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => byCodePoint(a.key, b.key) || byCodePoint(a.answers, b.answers) || byCodePoint(a.role ?? '', b.role ?? '') || byCodePoint(a.locale, b.locale));
  return rows.map((row) => ({
    unitKey: row.key,
    context: row.context ?? null,
    role: row.role ?? null,
    locale: row.locale,
    answers: JSON.parse(row.answers),
  }));
}
