import type { NextFunction, Request, Response } from 'express';
import { iso } from '../clock.js';
import { HttpError } from '../errors.js';
import { findActiveAdminToken, findSession, touchSession } from '../queries/admin.js';
import type { Services } from '../services.js';
import { hashToken, sameSecret } from '../tokens.js';

export const SESSION_COOKIE = 'seici_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Who made an admin request: the name of the token or session used. */
export interface AdminIdentity {
  readonly actor: string;
  /** Set for cookie sessions: the token that unsafe requests must echo. */
  readonly csrfToken?: string;
  /** Set for cookie sessions: the session's id (as GET /api/v1/admin/sessions lists it). */
  readonly sessionId?: number;
}

/** The admin behind a bearer token: its actor name, and the stored token's id (null for SEICI_ADMIN_TOKEN). */
export interface BearerAdmin {
  readonly actor: string;
  readonly tokenId: number | null;
}

/**
 * The admin behind a bearer token: `SEICI_ADMIN_TOKEN` (compared in constant time) or an
 * unrevoked stored token (looked up by its hash). Undefined when the token is unknown.
 */
export async function bearerAdmin(s: Services, token: string): Promise<BearerAdmin | undefined> {
  if (s.config.adminToken && sameSecret(token, s.config.adminToken)) return { actor: 'SEICI_ADMIN_TOKEN', tokenId: null };
  const stored = await findActiveAdminToken(s.db, hashToken(token, 'admin:'));
  return stored === undefined ? undefined : { actor: `token:${stored.name}`, tokenId: stored.id };
}

/** The actor behind a bearer token, or undefined when the token is unknown. */
export async function bearerActor(s: Services, token: string): Promise<string | undefined> {
  return (await bearerAdmin(s, token))?.actor;
}

/** Touches a session's last-seen time at most this often, so that a busy console does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The admin signed in with a session cookie, if the session is still valid: within its
 * absolute lifetime (SEICI_SESSION_MAX_HOURS), used within the idle timeout
 * (SEICI_SESSION_IDLE_MINUTES), and opened with a token that has not been revoked since.
 */
export async function sessionIdentity(s: Services, req: Request): Promise<AdminIdentity | undefined> {
  const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  if (!cookie) return undefined;
  const now = s.clock();
  const idleSince = new Date(now.getTime() - s.config.session.idleMinutes * 60_000);
  const session = await findSession(s.db, hashToken(cookie, 'session:'), iso(now), iso(idleSince));
  if (!session) return undefined;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await touchSession(s.db, session.id, iso(now));
  return { actor: session.actor, csrfToken: session.csrfToken, sessionId: session.id };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates an admin request: `Authorization: Bearer <token>`, or a session cookie from the
 * login page. Cookie-authenticated requests that change something must carry the session's
 * CSRF token (header `x-csrf-token` or form field `_csrf`); bearer requests need none, since a
 * browser never adds that header on its own.
 */
export async function authenticateAdmin(s: Services, req: Request): Promise<AdminIdentity> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpError(401, 'The Authorization header must be "Bearer <token>".');
    const actor = await bearerActor(s, match[1]);
    if (!actor) throw new HttpError(401, 'The bearer token is not valid or has been revoked.');
    return { actor };
  }
  const session = await sessionIdentity(s, req);
  if (!session) throw new HttpError(401, 'This call needs an admin token: send "Authorization: Bearer <token>" or sign in at /login.');
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.get(CSRF_HEADER) ?? (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken!)) {
      throw new HttpError(403, 'The CSRF token is missing or wrong; reload the page and try again.');
    }
  }
  return session;
}

/** Express middleware form of authenticateAdmin; stores the identity in `res.locals.admin`. */
export function requireAdmin(s: Services) {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticateAdmin(s, req).then(
      (identity) => {
        res.locals.admin = identity;
        next();
      },
      next,
    );
  };
}
