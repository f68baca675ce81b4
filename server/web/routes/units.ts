import { HttpError } from '../../errors.js';
import { createUnit, importUnits } from '../../handlers/units.js';
import { unitImportLimit } from '../../routes/api.js';
import { UnitCreate } from '../../schemas.js';
import { validate } from '../../validation.js';
import { unitsPage } from '../pages.js';
import { FormError, Page, backWithError, notice, page, type PageRoute } from '../page_route.js';

/** The units: the list, a new unit, and a CSV import of many. */
export const unitRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/units', run: async ({ s }) => new Page('units', 'units', 'Units', await unitsPage(s)) }),
  page({
    kind: 'form', path: '/admin/units', refused: backWithError(() => '/admin/units'),
    run: async ({ s, user, field }) => {
      const input = validate(UnitCreate, {
        key: field('key'),
        name: field('name'),
        ...(field('parentKey') ? { parentKey: field('parentKey') } : {}),
        ...(field('context') ? { context: field('context') } : {}),
      });
      const unit = await createUnit(s, user.actor, input);
      return notice('/admin/units', `Unit "${unit.key}" was created.`);
    },
  }),
  // A refused import shows the units page again with every bad line and the pasted text kept, so it can be corrected in place.
  page({
    kind: 'form', path: '/admin/units/import', pasted: { field: 'csv', limit: (s) => unitImportLimit(s.config, 'The import is larger than the limit of') },
    run: async ({ s, user, pasted, req }) => {
      if (!pasted || pasted.first === '') throw new HttpError(400, 'Choose a CSV file or paste its text before importing.');
      const result = await importUnits(s, user.actor, { req, limit: pasted.limit, type: 'csv', read: (onChunk) => pasted.read(onChunk) });
      return notice('/admin/units', `Imported ${result.created} new and ${result.updated} updated unit${result.created + result.updated === 1 ? '' : 's'}.`);
    },
    refused: async ({ s, field }, err) => new FormError(new Page('units', 'units', 'Units', { ...(await unitsPage(s)), importCsv: field('csv') }), err.message, err.status, 'importError'),
  }),
];
