import type express from 'express';
import type { Request, Response } from 'express';
import { HttpError, fromInputError } from '../errors.js';
import { Reply } from '../routes/api_route.js';
import type { Services } from '../services.js';
import { validate } from '../validation.js';
import { Fragment, FormError, Page, Redirect, type ConsoleKit, type PageContext, type PageRoute, type ViewResult } from './page_route.js';
import { consoleForm, consolePage, consolePastedForm, field, fields, type ConsoleUser } from './session.js';
import type { PastedField } from '../imports/form_stream.js';

/** A `:id` in a console path: a stored row's id. */
const ID = /^[1-9][0-9]{0,9}$/;

/** The handlers mountPage made, so that a test can tell that every console route went through it. */
export const mountedPages = new WeakSet<express.RequestHandler>();

/**
 * Mounts one console route: the one routing convention of the HTML console, as mountRoute is
 * for /api/v1. A page demands a signed-in admin (else a 303 to the login page, which comes back
 * here); a form reads its urlencoded body up to the route's limit and demands the session's
 * CSRF token (else 403). A `:id` that is not a row id is a 404 before the route runs. The form
 * is validated against the route's `body` schema; a caller's mistake (HttpError below 500,
 * InputError, a refused schema) goes to the route's `refused` when it has one; everything else
 * goes to the app's one error handler, which renders an HTML page without details.
 */
export function mountPage(router: express.Router, r: PageRoute, s: Services, kit: ConsoleKit): void {
  const guard = r.kind === 'page' ? [consolePage(s)] : r.pasted ? [consolePastedForm(s, r.pasted.field, r.pasted.limit)] : consoleForm(s, r.bodyLimit);
  const handler: express.RequestHandler = async (req: Request, res: Response) => {
    const params = req.params as Record<string, string>;
    if (params.id !== undefined && !ID.test(params.id)) throw new HttpError(404, `Nothing is at ${req.path}.`);
    const ctx: PageContext<unknown> = {
      s,
      kit,
      user: res.locals.console as ConsoleUser,
      params,
      id: params.id === undefined ? 0 : Number(params.id),
      query: req.query as Record<string, unknown>,
      body: undefined,
      field: (name) => field(req, name),
      fields: (name) => fields(req, name),
      pasted: (res.locals.pasted as PastedField | null | undefined) ?? null,
      req,
    };
    let result: ViewResult;
    try {
      const body = r.body ? validate(r.body, formValues(req), 'the form') : undefined;
      result = await r.run({ ...ctx, body } as PageContext<never>);
    } catch (thrown) {
      const err = fromInputError(thrown);
      // a refused paste is read to its end (unkept beyond what the form shows again) before answering
      if (ctx.pasted) await ctx.pasted.drain();
      if (!(r.refused && err instanceof HttpError && err.status < 500)) throw err;
      if (ctx.pasted && r.pasted) (req.body as Record<string, unknown>)[r.pasted.field] = ctx.pasted.keptText();
      result = await r.refused(ctx as PageContext<undefined>, err);
    }
    if (ctx.pasted) await ctx.pasted.drain();
    send(req, res, kit, result);
  };
  mountedPages.add(handler);
  router[r.kind === 'page' ? 'get' : 'post'](r.path, ...guard, handler);
}

/** The form's fields as the `body` schema sees them: trimmed text (lists for repeated fields), without the CSRF token. */
function formValues(req: Request): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of Object.keys((req.body as Record<string, unknown> | undefined) ?? {})) {
    if (name === '_csrf') continue;
    const all = fields(req, name);
    values[name] = all.length > 1 ? all : field(req, name);
  }
  return values;
}

function send(req: Request, res: Response, kit: ConsoleKit, result: ViewResult): void {
  if (result instanceof Redirect) {
    const { location, message } = result;
    res.redirect(303, message ? `${location}${location.includes('?') ? '&' : '?'}${message.kind}=${encodeURIComponent(message.text)}` : location);
  } else if (result instanceof Page) {
    render(req, res, kit, result, {});
  } else if (result instanceof FormError) {
    render(req, res, kit, new Page(result.page.view, result.page.nav, result.page.title, result.page.data, result.status), { [result.key]: result.message });
  } else if (result instanceof Fragment) {
    res.type('html').send(kit.views.renderPartial(result.view, { ...result.data, user: res.locals.console }));
  } else if (result instanceof Reply) {
    res.status(result.status);
    // attachment() sets a type from the file name's extension; the route's own type wins.
    if (result.filename) res.attachment(result.filename);
    if (result.contentType) res.type(result.contentType);
    res.send(result.body);
  }
}

/** A page in the console's layout: the signed-in admin, the lit navigation entry, and a notice or error from the query or the refused form. */
function render(req: Request, res: Response, kit: ConsoleKit, page: Page, extra: Record<string, unknown>): void {
  const data = { ...page.data, ...extra };
  const notice = typeof req.query.notice === 'string' ? req.query.notice : undefined;
  const error = typeof req.query.error === 'string' ? req.query.error : undefined;
  res
    .status(page.status)
    .type('html')
    .send(kit.views.render(page.view, { ...data, title: page.title, nav: { [page.nav]: true }, user: res.locals.console, notice, error: error ?? data.formError }));
}
