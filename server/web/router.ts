import { join } from 'node:path';
import express from 'express';
import { VIEWS_DIR } from '../paths.js';
import type { Services } from '../services.js';
import { ConsoleViews } from './console_views.js';
import { mountPage } from './mount_page.js';
import type { ConsoleKit } from './page_route.js';
import { ScaleReports } from './reports/scale_jobs.js';
import { consoleRoutes } from './routes/index.js';

/**
 * The admin console and the reports: HTML pages under /admin for signed-in admins (session
 * cookie from /login; forms carry the session's CSRF token and go through the server's
 * authenticateAdmin), and the console's own CSS/JS under /assets/console. Every page and form
 * is a row of the route tables in server/web/routes/, mounted by mountPage. Data is read with
 * the server's queries and changed only through the server's handlers, so validation and the
 * audit log are the API's. Nothing about a unit below the minimum group size is shown beyond
 * "fewer than N".
 */
export function consoleRouter(s: Services): express.Router {
  const kit: ConsoleKit = { views: new ConsoleViews(join(VIEWS_DIR, 'console'), s.config.timeZone), scaleReports: new ScaleReports(s) };
  const router = express.Router();
  // The console's CSS and JS keep fixed URLs, so a browser must ask again each time (no-cache)
  // and gets 304 by ETag while the file is unchanged: an upgraded server never serves stale assets.
  router.use('/assets/console', express.static(join(VIEWS_DIR, 'assets', 'console'), { etag: true, lastModified: false, cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  for (const r of consoleRoutes) mountPage(router, r, s, kit);
  return router;
}
