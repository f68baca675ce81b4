import { iso } from '../clock.js';
import { bearerAdmin } from '../auth/admin.js';
import { notFound } from '../errors.js';
import { deleteExpiredSessions, deleteSession, deleteSessionById, insertSession, listSessions, type SessionRecord } from '../queries/admin.js';
import type { Services } from '../services.js';
import { hashToken, newToken } from '../tokens.js';
import { audit } from './audit.js';

/** Where a sign-in came from, for the audit log (admins only; respondents' addresses are never stored). */
export interface LoginOrigin {
  readonly address: string | undefined;
}

function idleSince(s: Services, now: Date): string {
  return iso(new Date(now.getTime() - s.config.session.idleMinutes * 60_000));
}

/**
 * Signs an admin in with an admin token: a new server-side session whose random id goes into an
 * HttpOnly, SameSite=Strict cookie (only its hash is stored), with its own CSRF token for forms
 * and API calls made from the pages. The session remembers the admin token it was opened with,
 * so revoking that token ends it. Every attempt is audited (`session.login` or
 * `session.login-failed`, with the client address; never the token). Undefined when the token
 * is not valid.
 */
export async function login(s: Services, token: string, origin: LoginOrigin): Promise<{ cookie: string; csrfToken: string } | undefined> {
  const admin = token === '' ? undefined : await bearerAdmin(s, token);
  if (!admin) {
    await audit(s, 'anonymous', 'session.login-failed', null, { address: origin.address ?? null, reason: token === '' ? 'empty token' : 'unknown or revoked token' });
    return undefined;
  }
  const cookie = newToken();
  const csrfToken = newToken();
  const now = s.clock();
  await deleteExpiredSessions(s.db, iso(now), idleSince(s, now));
  await insertSession(s.db, {
    sessionHash: hashToken(cookie, 'session:'),
    csrfToken,
    actor: admin.actor,
    tokenId: admin.tokenId,
    createdAt: iso(now),
    expiresAt: iso(new Date(now.getTime() + s.config.session.maxHours * 3_600_000)),
  });
  await audit(s, admin.actor, 'session.login', null, { address: origin.address ?? null });
  return { cookie, csrfToken };
}

export async function logout(s: Services, actor: string, cookie: string): Promise<void> {
  await deleteSession(s.db, hashToken(cookie, 'session:'));
  await audit(s, actor, 'session.logout', null);
}

/** The console sessions that are still valid (expired and idle ones are left out). */
export async function activeSessions(s: Services): Promise<{ sessions: SessionRecord[] }> {
  const now = s.clock();
  return { sessions: await listSessions(s.db, iso(now), idleSince(s, now)) };
}

/** Ends one console session at once: its next request is refused. */
export async function revokeSession(s: Services, actor: string, id: number): Promise<{ id: number; revoked: true }> {
  return s.db.transaction(async (trx) => {
    if (!(await deleteSessionById(trx, id))) throw notFound(`No console session has the id ${id}.`);
    await audit(s, actor, 'session.revoke', `session:${id}`, {}, trx);
    return { id, revoked: true as const };
  });
}
