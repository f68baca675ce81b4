import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { requireAdmin } from '../auth/admin.js';
import { HttpError } from '../errors.js';
import { Reply } from '../routes/api_route.js';
import type { Services } from '../services.js';
import { validate } from '../validation.js';
import { dynamicsRoutes } from './routes.js';

/** Largest trace or PQ import body (a year of events of a large unit is a few megabytes). */
export const IMPORT_BODY_LIMIT = '50mb';

/**
 * The router of the SEI dynamics calls, mounted under /api/v1 before the main API router.
 * Each route authenticates the admin first and only then reads its body, with the import
 * limit (the main router's JSON limit is meant for small bodies), then validates and runs as
 * the main router does.
 */
export function dynamicsRouter(s: Services): express.Router {
  const router = express.Router();
  const parsers = [express.json({ limit: IMPORT_BODY_LIMIT }), express.text({ type: ['text/csv', 'text/plain'], limit: IMPORT_BODY_LIMIT })];
  for (const r of dynamicsRoutes) {
    const handlers: express.RequestHandler[] = [];
    if (r.admin) handlers.push(requireAdmin(s));
    handlers.push(...parsers);
    handlers.push(async (req: Request, res: Response) => {
      const body = r.body ? validate(r.body, req.body) : undefined;
      const result = await r.run({ s, body, params: req.params as Record<string, string>, actor: res.locals.admin?.actor ?? 'respondent', req, res });
      if (result instanceof Reply) {
        res.status(result.status).json(result.body);
        return;
      }
      res.status(r.status).json(result);
    });
    router[r.method](r.path, ...handlers);
  }
  router.use(((err, _req, _res, next) => {
    const e = err as { type?: string };
    if (e?.type === 'entity.too.large') return next(new HttpError(413, `The import is larger than the limit of ${IMPORT_BODY_LIMIT}.`));
    next(err);
  }) as ErrorRequestHandler);
  return router;
}
