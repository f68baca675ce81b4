import { deleteTraces, importTraces } from '../../dynamics/handlers/traces.js';
import { dynamicsImportLimit } from '../../dynamics/routes.js';
import type { UnreadUpload } from '../../imports/csv_upload.js';
import { SourceQuery, TraceFormatQuery } from '../../dynamics/schemas.js';
import { HttpError } from '../../errors.js';
import { validate } from '../../validation.js';
import { tracesPage } from '../pages.js';
import { FormError, Page, backWithError, notice, page, type PageRoute } from '../page_route.js';

/** The trace imports of the SEI dynamics: the list, an import pasted or uploaded, and deleting one. */
export const traceRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/traces', run: async ({ s }) => new Page('traces', 'traces', 'Trace imports', await tracesPage(s)) }),
  // A refused import shows the page again with every bad line and what was typed kept in the form.
  page({
    kind: 'form', path: '/admin/traces/import', pasted: { field: 'events', limit: (s) => dynamicsImportLimit(s.config) },
    run: async ({ s, user, field, pasted, req }) => {
      const unitKey = field('unitKey');
      const format = validate(TraceFormatQuery, field('format') || undefined, 'format');
      if (!pasted || pasted.first === '') throw new HttpError(400, 'Choose an events file or paste its text before importing.');
      // read as the upload of the same text would be: JSON when it opens with [ or { (always for format=json), else CSV
      const type = format === 'json' || ((format === 'native' || format === 'jira') && (pasted.first === '[' || pasted.first === '{')) ? 'json' : 'csv';
      const source = validate(SourceQuery, field('source') || undefined, 'source');
      const body: UnreadUpload = { req, limit: pasted.limit, type, read: (onChunk) => pasted.read(onChunk) };
      const imported = await importTraces(s, user.actor, unitKey, format, body, source);
      return notice('/admin/traces', `Imported ${imported.events} events for unit "${imported.unitKey}" (${imported.first ?? '?'} to ${imported.last ?? '?'}).`);
    },
    refused: async ({ s, field }, err) => {
      const kept = { unitKey: field('unitKey'), format: field('format'), source: field('source'), events: field('events') };
      return new FormError(new Page('traces', 'traces', 'Trace imports', { ...(await tracesPage(s)), kept }), err.message, err.status, 'importError');
    },
  }),
  page({
    kind: 'form', path: '/admin/traces/delete', refused: backWithError(() => '/admin/traces'),
    run: async ({ s, user, field }) => {
      const id = Number(field('id'));
      if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'id must be a positive integer.');
      const deleted = await deleteTraces(s, user.actor, field('unitKey'), id);
      return notice('/admin/traces', `Deleted import ${deleted.id} (${deleted.events} events) of unit "${deleted.unitKey}".`);
    },
  }),
];
