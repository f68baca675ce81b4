import express, { type NextFunction, type Request, type Response } from 'express';
import { authenticateAdmin, sessionIdentity, type AdminIdentity } from '../auth/admin.js';
import type { Services } from '../services.js';
import { streamRequestBody, type UploadLimit } from '../imports/csv_upload.js';
import { PastedField, UrlencodedFormReader, encodedBodyLimit } from '../imports/form_stream.js';

/** The console's signed-in admin, as the layout shows it. */
export interface ConsoleUser {
  readonly actor: string;
  /** The name of the admin token signed in with (`alice` for `token:alice`). */
  readonly tokenName: string;
  /** True for the token of the SEICI_ADMIN_TOKEN variable (it has no stored name). */
  readonly configured: boolean;
  readonly csrfToken: string;
  /** The console session's id (as the sessions page lists it); null for bearer requests. */
  readonly sessionId: number | null;
}

function user(identity: AdminIdentity): ConsoleUser {
  const stored = identity.actor.startsWith('token:');
  return {
    actor: identity.actor,
    tokenName: stored ? identity.actor.slice('token:'.length) : identity.actor,
    configured: identity.actor === 'SEICI_ADMIN_TOKEN',
    csrfToken: identity.csrfToken ?? '',
    sessionId: identity.sessionId ?? null,
  };
}

/**
 * Where to go after signing in: a console path asked for before (`/admin/...`, with its query),
 * or the overview. Anything else, an absolute or protocol-relative URL (`//evil.example`,
 * `/\\evil.example`), a path outside the console or with control characters, is an open redirect
 * waiting to happen and gives the overview.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/admin';
  if (!/^\/admin(?:[/?#]|$)/.test(next)) return '/admin';
  // control characters are exactly what this check looks for
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\u0000-\u001f\u007f]/.test(next) || next.includes('//') || /%2f|%5c/i.test(next.split('?')[0])) return '/admin';
  return next;
}

/** The login page's address for a console page that needs a sign-in: it comes back to `path` afterwards. */
export function loginFor(path: string): string {
  const next = safeNext(path);
  return next === '/admin' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * Guards a console page: a signed-in admin (session cookie from /login, or a bearer token) goes
 * on with `res.locals.console`; anyone else is sent to the login page. Pages are never cached.
 */
export function consolePage(s: Services) {
  return (req: Request, res: Response, next: NextFunction) => {
    const check = req.get('authorization') !== undefined ? authenticateAdmin(s, req) : sessionIdentity(s, req);
    check.then((identity) => {
      if (!identity) {
        res.redirect(303, req.method === 'GET' ? loginFor(req.originalUrl) : '/login');
        return;
      }
      res.locals.console = user(identity);
      res.set('Cache-Control', 'no-store');
      next();
    }, next);
  };
}

/**
 * Guards a console form submission: reads the urlencoded body (up to `limit`, for pasted CSV),
 * then demands the admin session and its CSRF token (`_csrf` field) through the server's own
 * authenticateAdmin, so a forged cross-site form is refused with 403.
 */
export function consoleForm(s: Services, limit = '64kb') {
  const parse = express.urlencoded({ extended: false, limit });
  return [
    parse,
    (req: Request, res: Response, next: NextFunction) => {
      authenticateAdmin(s, req).then((identity) => {
        res.locals.console = user(identity);
        res.set('Cache-Control', 'no-store');
        next();
      }, next);
    },
  ];
}

/**
 * Guards a console form whose last field, `pasted`, is an import pasted as text: the urlencoded
 * body is decoded as it arrives (UrlencodedFormReader), the fields before the paste are kept as
 * the form's fields, and as soon as the paste has begun (its first character that is not white
 * space is known) or the body has ended, the admin session and its CSRF token are checked and
 * the route runs with the paste left to read: `res.locals.pasted` (a PastedField), read by the
 * import's own row-by-row reader under `limit(s)` (413 with its sentence). The request is paused
 * while nobody reads the paste. A body that is not urlencoded has no fields (so no CSRF token: 403).
 */
export function consolePastedForm(s: Services, pasted: string, limit: (s: Services) => UploadLimit) {
  return (req: Request, res: Response, next: NextFunction) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let proceeded = false;
    let field: PastedField | null = null;
    const proceed = () => {
      if (proceeded) return;
      proceeded = true;
      req.body = reader.fields;
      authenticateAdmin(s, req).then(
        (identity) => {
          res.locals.console = user(identity);
          res.locals.pasted = field;
          res.set('Cache-Control', 'no-store');
          next();
        },
        (err) => {
          void field?.drain();
          next(err);
        },
      );
    };
    const reader = new UrlencodedFormReader(pasted, () => (field = new PastedField(req, limit(s))));
    if (type !== 'application/x-www-form-urlencoded') {
      req.resume();
      return proceed();
    }
    const bytes = limit(s);
    const failed = (err: unknown) => {
      field?.end(err);
      if (!proceeded) {
        proceeded = true;
        next(err);
      }
    };
    streamRequestBody(req, { bytes: encodedBodyLimit(bytes.bytes), tooLarge: bytes.tooLarge }, 'the form', (chunk) => {
      reader.write(chunk);
      // the paste has begun: check the session and run the route, which reads the paste (the request waits till it does)
      if (field !== null && field.unread && (proceeded || field.first !== '')) {
        req.pause();
        proceed();
      }
    }).then(() => {
      try {
        reader.end();
      } catch (err) {
        return failed(err);
      }
      field?.end();
      proceed();
    }, failed);
  };
}

/** A single text field of a parsed form; '' when absent. */
export function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0].trim() : '';
  return typeof value === 'string' ? value.trim() : '';
}

/** Every value of a repeated form field (checkboxes, multiple selects). */
export function fields(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
