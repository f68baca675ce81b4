import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { RateLimit } from '../config.js';
import { isPostgres } from '../db.js';
import { HttpError } from '../errors.js';
import type { Services } from '../services.js';
import { KnexRateLimitStore } from './knex_store.js';

/**
 * The store a limit counts in: the database when it is PostgreSQL (several server processes
 * share it, so they must share the counts), else memory: one process owns an SQLite database,
 * and a survey answer should not cost an extra SQLite commit.
 */
function storeFor(s: Services, prefix: string): Store {
  return isPostgres(s.db) ? new KnexRateLimitStore(s.db, prefix) : new MemoryStore();
}

/**
 * A limit that counts only failures (answers with the status `failure`): express-rate-limit
 * counts each request as it arrives and takes back the ones that did not fail, so a client is
 * refused with 429 (and `Retry-After`, in seconds) once it has failed `limit` times within the
 * window, and a client that does not fail is never throttled.
 */
function failureLimit(s: Services, prefix: string, limit: RateLimit, failure: number, message: string, key?: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs: limit.windowSeconds * 1000,
    limit: limit.limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== failure,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: storeFor(s, prefix),
    ...(key ? { keyGenerator: key } : {}),
    // Answered through the app's error handler: JSON for the API, a page for HTML.
    handler: (_req: Request, res: Response, next: NextFunction) => {
      const retry = Number(res.getHeader('Retry-After'));
      next(new HttpError(429, `${message} Try again in ${Number.isFinite(retry) && retry > 0 ? retry : limit.windowSeconds} seconds.`));
    },
  });
}

/**
 * `POST /login`: failed sign-ins per client address, and from all addresses together (so that
 * an attacker spreading guesses over many addresses is slowed down too; during such an attack
 * admins use bearer tokens, which are not limited).
 */
export function loginLimits(s: Services): RequestHandler[] {
  const limits = s.config.rateLimits;
  return [
    failureLimit(s, 'login-address', limits.loginPerAddress, 401, 'Too many failed sign-ins from this address.'),
    failureLimit(s, 'login-all', limits.loginGlobal, 401, 'Too many failed sign-ins on this server.', () => 'all'),
  ];
}

/**
 * `GET /s/:token` and `POST /api/v1/responses`: requests whose token opens nothing (404) per
 * client address, so that tokens cannot be guessed at speed. A respondent with a working link
 * is never counted, whatever else goes wrong with their answers.
 *
 * The counting is express-rate-limit's Store (the same stores as above); only the order
 * differs from its middleware. express-rate-limit counts a request when it arrives and takes
 * it back when it succeeds, so requests still in flight count: fifty colleagues behind one
 * office address submitting at the same moment would be refused. Here a request is refused
 * only when the failures already counted reach the limit, and a 404 is counted when it has
 * been answered.
 */
export function surveyTokenLimit(s: Services): SurveyTokenLimit {
  const limit = s.config.rateLimits.surveyTokenFailures;
  const windowMs = limit.windowSeconds * 1000;
  const store = storeFor(s, 'survey-token');
  void store.init?.({ windowMs } as Options);
  const message = 'Too many survey links that did not work were tried from this address.';
  const counts = new FailureCounts(store, FAILURES_FRESH_MS);
  const check = (req: IncomingMessage, res: ServerResponse, ip: string, done: (err?: unknown) => void) => {
    const key = addressKey(req, ip);
    counts.get(key).then((info) => {
      if (info && info.totalHits >= limit.limit) {
        const seconds = Math.max(1, Math.ceil(((info.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
        res.setHeader('Retry-After', String(seconds));
        done(new HttpError(429, `${message} Try again in ${seconds} seconds.`));
        return;
      }
      res.on('finish', () => {
        if (res.statusCode !== 404) return;
        counts.increment(key).catch((err: unknown) => s.logger.error({ err }, 'rate limit store failed'));
      });
      done();
    }, done);
  };
  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => check(req, res, req.ip ?? 'unknown', next);
  return Object.assign(middleware, { check });
}

/**
 * The survey-token limit as Express middleware, and its check for the answer route, which
 * runs before Express (routes/answer_intake.ts) and so names the client address itself.
 */
export type SurveyTokenLimit = RequestHandler & {
  readonly check: (req: IncomingMessage, res: ServerResponse, ip: string, done: (err?: unknown) => void) => void;
};

/** How long a process trusts the failure count it last read for an address (ms). */
const FAILURES_FRESH_MS = 1000;

/**
 * The survey-token failure counts of the store, read at most once per `freshMs` per address by
 * this process: a submission with a working link then costs no database round trip (it was
 * one query per answer set on PostgreSQL). The process's own failures update its copy at once
 * (from the store's answer to the increment), so one process alone never lets a failure past
 * the limit; failures counted by other processes are seen within `freshMs`, so across N
 * processes a fast guesser gets at most what the others let through in that time before every
 * process refuses it. The map is emptied should it grow past 50,000 addresses.
 */
class FailureCounts {
  private readonly seen = new Map<string, { info: ClientRateLimitInfo | undefined; readAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly freshMs: number,
  ) {}

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const now = Date.now();
    const cached = this.seen.get(key);
    if (cached && now - cached.readAt < this.freshMs && (!cached.info?.resetTime || cached.info.resetTime.getTime() > now)) return cached.info;
    const info = await this.store.get!(key);
    this.remember(key, info, now);
    return info;
  }

  async increment(key: string): Promise<void> {
    this.remember(key, await this.store.increment(key), Date.now());
  }

  private remember(key: string, info: ClientRateLimitInfo | undefined, readAt: number): void {
    if (this.seen.size >= 50_000 && !this.seen.has(key)) this.seen.clear();
    this.seen.set(key, { info, readAt });
  }
}

const keys = new WeakMap<object, { readonly ip: string; readonly key: string }>();

/**
 * The limit's key for a request's client address (express-rate-limit's ipKeyGenerator: an IPv6
 * address counts by its /56 network, an IPv4-mapped one as the IPv4 address), worked out once
 * per connection: a keep-alive connection sends many answer sets from the same address, and
 * the IPv6 parse costs more than the rest of the limit.
 */
function addressKey(req: IncomingMessage, ip: string): string {
  const cached = keys.get(req.socket);
  if (cached !== undefined && cached.ip === ip) return cached.key;
  const key = ipKeyGenerator(ip);
  keys.set(req.socket, { ip, key });
  return key;
}
