import { route, type ApiRoute } from '../routes/api_route.js';
import * as research from './handlers.js';
import * as S from './schemas.js';

/**
 * The research calls under /api/v1 (issue 12): start a research run of the hypotheses H1–H7 over
 * three closed, published waves and the imported performance quality, and read the stored run.
 */
export const researchRoutes: readonly ApiRoute[] = [
  route({
    method: 'post', path: '/research/analyses', tag: 'research', admin: true, status: 202, errors: [400, 401, 404, 409],
    summary: 'Starts a research run (H1–H7 on the panel of three closed, analysed waves and the imported PQ) in the background.',
    body: S.ResearchRequest.optional(), response: S.ResearchAnalysis,
    run: ({ s, actor, body }) => research.requestResearch(s, actor, body ?? {}),
  }),
  route({
    method: 'get', path: '/research/analyses/latest', tag: 'research', admin: true, status: 200, errors: [401, 404],
    summary: 'The newest research run: its status and options, and its results (every hypothesis with estimates, intervals, verdict and reading) when done.',
    response: S.ResearchAnalysis,
    run: ({ s }) => research.latestResearch(s),
  }),
];
