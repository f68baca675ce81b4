import type { PageRoute } from '../page_route.js';
import { accessRoutes } from './access.js';
import { instrumentRoutes } from './instrument.js';
import { overviewRoutes } from './overview.js';
import { panelRoutes } from './panels.js';
import { reportRoutes } from './reports.js';
import { ruleRoutes } from './rules.js';
import { traceRoutes } from './traces.js';
import { unitRoutes } from './units.js';
import { waveRoutes } from './waves.js';

/** Every route of the admin console, area by area; server/web/router.ts mounts each through mountPage. */
export const consoleRoutes: readonly PageRoute[] = [
  ...overviewRoutes,
  ...unitRoutes,
  ...instrumentRoutes,
  ...waveRoutes,
  ...reportRoutes,
  ...panelRoutes,
  ...traceRoutes,
  ...ruleRoutes,
  ...accessRoutes,
];
