import { exportsPage, overviewPage, reportsPage } from '../pages.js';
import { Page, page, type PageRoute } from '../page_route.js';

/** The console's plain pages: the overview, the list of reports, the exports. */
export const overviewRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin', run: async ({ s }) => new Page('overview', 'overview', 'Overview', await overviewPage(s)) }),
  page({ kind: 'page', path: '/admin/reports', run: async ({ s }) => new Page('reports', 'reports', 'Reports', await reportsPage(s)) }),
  page({ kind: 'page', path: '/admin/exports', run: async ({ s }) => new Page('exports', 'exports', 'Exports', await exportsPage(s)) }),
];
