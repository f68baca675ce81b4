import express, { type Request, type Response } from 'express';
import { SESSION_COOKIE, sessionIdentity } from '../auth/admin.js';
import { HttpError } from '../errors.js';
import { login, logout } from '../handlers/sessions.js';
import { respondentPage } from '../handlers/pages.js';
import { panelPage } from '../handlers/panels.js';
import type { Services } from '../services.js';
import type { Views } from '../views.js';
import { safeNext } from '../web/session.js';

/** The HTML pages: the respondent's survey page, and the admin login and logout (the console itself is server/web). */
export function pageRouter(s: Services, views: Views): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/s/:token', async (req: Request, res: Response) => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const page = await respondentPage(s, req.params.token as string, { lang, acceptLanguage: req.get('accept-language') });
    res.set('Content-Language', String(page.data.lang));
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    res.status(page.status).type('html').send(views.render(page.view, page.data));
  });

  router.get('/p/:token', async (req: Request, res: Response) => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const page = await panelPage(s, req.params.token as string, lang);
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    res.status(page.status).type('html').send(views.render(page.view, page.data));
  });

  router.get('/', (_req, res) => res.redirect(302, '/admin'));

  router.get('/login', async (req, res) => {
    const next = safeNext(req.query.next);
    if (await sessionIdentity(s, req)) return res.redirect(303, next);
    res.type('html').send(views.render('login', { title: 'Sign in', next: next === '/admin' ? undefined : next }));
  });

  router.post('/login', form, async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    const session = await login(s, token, { address: req.ip });
    // The console page asked for before signing in (a deep link), never an address elsewhere.
    const next = safeNext(req.body?.next);
    if (!session) {
      res.status(401).type('html').send(views.render('login', { title: 'Sign in', error: 'That admin token is not valid.', next: next === '/admin' ? undefined : next }));
      return;
    }
    res.cookie(SESSION_COOKIE, session.cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: s.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: s.config.session.maxHours * 3_600_000,
    });
    res.redirect(303, next);
  });

  router.post('/logout', form, async (req, res) => {
    const identity = await sessionIdentity(s, req);
    if (!identity) return res.redirect(303, '/login');
    if (req.body?._csrf !== identity.csrfToken) throw new HttpError(403, 'The CSRF token is missing or wrong; reload the page and try again.');
    await logout(s, identity.actor, (req.cookies as Record<string, string>)[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
