import { randomInt } from 'node:crypto';
import { audit } from '../handlers/audit.js';
import { reminderLetter } from '../mail.js';
import { letterContext } from '../respondent/letter_context.js';
import { surveyUrl } from '../handlers/invitations.js';
import { clearRecipients, completedTokens, countReminder, pendingRecipients, type PendingRecipient } from '../queries/invitations.js';
import type { WaveRecord } from '../queries/waves.js';
import { openToken, SealedTokenError } from '../sealed_token.js';
import { responseKeyOf } from '../response_key.js';
import type { Services } from '../services.js';
import { hashToken } from '../tokens.js';

/** What one reminder run did. */
export interface ReminderRun {
  /** Recipients found finished since the last run and cleared now. */
  readonly cleared: number;
  readonly sent: number;
  readonly failed: number;
  /** Recipients whose sealed token did not open (SEICI_SECRET changed?): reminded without a link. */
  readonly unopened: number;
}

/** The largest batch of finished recipients cleared by one statement. */
const MAX_BATCH = 25;

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * Sends a wave's reminders. Answer submissions do not touch the recipients (a snapshot taken
 * after each submission would otherwise link an address to an answer set); instead each run
 * first opens every pending recipient's sealed token with SEICI_SECRET, looks up whether its
 * answer set is complete, and clears the finished recipients (pending flag and sealed token) in
 * one transaction, in shuffled batches of random size, so that neither the time nor the order
 * of the clearing tells which answer set belongs to whom: between two runs, the database shows
 * only that this set of addresses finished and that those answer sets arrived.
 *
 * The others receive a reminder with their own link. Rows without a sealed token (issued
 * before sealing existed), or whose token does not open with the configured secret, receive a
 * reminder without a link.
 */
export async function sendReminders(s: Services, wave: WaveRecord): Promise<ReminderRun> {
  const mailer = s.mailer;
  if (!mailer) {
    s.logger.warn({ wave: wave.id }, 'a reminder is due but no SMTP server is configured');
    return { cleared: 0, sent: 0, failed: 0, unopened: 0 };
  }
  const pending = await pendingRecipients(s.db, wave.id);
  const links = new Map<number, string>();
  let unopened = 0;
  if (s.config.secret) {
    for (const r of pending) {
      if (r.sealedToken === null) continue;
      try {
        links.set(r.id, openToken(s.config.secret, r.sealedToken, wave.id, r.email));
      } catch (err) {
        if (!(err instanceof SealedTokenError)) throw err;
        unopened++;
      }
    }
  }
  const done = await completedTokens(s.db, [...links.values()], (t) => responseKeyOf(s.responseKey, t), (t) => hashToken(t));
  const finished = shuffle(pending.filter((r) => links.has(r.id) && done.has(links.get(r.id)!)).map((r) => r.id));
  await s.db.transaction(async (trx) => {
    for (let i = 0; i < finished.length; ) {
      const size = 1 + randomInt(MAX_BATCH);
      await clearRecipients(trx, finished.slice(i, i + size));
      i += size;
    }
    if (finished.length > 0) await audit(s, 'scheduler', 'recipients.finished', `wave:${wave.id}`, { cleared: finished.length }, trx);
  });
  const cleared = new Set(finished);
  let sent = 0;
  let failed = 0;
  const remind: PendingRecipient[] = shuffle(pending.filter((r) => !cleared.has(r.id)));
  const context = remind.length > 0 ? await letterContext(s, wave) : undefined;
  for (const recipient of remind) {
    const token = links.get(recipient.id);
    try {
      await mailer.send({ to: recipient.email, ...reminderLetter(context!, token === undefined ? undefined : surveyUrl(s, token)) });
      await countReminder(s.db, recipient.id);
      sent++;
    } catch (err) {
      s.logger.warn({ wave: wave.id, err: (err as Error).message }, 'reminder e-mail failed');
      failed++;
    }
  }
  if (unopened > 0) s.logger.warn({ wave: wave.id, unopened }, 'sealed survey tokens did not open with SEICI_SECRET; those reminders carry no link');
  return { cleared: finished.length, sent, failed, unopened };
}
