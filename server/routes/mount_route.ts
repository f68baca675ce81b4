import type express from 'express';
import type { Request, Response } from 'express';
import { requireAdmin } from '../auth/admin.js';
import { HttpError } from '../errors.js';
import type { Services } from '../services.js';
import { validate } from '../validation.js';
import { Reply, type ApiRoute } from './api_route.js';

/**
 * Mounts one API route on a router: the one routing convention of every call under /api/v1
 * (the main API, the SEI dynamics, pre-registration). An admin route authenticates before its
 * body is read; `parsers` (body parsers with the route family's limits) run next; the body is
 * validated against the route's zod schema; the handler's value is answered as JSON with the
 * route's status, or as a Reply (another status, or a download with its content type).
 * Anything thrown goes to the app's one error handler.
 */
export function mountRoute(router: express.Router, r: ApiRoute, s: Services, parsers: readonly express.RequestHandler[] = []): void {
  const handlers: express.RequestHandler[] = [];
  if (r.admin) handlers.push(requireAdmin(s));
  handlers.push(...parsers);
  handlers.push(async (req: Request, res: Response) => {
    let body: unknown;
    if (r.body) {
      if (req.body === undefined && hasBody(req)) {
        throw new HttpError(415, 'Send the request body as JSON with Content-Type: application/json.');
      }
      body = validate(r.body, req.body);
    }
    const result = await r.run({ s, body, params: req.params as Record<string, string>, actor: res.locals.admin?.actor ?? 'respondent', req, res });
    if (result instanceof Reply) {
      res.status(result.status);
      if (result.contentType) {
        // attachment() sets a type from the file name's extension; the route's own type wins.
        if (result.filename && req.method === 'GET') res.attachment(result.filename);
        res.type(result.contentType);
        res.send(result.body);
      } else {
        res.json(result.body);
      }
      return;
    }
    res.status(r.status).json(result);
  });
  router[r.method](r.path, ...handlers);
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}
