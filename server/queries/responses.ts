import type { Db } from '../db.js';

export interface ResponseWrite {
  readonly invitationId: number;
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

/**
 * Stores the first answer set of an invitation directly (the demo seed; respondents' answers
 * go through the group-committing ResponseWriter). Throws on a second set for an invitation.
 */
export async function insertResponse(db: Db, r: ResponseWrite): Promise<void> {
  const row = {
    invitation_id: r.invitationId,
    wave_id: r.waveId,
    unit_id: r.unitId,
    role: r.role,
    locale: r.locale,
    answers: r.answers,
    complete: r.complete,
    submission_hash: r.submissionHash,
    saved_on: r.savedOn,
    resume_page: r.resumePage ?? null,
  };
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

/** The complete answer sets of a wave, ordered by unit and then by a value unrelated to the order of arrival. */
export async function completeAnswerSets(db: Db, waveId: number): Promise<CompleteAnswerSet[]> {
  const rows = await db('responses as r')
    .join('units as u', 'u.id', 'r.unit_id')
    .join('invitations as i', 'i.id', 'r.invitation_id')
    .where('r.wave_id', waveId)
    .where('r.complete', true)
    .orderBy('u.key')
    .orderBy('i.token_hash')
    .select('u.key', 'u.context', 'r.role', 'r.locale', 'r.answers');
  return rows.map((row: { key: string; context: string | null; role: string | null; locale: string; answers: string }) => ({
    unitKey: row.key,
    context: row.context ?? null,
    role: row.role ?? null,
    locale: row.locale,
    answers: JSON.parse(row.answers),
  }));
}
