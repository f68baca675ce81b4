import express, { type ErrorRequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { mountRoute } from '../routes/mount_route.js';
import type { Services } from '../services.js';
import { IMPORT_BODY_LIMIT, STREAMED_JSON, dynamicsImportLimit, dynamicsRoutes } from './routes.js';

export { IMPORT_BODY_LIMIT };

/**
 * The router of the SEI dynamics calls, mounted under /api/v1 before the main API router.
 * Each route is mounted as every API route is (server/routes/mount_route.ts): the admin is
 * authenticated first and only then is the body read, here with the import limit (the main
 * router's JSON limit is meant for small bodies). A CSV body is left unread here: the handler
 * streams it row by row (server/imports/csv_import_stream.ts) under dynamicsImportLimit, and a
 * trace import's JSON body is left unread too (STREAMED_JSON): the handler reads it element by element.
 */
export function dynamicsRouter(s: Services): express.Router {
  const router = express.Router();
  const limit = dynamicsImportLimit(s.config);
  const parsers = [express.json({ limit: limit.bytes })];
  for (const r of dynamicsRoutes) mountRoute(router, r, s, STREAMED_JSON.has(`${r.method} ${r.path}`) ? [] : parsers);
  router.use(((err, _req, _res, next) => {
    const e = err as { type?: string };
    if (e?.type === 'entity.too.large') return next(new HttpError(413, limit.tooLarge));
    next(err);
  }) as ErrorRequestHandler);
  return router;
}
