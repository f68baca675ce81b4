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

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);
