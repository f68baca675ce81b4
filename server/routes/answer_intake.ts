import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { submitResponse } from '../handlers/responses.js';
import { readResponseSubmit } from '../handlers/response_body.js';
import { ProcessGoneError } from '../queries/response_writer.js';
import type { SurveyTokenLimit } from '../rate_limits/limits.js';
import type { Services } from '../services.js';

/** What the answer route needs from the app around it. */
export interface IntakeOptions {
  /** The app's security headers, as helmet sets them on every answer (computed once by {@link headersOf}). */
  readonly headers: readonly (readonly [string, string])[];
  /** The survey-token failure limit (rate_limits/limits.ts), run before the body is read. */
  readonly tokenLimit: SurveyTokenLimit;
  /** Logs the request (the app's request log, debug level). */
  readonly log: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Serves one request of the answer route, or hands it on: `pass()` when the route does not
 * serve it (the general pipeline answers it as before, nothing read), `pass(err)` when it
 * failed (the app's error handler answers).
 */
export type AnswerIntake = (req: IncomingMessage, res: ServerResponse, pass: (err?: unknown) => void) => void;

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Whether a request is for the answer route as the intake serves it (`POST /api/v1/responses`, any query). */
export function isAnswerRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const end = url.indexOf('?');
  const path = end < 0 ? url : url.slice(0, end);
  return path === '/api/v1/responses' || path === '/api/v1/responses/';
}

/**
 * `POST /api/v1/responses`, the route every respondent's answers take, served before Express
 * sees the request (server/app.ts hands it over from `app.handle`): Express's own work per
 * request (giving the request and response its prototypes, which V8 pays for on every later
 * property read, and walking the router) cost more CPU than the whole answer route. The
 * security headers are set from a list computed once at start, the client address is the
 * socket's (the app trusts no proxy), the body is read as bytes and parsed once, the common
 * body is checked without zod (handlers/response_body.ts), and the answer is written straight
 * to the socket. The route's contract is the API table's (routes/api.ts: the same statuses, the
 * same error sentences through the app's one error handler, the same rate limit); a request it
 * does not serve as usual (any content type but UTF-8 JSON, a compressed body, a declared size
 * over the limit) goes down the general pipeline, which answers it as before.
 *
 * Should the process that commits the answers be gone (a cluster's primary killed), the
 * connection is dropped without an answer: the client retries, and no answer is acknowledged
 * that was not committed.
 */
export function answerIntake(s: Services, options: IntakeOptions): AnswerIntake {
  const limit = byteLimit(s.config.bodyLimit);
  return (req, res, pass) => {
    const type = req.headers['content-type'];
    if (type === undefined || !JSON_TYPE.test(type) || (req.headers['content-encoding'] !== undefined && req.headers['content-encoding'] !== 'identity')) return pass();
    // A body declared larger than the limit is refused by the general pipeline's parser (413), as before.
    if (Number(req.headers['content-length']) > limit) return pass();
    for (const [name, value] of options.headers) res.setHeader(name, value);
    options.log(req, res);
    options.tokenLimit.check(req, res, req.socket.remoteAddress ?? 'unknown', (err?: unknown) => {
      if (err) return pass(err);
      readBody(req, limit, (failure, text) => {
        if (failure) return pass(failure);
        let body: unknown;
        try {
          body = parseJson(text!);
        } catch {
          return pass({ type: 'entity.parse.failed', status: 400 });
        }
        // Inside the promise, so that a refused body (readResponseSubmit throws a 400) reaches the error handler, never the process.
        Promise.resolve(body).then((b) => submitResponse(s, readResponseSubmit(b))).then(
          (saved) => {
            const json = JSON.stringify(saved.body);
            res.writeHead(saved.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
            res.end(json);
          },
          (e: unknown) => {
            if (e instanceof ProcessGoneError) req.socket.destroy();
            else pass(e);
          },
        );
      });
    });
  };
}

/** As body-parser's strict JSON: an empty body is `{}`, and the text must start with an object or an array. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new SyntaxError('not an object');
  return JSON.parse(text);
}

/** Reads a body of at most `limit` bytes; a longer one fails as body-parser's does (413 through the error handler). */
function readBody(req: IncomingMessage, limit: number, done: (err: unknown, text?: string) => void): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return done({ type: 'entity.too.large', status: 413, limit });
  }
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  const finish = (err: unknown, text?: string) => {
    if (finished) return;
    finished = true;
    req.off('data', onData);
    done(err, text);
  };
  const onData = (chunk: Buffer) => {
    length += chunk.length;
    if (length > limit) {
      req.resume();
      return finish({ type: 'entity.too.large', status: 413, limit });
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => finish(null, (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)).toString('utf8')));
  req.once('aborted', () => finish({ type: 'request.aborted', status: 400 }));
  req.once('error', (err) => finish(err));
}

/** A size as the body limits are written (`64kb`, `1mb`, a number of bytes). */
export function byteLimit(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return 64 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(match[1]) * unit);
}

/** The headers a middleware sets on every answer (helmet's security headers), read once by running it on a stand-in. */
export function headersOf(middleware: RequestHandler): [string, string][] {
  const headers = new Map<string, [string, string]>();
  const stand = {
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), [name, String(value)]);
      return stand;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  };
  let ok = false;
  middleware({ headers: {} } as Parameters<RequestHandler>[0], stand as unknown as Parameters<RequestHandler>[1], (err?: unknown) => {
    if (err) throw err;
    ok = true;
  });
  if (!ok) throw new Error('the security headers middleware did not finish synchronously');
  return [...headers.values()];
}
