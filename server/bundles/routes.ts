import { z } from 'zod';
import { audit } from '../handlers/audit.js';
import { Reply, route, type ApiRoute } from '../routes/api_route.js';
import { validate } from '../validation.js';
import { buildAnalysisBundle } from './build_bundle.js';

/**
 * Reproducibility bundles (issue 18): one archive per stored analysis run, with the data it
 * used under the publication policy and an R script that recomputes its numbers. Listed in
 * server/routes/api.ts with every other call.
 */
export const bundleRoutes: readonly ApiRoute[] = [
  route({
    method: 'get', path: '/analyses/:id/bundle', tag: 'analyses', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'The reproducibility bundle of a finished wave, scale-developer or research run (tar.gz): the anonymised answers of the units published as units (a research run: its unit-wave panel), item map, models (lavaan syntax or R formulas), options, results, and an R script that recomputes every number (and every hypothesis verdict) and says whether R agrees.',
    responseType: 'application/gzip',
    run: async ({ s, actor, params }) => {
      const id = validate(z.coerce.number().int().min(1), params.id, 'id');
      const bundle = await buildAnalysisBundle(s, id);
      await audit(s, actor, 'analysis.bundle', `analysis:${id}`, { bytes: bundle.archive.length, manifest: bundle.manifest['data/responses.csv'] });
      return new Reply(200, bundle.archive, 'application/gzip', bundle.filename);
    },
  }),
];
