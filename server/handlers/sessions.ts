import { iso } from '../clock.js';
import { bearerActor } from '../auth/admin.js';
import { deleteExpiredSessions, deleteSession, insertSession } from '../queries/admin.js';
import type { Services } from '../services.js';
import { hashToken, newToken } from '../tokens.js';
import { audit } from './audit.js';

const SESSION_MS = 12 * 3600 * 1000;

/**
 * Signs an admin in with an admin token: a new session whose random id goes into an HttpOnly,
 * SameSite=Strict cookie (only its hash is stored) with its own CSRF token for forms and
 * API calls made from the pages. Undefined when the token is not valid.
 */
export async function login(s: Services, token: string): Promise<{ cookie: string; csrfToken: string } | undefined> {
  if (token === '') return undefined;
  const actor = await bearerActor(s, token);
  if (!actor) return undefined;
  const cookie = newToken();
  const csrfToken = newToken();
  const now = s.clock();
  await deleteExpiredSessions(s.db, iso(now));
  await insertSession(s.db, hashToken(cookie, 'session:'), csrfToken, actor, iso(now), iso(new Date(now.getTime() + SESSION_MS)));
  await audit(s, actor, 'session.login', null);
  return { cookie, csrfToken };
}

export async function logout(s: Services, cookie: string): Promise<void> {
  await deleteSession(s.db, hashToken(cookie, 'session:'));
}
