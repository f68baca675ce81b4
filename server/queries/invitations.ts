import type { Db } from '../db.js';
import type { WaveRow } from './waves.js';

/** Stores the hashes of new invitation tokens of one unit in a wave. */
export async function insertInvitations(db: Db, waveId: number, unitId: number, tokenHashes: readonly string[], createdOn: string): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < tokenHashes.length; i += 200) {
      await trx('invitations').insert(
        tokenHashes.slice(i, i + 200).map((h) => ({ wave_id: waveId, unit_id: unitId, token_hash: h, created_on: createdOn })),
      );
    }
  });
}

/**
 * Stores the invitation hashes and, separately, the recipients' addresses with their pending
 * tags, in one transaction. The caller shuffles the recipients so that row order does not pair
 * an address with an invitation.
 */
export async function insertEmailInvitations(
  db: Db,
  waveId: number,
  unitId: number,
  tokenHashes: readonly string[],
  recipients: readonly { email: string; pendingTag: string; sealedToken: string }[],
  createdOn: string,
): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < tokenHashes.length; i += 200) {
      await trx('invitations').insert(
        tokenHashes.slice(i, i + 200).map((h) => ({ wave_id: waveId, unit_id: unitId, token_hash: h, created_on: createdOn })),
      );
    }
    for (let i = 0; i < recipients.length; i += 200) {
      await trx('recipients').insert(recipients.slice(i, i + 200).map((r) => ({ wave_id: waveId, email: r.email, pending_tag: r.pendingTag, sealed_token: r.sealedToken })));
    }
  });
}

/** What a token opens: its invitation, the wave, the unit, and the answer set saved so far. */
export interface InvitationContext {
  readonly invitationId: number;
  readonly unitId: number;
  readonly wave: WaveRow;
  readonly response?: {
    readonly id: number;
    readonly answers: string;
    readonly complete: boolean;
    readonly submissionHash: string | null;
    readonly role: string | null;
    readonly locale: string;
    /** The questionnaire page a partial answer set was last saved on (null when complete or never told). */
    readonly resumePage: string | null;
    /**
     * A row from before response keys (migration 20261130011000), found by its invitation id:
     * the caller re-keys it (ResponseWriter.rekey), which cuts that link.
     */
    readonly legacy: boolean;
  };
}

// Run for every answer submitted: plain SQL, so knex need not build it each time (on SQLite the
// answer path runs it as a prepared statement of its own, queries/invitation_lookup.ts).
// Parameters: the token's response key, then its hash. The answer set is the one stored under
// the response key; only a row written before response keys is found by its invitation id.
export const FIND_INVITATION = `
  select i.id as invitation_id, i.unit_id, w.id, w.name, w.instrument_version, w.opens_at, w.closes_at, w.status,
         w.locales, w.reminders, w.min_group_size, w.created_at, w.closed_at,
         r.id as response_id, r.answers, r.complete, r.submission_hash, r.role, r.locale, r.resume_page, r.response_key
  from invitations i
  join waves w on w.id = i.wave_id
  left join responses r on r.id = coalesce((select k.id from responses k where k.response_key = ?), (select l.id from responses l where l.invitation_id = i.id))
  where i.token_hash = ?
  limit 1`;

/** One row of FIND_INVITATION, as either database returns it. */
export type InvitationRow = WaveRow & {
  invitation_id: number | string;
  unit_id: number | string;
  response_id: number | string | null;
  answers: string;
  complete: number | boolean;
  submission_hash: string | null;
  role: string | null;
  locale: string;
  resume_page: string | null;
  response_key: string | null;
};

/** The invitation context of a FIND_INVITATION row (undefined when the token opens nothing). */
export function toInvitation(row: InvitationRow | undefined): InvitationContext | undefined {
  if (!row) return undefined;
  return {
    invitationId: Number(row.invitation_id),
    unitId: Number(row.unit_id),
    wave: row,
    response:
      row.response_id === null || row.response_id === undefined
        ? undefined
        : {
            id: Number(row.response_id),
            answers: row.answers,
            complete: Boolean(row.complete),
            submissionHash: row.submission_hash,
            role: row.role,
            locale: row.locale,
            resumePage: row.resume_page ?? null,
            legacy: row.response_key === null || row.response_key === undefined,
          },
  };
}

/** A recipient of a wave not yet known to have finished, with the sealed token when there is one. */
export interface PendingRecipient {
  readonly id: number;
  readonly email: string;
  readonly sealedToken: string | null;
}

/** Recipients of a wave who have not finished (as far as the last reminder run found), for reminders; in no meaningful order. */
export async function pendingRecipients(db: Db, waveId: number): Promise<PendingRecipient[]> {
  const rows = await db('recipients').where({ wave_id: waveId }).whereNotNull('pending_tag').select('id', 'email', 'sealed_token');
  return rows.map((r: { id: number; email: string; sealed_token: string | null }) => ({ id: Number(r.id), email: r.email, sealedToken: r.sealed_token ?? null }));
}

/**
 * Which of these tokens have a complete answer set: looked up by their response keys
 * (`keyOf`, server/response_key.ts), and by invitation for the rows written before response keys
 * that are still linked (an open wave's, not used since).
 */
export async function completedTokens(db: Db, tokens: readonly string[], keyOf: (token: string) => string, hashOf: (token: string) => string): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < tokens.length; i += 500) {
    const slice = tokens.slice(i, i + 500);
    const byKey = new Map(slice.map((t) => [keyOf(t), t]));
    const keyed = await db('responses').whereIn('response_key', [...byKey.keys()]).where('complete', true).select('response_key');
    for (const row of keyed as { response_key: string }[]) done.add(byKey.get(row.response_key)!);
    const byHash = new Map(slice.map((t) => [hashOf(t), t]));
    const legacy = await db('invitations as i')
      .join('responses as r', 'r.invitation_id', 'i.id')
      .whereIn('i.token_hash', [...byHash.keys()])
      .where('r.complete', true)
      .select('i.token_hash');
    for (const row of legacy as { token_hash: string }[]) done.add(byHash.get(row.token_hash)!);
  }
  return done;
}

/**
 * Clears finished recipients: their pending flag, their sealed token and their reminder count,
 * in one statement per batch. The count goes too: kept, it would tell which reminder run found
 * each address finished, and so pair it with the answer sets saved in that period.
 */
export async function clearRecipients(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db('recipients').whereIn('id', ids).update({ pending_tag: null, sealed_token: null, reminders_sent: 0 });
}

export async function countReminder(db: Db, recipientId: number): Promise<void> {
  await db('recipients').where({ id: recipientId }).increment('reminders_sent', 1);
}
