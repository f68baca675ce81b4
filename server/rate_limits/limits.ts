import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, MemoryStore, type Store } from 'express-rate-limit';
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
 */
export function surveyTokenLimit(s: Services): RequestHandler {
  return failureLimit(s, 'survey-token', s.config.rateLimits.surveyTokenFailures, 404, 'Too many survey links that did not work were tried from this address.');
}
