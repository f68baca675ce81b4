import type { Request } from 'express';
import type { z } from 'zod';
import type { HttpError } from '../errors.js';
import type { Reply } from '../routes/api_route.js';
import type { Services } from '../services.js';
import type { ConsoleViews } from './console_views.js';
import type { ScaleReports } from './reports/scale_jobs.js';
import type { ConsoleUser } from './session.js';
import type { UploadLimit } from '../imports/csv_upload.js';
import type { PastedField } from '../imports/form_stream.js';

/** A console page: a template of views/console, the navigation entry it lights, its title and its data. */
export class Page {
  constructor(
    readonly view: string,
    readonly nav: string,
    readonly title: string,
    readonly data: Record<string, unknown>,
    readonly status = 200,
  ) {}
}

/** A piece of a page without the layout (the wave's live panel, which the page's script refreshes). */
export class Fragment {
  constructor(
    readonly view: string,
    readonly data: Record<string, unknown>,
  ) {}
}

/** A 303 to another address, with an optional one-sentence notice or error in its query (`?notice=…`). */
export class Redirect {
  constructor(
    readonly location: string,
    readonly message?: { readonly kind: 'notice' | 'error'; readonly text: string },
  ) {}
}

/**
 * A refused form shown again: `page` holds what was typed, `message` the refusal's one sentence,
 * shown above the form (or under `key` for a page with more than one form), answered with the
 * refusal's status (400, 404, 409, 422).
 */
export class FormError {
  constructor(
    readonly page: Page,
    readonly message: string,
    readonly status: number,
    readonly key = 'formError',
  ) {}
}

/** What a console route answers: a page, a fragment, a redirect, a refused form, or a download (a Reply with a content type and file name). */
export type ViewResult = Page | Fragment | Redirect | FormError | Reply;

/** What the console's routes share besides the services: its templates and the scale reports' jobs. */
export interface ConsoleKit {
  readonly views: ConsoleViews;
  readonly scaleReports: ScaleReports;
}

export interface PageContext<B = undefined> {
  readonly s: Services;
  readonly kit: ConsoleKit;
  /** The signed-in admin. */
  readonly user: ConsoleUser;
  /** The path's parameters; a `:id` is checked to be a row id before the route runs (see `id`). */
  readonly params: Record<string, string>;
  /** The `:id` of the path as a number (0 when the path has none). */
  readonly id: number;
  readonly query: Record<string, unknown>;
  /** The form validated against the route's `body` schema (form routes with one). */
  readonly body: B;
  /** A single text field of the form, trimmed; '' when absent. */
  readonly field: (name: string) => string;
  /** Every value of a repeated form field (checkboxes, multiple selects). */
  readonly fields: (name: string) => string[];
  /** The pasted import of a `pasted` form, still to be read (null when the form has none, or for other routes). */
  readonly pasted: PastedField | null;
  readonly req: Request;
}

/**
 * One console route, the console's counterpart of ApiRoute: a `page` is a GET for a signed-in
 * admin (anyone else is sent to the login page, which comes back here); a `form` is a POST of
 * an urlencoded form read up to `bodyLimit` that must carry the session's CSRF token. `run`
 * returns what to answer. A caller's mistake thrown from `run` (an HttpError below 500, the
 * library's InputError, a form failing `body`) goes to `refused` when the route has one (back
 * to the form with the sentence), else to the app's one error handler, as does anything else.
 */
export interface PageRoute<B extends z.ZodType | undefined = z.ZodType | undefined> {
  readonly kind: 'page' | 'form';
  /** Express-style path (`/admin/waves/:id`). */
  readonly path: string;
  /** Largest form body (forms only; default 64kb). */
  readonly bodyLimit?: string;
  /**
   * A form whose last field is an import pasted as text (forms only): that field is not parsed
   * with the form but read by the import as the body arrives (`ctx.pasted`), under `limit`
   * (SEICI_IMPORT_LIMIT or the import's default); the other fields are the form's as usual.
   */
  readonly pasted?: { readonly field: string; readonly limit: (s: Services) => UploadLimit };
  /** zod schema of the form's fields (without `_csrf`), for forms that map one to one onto it. */
  readonly body?: B;
  readonly run: (ctx: PageContext<B extends z.ZodType ? z.output<B> : undefined>) => Promise<ViewResult>;
  readonly refused?: (ctx: PageContext<undefined>, err: HttpError) => ViewResult | Promise<ViewResult>;
}

export function page<B extends z.ZodType | undefined = undefined>(r: PageRoute<B>): PageRoute {
  return r as unknown as PageRoute;
}

/** Back to `path` with a notice (the usual answer to a form that worked). */
export function notice(path: string, text: string): Redirect {
  return new Redirect(path, { kind: 'notice', text });
}

/** A `refused` that goes back to `path` with the refusal's sentence as the page's error. */
export function backWithError(path: (ctx: PageContext) => string): (ctx: PageContext, err: HttpError) => Redirect {
  return (ctx, err) => new Redirect(path(ctx), { kind: 'error', text: err.message });
}
