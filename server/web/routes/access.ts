import { createAdminToken, revokeToken } from '../../handlers/admin.js';
import { revokeSession } from '../../handlers/sessions.js';
import { TokenCreate } from '../../schemas.js';
import { accessPage, auditPage, auditQuery } from '../admin_pages.js';
import { FormError, Page, notice, page, backWithError, type PageRoute } from '../page_route.js';

const ACCESS = 'Tokens and sessions';

/** Admin tokens and console sessions, and the audit log. */
export const accessRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/access', run: async ({ s, user }) => new Page('access', 'access', ACCESS, await accessPage(s, user.sessionId)) }),
  page({
    kind: 'form', path: '/admin/access/tokens', body: TokenCreate,
    run: async ({ s, user, body }) => {
      const token = await createAdminToken(s, user.actor, body.name);
      // Shown once, on this page only: never in a redirect's address.
      return new Page('access', 'access', ACCESS, await accessPage(s, user.sessionId, { name: token.name, token: token.token }), 201);
    },
    refused: async ({ s, user, field }, err) => new FormError(new Page('access', 'access', ACCESS, await accessPage(s, user.sessionId, undefined, field('name'))), err.message, err.status),
  }),
  page({
    kind: 'form', path: '/admin/access/tokens/:id/revoke', refused: backWithError(() => '/admin/access'),
    run: async ({ s, user, id }) => {
      const token = await revokeToken(s, user.actor, id);
      return notice('/admin/access', `Token "${token.name}" was revoked; the sessions opened with it have ended.`);
    },
  }),
  page({
    kind: 'form', path: '/admin/access/sessions/:id/end', refused: backWithError(() => '/admin/access'),
    run: async ({ s, user, id }) => {
      await revokeSession(s, user.actor, id);
      return notice('/admin/access', `Session ${id} was ended.`);
    },
  }),
  page({
    kind: 'page', path: '/admin/audit',
    run: async ({ s, query }) => new Page('audit', 'audit', 'Audit log', await auditPage(s, auditQuery(query))),
    refused: ({ s, query }, err) => new FormError(new Page('audit', 'audit', 'Audit log', { query: auditQuery(query), entries: [], timeZone: s.config.timeZone }), err.message, err.status),
  }),
];
