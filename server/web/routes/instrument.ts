import type { VersionChange } from '../../../instrument/index.js';
import { HttpError } from '../../errors.js';
import { changeDraft, changeInput, createVersion, instrumentVersion, publishInstrumentVersion } from '../../handlers/instrument.js';
import { InstrumentVersionCreate } from '../../instrument_schemas.js';
import { loadInstrumentVersion } from '../../instrument_source.js';
import type { Services } from '../../services.js';
import { validate } from '../../validation.js';
import { formChange, withRequestedEvidence } from '../instrument_editor.js';
import { comparePage, instrumentPage, instrumentVersionPage } from '../pages.js';
import { Page, backWithError, notice, page, type PageContext, type PageRoute } from '../page_route.js';

const localesOf = async (s: Services, version: string) => (await loadInstrumentVersion(s.db, version))?.version.locales ?? ['en'];
/** The draft's page, where its editor's forms go back to. */
const versionPath = ({ params }: PageContext) => `/admin/instrument/${encodeURIComponent(params.version)}`;
const text = (query: Record<string, unknown>, name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');

/** The instrument versions, their comparison, and the draft editor: start a draft from a published version, add or remove changes, publish. */
export const instrumentRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/instrument', run: async ({ s }) => new Page('instrument', 'instrument', 'Instrument versions', await instrumentPage(s)) }),
  page({
    kind: 'page', path: '/admin/instrument/compare',
    run: async ({ s, query }) => new Page('instrument_compare', 'instrument', 'Compare instrument versions', await comparePage(s, text(query, 'from'), text(query, 'to'))),
  }),
  page({
    kind: 'page', path: '/admin/instrument/:version',
    run: async ({ s, params, query }) => {
      const data = await instrumentVersionPage(s, params.version, typeof query.lang === 'string' ? query.lang : 'en');
      return new Page('instrument_version', 'instrument', `Instrument ${data.version}`, data);
    },
  }),
  page({
    kind: 'form', path: '/admin/instrument', refused: backWithError(() => '/admin/instrument'),
    run: async ({ s, user, field, req }) => {
      const version = field('version');
      const input = validate(InstrumentVersionCreate, { from: field('from'), version, changes: [formChange(req, await localesOf(s, field('from')))] });
      await createVersion(s, user.actor, input);
      return notice('/admin/instrument', `Draft ${version} was created.`);
    },
  }),
  page({
    kind: 'form', path: '/admin/instrument/:version/changes', refused: backWithError(versionPath),
    run: async (ctx) => {
      const current = await instrumentVersion(ctx.s, ctx.params.version);
      const changes = [...(current.changes as VersionChange[]).map(changeInput), withRequestedEvidence(formChange(ctx.req, current.locales), current.revisionRequests)];
      await changeDraft(ctx.s, ctx.user.actor, ctx.params.version, changes);
      return notice(versionPath(ctx), 'The change was added to the draft.');
    },
  }),
  page({
    kind: 'form', path: '/admin/instrument/:version/changes/:index/remove', refused: backWithError(versionPath),
    run: async (ctx) => {
      const current = await instrumentVersion(ctx.s, ctx.params.version);
      const index = Number(ctx.params.index);
      const changes = (current.changes as VersionChange[]).map(changeInput).filter((_, i) => i !== index);
      if (changes.length === current.changes.length) throw new HttpError(400, `The draft has no change number ${ctx.params.index}.`);
      if (changes.length === 0 && current.revisionRequests.length === 0) throw new HttpError(400, 'A draft keeps at least one change; add another before removing this one.');
      await changeDraft(ctx.s, ctx.user.actor, ctx.params.version, changes);
      return notice(versionPath(ctx), 'The change was removed from the draft.');
    },
  }),
  page({
    kind: 'form', path: '/admin/instrument/:version/publish', refused: backWithError(versionPath),
    run: async (ctx) => {
      await publishInstrumentVersion(ctx.s, ctx.user.actor, ctx.params.version);
      return notice(versionPath(ctx), `Version ${ctx.params.version} is published; new waves use it from now on.`);
    },
  }),
];
