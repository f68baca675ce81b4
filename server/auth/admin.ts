import type { NextFunction, Request, Response } from 'express';
import { iso } from '../clock.js';
import { HttpError } from '../errors.js';
import { findActiveAdminToken, findSession } from '../queries/admin.js';
import type { Services } from '../services.js';
import { hashToken, sameSecret } from '../tokens.js';

export const SESSION_COOKIE = 'seici_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Who made an admin request: the name of the token or session used. */
export interface AdminIdentity {
  readonly actor: string;
  /** Set for cookie sessions: the token that unsafe requests must echo. */
  readonly csrfToken?: string;
}

/**
 * The actor behind a bearer token: `SEICI_ADMIN_TOKEN` (compared in constant time) or an
 * unrevoked stored token (looked up by its hash). Undefined when the token is unknown.
 */
export async function bearerActor(s: Services, token: string): Promise<string | undefined> {
  if (s.config.adminToken && sameSecret(token, s.config.adminToken)) return 'SEICI_ADMIN_TOKEN';
  const name = await findActiveAdminToken(s.db, hashToken(token, 'admin:'));
  return name === undefined ? undefined : `token:${name}`;
}

/** The admin signed in with a session cookie, if any. */
export async function sessionIdentity(s: Services, req: Request): Promise<AdminIdentity | undefined> {
  const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  if (!cookie) return undefined;
  const session = await findSession(s.db, hashToken(cookie, 'session:'), iso(s.clock()));
  return session ? { actor: session.actor, csrfToken: session.csrfToken } : undefined;
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
