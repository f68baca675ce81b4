import express, { type NextFunction, type Request, type Response } from 'express';
import { authenticateAdmin, sessionIdentity, type AdminIdentity } from '../auth/admin.js';
import type { Services } from '../services.js';

/** The console's signed-in admin, as the layout shows it. */
export interface ConsoleUser {
  readonly actor: string;
  readonly csrfToken: string;
}

function user(identity: AdminIdentity): ConsoleUser {
  return { actor: identity.actor, csrfToken: identity.csrfToken ?? '' };
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
        res.redirect(303, '/login');
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
