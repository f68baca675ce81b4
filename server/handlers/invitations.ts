import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { isoDate } from '../clock.js';
import { HttpError, conflict } from '../errors.js';
import { insertEmailInvitations, insertInvitations } from '../queries/invitations.js';
import { findUnitByKey, type UnitRecord } from '../queries/units.js';
import { waveIncludesUnit, type WaveRecord } from '../queries/waves.js';
import type { InvitationCreate, InvitationEmail } from '../schemas.js';
import type { Services } from '../services.js';
import { sealToken } from '../sealed_token.js';
import { hashToken, newToken, pendingTag } from '../tokens.js';
import { audit } from './audit.js';
import { invitationLetter } from '../mail.js';
import { letterContext } from '../respondent/letter_context.js';
import { effectiveStatus, requireWave } from './waves.js';

export interface IssuedInvitation {
  readonly token: string;
  readonly url: string;
}

export function surveyUrl(s: Services, token: string): string {
  return `${s.config.publicUrl}/s/${token}`;
}

async function invitable(s: Services, waveId: number, unitKey: string): Promise<{ wave: WaveRecord; unit: UnitRecord }> {
  const wave = await requireWave(s, waveId);
  if (effectiveStatus(wave, s.clock()) === 'closed') throw conflict(`Wave ${waveId} is closed; it takes no more invitations.`);
  const unit = await findUnitByKey(s.db, unitKey);
  if (!unit) throw new HttpError(400, `unitKey names no unit: "${unitKey}".`);
  if (!(await waveIncludesUnit(s.db, waveId, unit.id))) throw new HttpError(400, `unitKey "${unitKey}" is not one of wave ${waveId}'s units.`);
  return { wave, unit };
}

/**
 * Issues `count` single-use invitation tokens for one unit of a wave. Each token has 256 random
 * bits; only its SHA-256 is stored, so the links can be handed out once and never recovered.
 */
export async function createInvitations(s: Services, actor: string, waveId: number, input: z.output<typeof InvitationCreate>): Promise<{ invitations: IssuedInvitation[] }> {
  const { unit } = await invitable(s, waveId, input.unitKey);
  const tokens = Array.from({ length: input.count }, newToken);
  await s.db.transaction(async (trx) => {
    await insertInvitations(trx, waveId, unit.id, tokens.map((t) => hashToken(t)), isoDate(s.clock()));
    await audit(s, actor, 'invitation.create', `wave:${waveId}`, { unitKey: unit.key, count: input.count }, trx);
  });
  return { invitations: tokens.map((token) => ({ token, url: surveyUrl(s, token) })) };
}

function shuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Invites respondents by e-mail: one token per address, sent through SMTP. The invitation rows
 * (token hashes) and the recipient rows (addresses, a pending flag, and the token sealed with
 * SEICI_SECRET for the reminders) are stored in separate tables in shuffled order, so the
 * database cannot tell whose answers are whose. Submitting answers changes no recipient row;
 * the next reminder run finds who has finished (jobs/reminders.ts).
 */
export async function emailInvitations(s: Services, actor: string, waveId: number, input: z.output<typeof InvitationEmail>): Promise<{ sent: number; failed: string[] }> {
  if (!s.mailer) throw conflict('E-mail delivery is not configured (set SMTP_HOST); issue links with POST /api/v1/waves/:id/invitations instead.');
  const secret = s.config.secret;
  if (!secret) throw conflict('E-mail invitations need SEICI_SECRET (at least 32 random characters), which seals each recipient\'s link for the reminders.');
  const { wave, unit } = await invitable(s, waveId, input.unitKey);
  const emails = [...new Set(input.emails.map((e) => e.trim().toLowerCase()))];
  const letters = emails.map((email) => ({ email, token: newToken() }));
  await s.db.transaction(async (trx) => {
    await insertEmailInvitations(
      trx,
      waveId,
      unit.id,
      shuffled(letters.map((l) => hashToken(l.token))),
      shuffled(letters.map((l) => ({ email: l.email, pendingTag: pendingTag(l.token), sealedToken: sealToken(secret, l.token, waveId, l.email) }))),
      isoDate(s.clock()),
    );
    await audit(s, actor, 'invitation.email', `wave:${waveId}`, { unitKey: unit.key, count: letters.length }, trx);
  });
  const failed: string[] = [];
  const context = await letterContext(s, wave);
  for (const letter of letters) {
    try {
      await s.mailer.send({ to: letter.email, ...invitationLetter(context, surveyUrl(s, letter.token)) });
    } catch (err) {
      s.logger.warn({ err: (err as Error).message }, 'invitation e-mail failed');
      failed.push(letter.email);
    }
  }
  return { sent: letters.length - failed.length, failed };
}
