import { analysePanel, createPanel, draftFromPanel, inviteExperts, panelConsolePage, panelsPage } from '../../handlers/panels.js';
import { ExpertInvite, PanelCreate, PanelDraft } from '../../panel_schemas.js';
import { validate } from '../../validation.js';
import { Page, backWithError, notice, page, type PageContext, type PageRoute } from '../page_route.js';

const panelPath = ({ id }: PageContext) => `/admin/panels/${id}`;

/** The expert panels (content validity): the list, a new panel, a panel's page, inviting its experts, its analysis, and a draft from its evidence. */
export const panelRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/panels', run: async ({ s }) => new Page('panels', 'instrument', 'Expert panels', await panelsPage(s)) }),
  page({
    kind: 'form', path: '/admin/panels', refused: backWithError(() => '/admin/panels'),
    run: async ({ s, user, field }) => {
      const version = field('instrumentVersion');
      const created = await createPanel(s, user.actor, validate(PanelCreate, { name: field('name'), ...(version ? { instrumentVersion: version } : {}) }));
      return notice(`/admin/panels/${created.id}`, `Panel "${created.name}" was created; invite its experts below.`);
    },
  }),
  page({
    kind: 'page', path: '/admin/panels/:id',
    run: async ({ s, id }) => {
      const data = await panelConsolePage(s, id);
      return new Page('panel', 'instrument', `Panel · ${data.panel.name}`, data);
    },
  }),
  page({
    kind: 'form', path: '/admin/panels/:id/experts', refused: backWithError(panelPath),
    run: async ({ s, user, id, field }) => {
      const issued = await inviteExperts(s, user.actor, id, validate(ExpertInvite, { count: Number(field('count')) }));
      // The links are shown once, on this answer: only their hashes are stored.
      const data = await panelConsolePage(s, id, issued.experts);
      return new Page('panel', 'instrument', `Panel · ${data.panel.name}`, data, 201);
    },
  }),
  page({
    kind: 'form', path: '/admin/panels/:id/analyses', refused: backWithError(panelPath),
    run: async (ctx) => {
      const run = await analysePanel(ctx.s, ctx.user.actor, ctx.id);
      return notice(panelPath(ctx), `Analysis ${run.id} of ${run.experts} complete rating sets is stored.`);
    },
  }),
  page({
    kind: 'form', path: '/admin/panels/:id/draft', body: PanelDraft, refused: backWithError(panelPath),
    run: async ({ s, user, id, body }) => {
      const draft = await draftFromPanel(s, user.actor, id, body.version);
      return notice(`/admin/instrument/${encodeURIComponent(draft.version)}`, `Draft ${draft.version} retires ${draft.changes.length} item(s) on the panel's evidence.`);
    },
  }),
];
