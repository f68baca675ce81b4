import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { isPostgres, sqliteFilename, type Db } from './db.js';
import { dynamicsRouter } from './dynamics/router.js';
import { finiteJsonReplacer } from '../analysis/publication/finite.js';
import { HttpError, fromInputError } from './errors.js';
import { InstrumentCache } from './instrument_cache.js';
import { AnalysisRunner } from './jobs/analysis_runner.js';
import { waveDiagnosisInput } from './dynamics/diagnosis_input.js';
import { silentLogger, type Logger } from './logger.js';
import type { Mailer } from './mail.js';
import { openApiDocument } from './openapi.js';
import { packageDir, PROJECT_ROOT, VIEWS_DIR } from './paths.js';
import { invitationLookup } from './queries/invitation_lookup.js';
import { loadResponseKey } from './response_key.js';
import { KnexResponseWriter, SqliteThreadWriter, type ResponseWriter } from './queries/response_writer.js';
import { answerIntake, headersOf, isAnswerRequest } from './routes/answer_intake.js';
import { apiRoutes } from './routes/api.js';
import { mountRoute } from './routes/mount_route.js';
import { pageRouter } from './routes/pages.js';
import { loginLimits, surveyTokenLimit } from './rate_limits/limits.js';
import { consoleRouter } from './web/router.js';
import type { Services } from './services.js';
import { Views } from './views.js';
import { STATIC_PREFIX, StaticAssets } from './static_assets.js';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AppDeps {
  readonly db: Db;
  readonly config: Config;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly mailer?: Mailer;
  /** Where answer sets are committed; by default the app's own group-committing writer (a cluster's workers pass one that sends them to the primary). */
  readonly responses?: ResponseWriter;
}

export interface App extends Express {
  readonly services: Services;
}

/**
 * Builds the seici Express app on a migrated database, without listening (server/main.ts
 * listens; tests hand the app to supertest). Routes → handlers → queries; every error ends in
 * one handler that answers `{"error": "<sentence>"}` for the API and a friendly page for HTML.
 */
export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const instruments = new InstrumentCache(deps.db);
  const services: Services = {
    db: deps.db,
    config: deps.config,
    clock,
    logger,
    mailer: deps.mailer,
    instruments,
    analyses: new AnalysisRunner(deps.db, clock, logger, instruments),
    responses:
      deps.responses ??
      (isPostgres(deps.db) ? new KnexResponseWriter(deps.db) : new SqliteThreadWriter(sqliteFilename(deps.db), deps.config.sqliteSynchronous)),
    responseKey: loadResponseKey(deps.config),
    invitations: invitationLookup(deps.db),
  };
  services.analyses.diagnoseWith((wave) => waveDiagnosisInput(services, wave));
  // The respondent page's files, fingerprinted and compressed (server/static_assets.ts).
  const assets = new StaticAssets({ 'survey-core': packageDir('survey-core'), 'survey-js-ui': packageDir('survey-js-ui'), seici: join(VIEWS_DIR, 'assets') });
  const views = new Views(VIEWS_DIR, { asset: (path: string) => assets.url(path) });
  const app = express() as unknown as App & { services: Services };
  (app as { services: Services }).services = services;
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('json replacer', finiteJsonReplacer);

  const log = requestLog(logger);
  const security = securityHeaders(deps.config);
  const tokenLimit = surveyTokenLimit(services);
  // The answers' route is served before Express (routes/answer_intake.ts); what it hands on goes
  // down the pipeline below, an error straight to the error handler.
  const intake = answerIntake(services, { headers: headersOf(security), tokenLimit, log: log.raw });
  const intakeErrors = new WeakMap<object, unknown>();
  const handle = (app as unknown as Handle).handle;
  (app as unknown as Handle).handle = function (req, res, callback) {
    if (!isAnswerRequest(req)) return handle.call(this, req, res, callback);
    intake(req, res, (err?: unknown) => {
      if (err !== undefined) intakeErrors.set(req, err);
      handle.call(this, req, res, callback);
    });
  };
  app.post('/api/v1/responses', (req, _res, next) => {
    if (!intakeErrors.has(req)) return next();
    const err = intakeErrors.get(req);
    intakeErrors.delete(req);
    next(err);
  });
  app.use(log);
  app.use(security);
  app.use(cookieParser());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(services.config.publicUrl));
  });

  app.post('/login', ...loginLimits(services));
  app.get('/s/:token', tokenLimit);
  app.post('/api/v1/responses', tokenLimit);

  const api = express.Router();
  api.use(express.json({ limit: deps.config.bodyLimit }));
  // CSV uploads (units/import) are not parsed here: the route streams them through the CSV tokenizer
  for (const r of apiRoutes) mountRoute(api, r, services);
  api.use((req) => {
    throw new HttpError(404, `No API call matches ${req.method} ${req.baseUrl}${req.path}.`);
  });
  app.use('/api/v1', dynamicsRouter(services));
  app.use('/api/v1', api);

  app.get(`${STATIC_PREFIX}/:fingerprint/*path`, assets.handler());
  const cache = { maxAge: '1d', immutable: false };
  app.use('/assets/survey-core', express.static(packageDir('survey-core'), cache));
  app.use('/assets/survey-js-ui', express.static(packageDir('survey-js-ui'), cache));
  app.use('/assets/seici', express.static(join(VIEWS_DIR, 'assets'), cache));
  // the browser analysis page (web/analyse/, built by `npm run build`): public static files; it computes in the visitor's browser and sends nothing back
  app.use('/analyse', express.static(join(PROJECT_ROOT, 'dist', 'web', 'analyse'), cache));
  app.get(['/analyse', '/analyse/'], () => {
    throw new HttpError(404, 'The browser analysis page has not been built: run npm run build.');
  });
  app.use(consoleRouter(services));
  app.use(pageRouter(services, views));

  app.use((req) => {
    throw new HttpError(404, `Nothing is at ${req.path}.`);
  });
  app.use(errorHandler(services, views));
  return app;
}

/**
 * Logs each request at debug level: method, path, status and time. Survey links are logged
 * without their token, and no address or user agent is logged.
 */
function requestLog(logger: Logger): express.RequestHandler & { raw: (req: IncomingMessage, res: ServerResponse) => void } {
  const raw = (req: IncomingMessage, res: ServerResponse) => {
    if (!logger.isLevelEnabled('debug')) return;
    const start = process.hrtime.bigint();
    // the path as it arrived (a router mounted on a prefix rewrites req.url while it works)
    const url = req.url ?? '/';
    const end = url.indexOf('?');
    const path = end < 0 ? url : url.slice(0, end);
    res.on('finish', () => {
      logger.debug({ method: req.method, path: path.startsWith('/s/') ? '/s/:token' : path, status: res.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6 }, 'request');
    });
  };
  const middleware: express.RequestHandler = (req, res, next) => {
    raw(req, res);
    next();
  };
  return Object.assign(middleware, { raw });
}

/** Express's entry for each request (`app(req, res)` calls `app.handle`), which the answer route takes over. */
interface Handle {
  handle(this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (err?: unknown) => void): void;
}

/**
 * Security headers on every answer (helmet): a Content-Security-Policy that allows nothing but
 * this server's own origin (no third-party host, no inline script, no <style> element (style
 * attributes are allowed for SurveyJS), no framing), `X-Content-Type-Options: nosniff`, and `Referrer-Policy: no-referrer` everywhere,
 * since a survey page's address holds its token. Images may be data: URLs (SurveyJS draws its
 * check marks so). HSTS only when the public URL is https.
 */
function securityHeaders(config: Config): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // SurveyJS writes a few style attributes into its markup (widths, hidden elements);
        // attributes cannot run script or load anything, and <style> elements stay forbidden.
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 31_536_000 } : false,
    xFrameOptions: { action: 'deny' },
  });
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Turns anything thrown into a status and one sentence, in this one place for every route (API,
 * dynamics, console and pages): an HttpError keeps its status, the analysis library's InputError
 * is a 400, a body-parser failure its 4xx; an unexpected failure is logged and answered 500
 * without details.
 */
function asHttpError(thrown: unknown, s: Services): HttpError {
  // The analysis library's InputError names the field, row or argument at fault: the caller's mistake, a 400.
  const err = fromInputError(thrown);
  if (err instanceof HttpError) return err;
  const e = err as BodyParserError;
  switch (e?.type) {
    case 'entity.too.large':
      // The limit of the parser that refused it: JSON bodies, CSV uploads and console forms differ.
      return new HttpError(413, `The request body is larger than the limit of ${typeof e.limit === 'number' ? sizeText(e.limit) : s.config.bodyLimit}.`);
    case 'entity.parse.failed':
      return new HttpError(400, 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'The request body\'s encoding is not supported; send UTF-8.');
    case 'request.aborted':
      return new HttpError(400, 'The request was aborted before its body arrived.');
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, 'The request could not be read.');
  s.logger.error({ err }, 'internal error');
  return new HttpError(500, 'Something went wrong on the server; the error has been logged.');
}

/** A byte count as the body limits are written (`64kb`, `5mb`). */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}mb`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}kb`;
  return `${bytes} bytes`;
}

function errorHandler(s: Services, views: Views): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const http = asHttpError(err, s);
    if (res.headersSent) return;
    res.status(http.status);
    if (req.path.startsWith('/api/') || req.path === '/healthz' || !req.accepts('html')) {
      res.json({ error: http.message });
    } else {
      res.type('html').send(views.render('message', { title: titleFor(http.status), message: http.message }));
    }
  };
}

function titleFor(status: number): string {
  if (status === 404) return 'Not found';
  if (status === 410) return 'This survey is closed';
  if (status === 401 || status === 403) return 'Not allowed';
  if (status === 429) return 'Too many attempts';
  if (status >= 500) return 'Something went wrong';
  return 'Something is not right';
}
