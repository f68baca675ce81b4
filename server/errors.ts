import { InputError } from '../analysis/index.js';

/**
 * The one error a handler throws for anything the caller got wrong (or a missing resource):
 * an HTTP status and one readable sentence. The error handler answers it as
 * `{"error": message}` for the API, or as a friendly page for HTML routes.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * A thrown value with the analysis library's InputError (a caller's mistake that names the
 * field, row or argument at fault) turned into an HttpError 400; anything else as it is. The
 * app's one error handler reads every error through this, and so do the console's forms, which
 * show a refused change's message beside the form instead of an error page; handlers let
 * InputError through instead of converting it themselves.
 */
export function fromInputError(err: unknown): unknown {
  return err instanceof InputError ? new HttpError(400, err.message) : err;
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

/** The longest piece of a caller's input that an error message repeats. */
export const ECHO_LIMIT = 80;

/**
 * A piece of the caller's input for an error message: quoted, and cut at ECHO_LIMIT characters
 * (with "…") so that a message never grows with the input.
 */
export function echo(value: string): string {
  const text = value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT - 1)}…` : value;
  return JSON.stringify(text);
}
