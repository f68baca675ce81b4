import { Reply, route, type ApiRoute } from '../routes/api_route.js';
import { IdParam } from '../schemas.js';
import { validate } from '../validation.js';
import * as research from './handlers.js';
import * as changes from './interface_changes.js';
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
  route({
    method: 'get', path: '/research/analyses/latest/panel', tag: 'research', admin: true, status: 200, errors: [401, 404, 409],
    summary: 'The research panel export: the unit-wave panel (CSV) the newest finished research run tested, unit level only, with the minimum group size applied.',
    responseType: 'text/csv',
    run: async ({ s }) => {
      const { id, csv } = await research.latestResearchPanel(s);
      return new Reply(200, csv, 'text/csv; charset=utf-8', `research-panel-${id}.csv`);
    },
  }),
  route({
    method: 'post', path: '/units/:key/interface-changes', tag: 'research', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Records an interface change of a unit (the day it took effect, and a note): the treatment of the research run\'s difference-in-differences and event study.',
    body: S.InterfaceChangeRequest, response: S.InterfaceChange,
    run: ({ s, actor, params, body }) => changes.recordInterfaceChange(s, actor, params.key, body),
  }),
  route({
    method: 'get', path: '/units/:key/interface-changes', tag: 'research', admin: true, status: 200, errors: [401, 404],
    summary: 'The interface changes recorded for a unit.',
    response: S.InterfaceChangeList,
    run: ({ s, params }) => changes.interfaceChanges(s, params.key),
  }),
  route({
    method: 'delete', path: '/units/:key/interface-changes/:id', tag: 'research', admin: true, status: 200, errors: [400, 401, 404],
    summary: 'Deletes a recorded interface change (stored research runs keep what they read).',
    response: S.InterfaceChange,
    run: ({ s, actor, params }) => changes.removeInterfaceChange(s, actor, params.key, validate(IdParam, params.id, 'id')),
  }),
  route({
    method: 'get', path: '/research/interface-changes', tag: 'research', admin: true, status: 200, errors: [401],
    summary: 'Every recorded interface change, by unit and date.',
    response: S.InterfaceChangeList,
    run: ({ s }) => changes.interfaceChanges(s),
  }),
];
