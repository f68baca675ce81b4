import type { Request } from 'express';
import type { z } from 'zod';
import type { ChangeEvidence, VersionChange } from '../../instrument/index.js';
import type { RevisionRequest } from '../queries/instruments.js';
import { VersionChangeInput } from '../instrument_schemas.js';
import { validate } from '../validation.js';
import { field } from './session.js';

/**
 * One change of a draft as the console's forms send it (`action`, `item`, `id`, `cell`,
 * `reverse`, `text_en`, `text_de`, `reason`, optional `analysisId`), validated like the API's.
 */
export function formChange(req: Request, locales: readonly string[]): z.output<typeof VersionChangeInput> {
  const action = field(req, 'action');
  const text = Object.fromEntries(locales.map((l) => [l, field(req, `text_${l}`)]).filter(([, t]) => t !== ''));
  const analysisId = field(req, 'analysisId');
  const evidence = analysisId ? { evidence: { analysisId: /^\d+$/.test(analysisId) ? Number(analysisId) : analysisId } } : {};
  const raw =
    action === 'retire'
      ? { action, item: field(req, 'item'), reason: field(req, 'reason'), ...evidence }
      : action === 'revise'
        ? { action, item: field(req, 'item'), id: field(req, 'id'), ...(Object.keys(text).length ? { text } : {}), reason: field(req, 'reason'), ...evidence }
        : { action, id: field(req, 'id'), cell: field(req, 'cell'), reverse: field(req, 'reverse') === 'on', text, reason: field(req, 'reason'), ...evidence };
  return validate(VersionChangeInput, raw, 'the change');
}

/** What the change log says beside one item of a version: how this version changed it, and why. */
export interface ItemChangeNote {
  readonly kind: 'revise' | 'add';
  readonly index: number;
  readonly revises?: string;
  readonly reason: string;
  readonly evidence: string;
  /** The console page of the run that is the change's evidence (a pilot or wave analysis, an expert panel). */
  readonly evidenceHref: string | null;
}

function evidenceText(c: { readonly evidence?: ChangeEvidence }): string {
  const e = c.evidence;
  if (!e) return '';
  const stats = Object.entries(e.statistics ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toFixed(3)) : v}`);
  return [e.analysisId !== undefined ? `analysis ${e.analysisId}` : '', ...stats].filter(Boolean).join(', ');
}

/** The console page of a change's evidence: `/admin/analyses/N` for a stored run, `/admin/panels/N` for a panel's analysis. */
export function evidenceHref(c: { readonly evidence?: ChangeEvidence }): string | null {
  const id = c.evidence?.analysisId;
  if (typeof id === 'number') return `/admin/analyses/${id}`;
  const panel = typeof id === 'string' ? /^panel-(\d+)$/.exec(id) : null;
  return panel ? `/admin/panels/${panel[1]}` : null;
}

/** The change log of a version keyed by the item it produced, and its retirements. */
export function changeLog(changes: readonly VersionChange[]): {
  byItem: Map<string, ItemChangeNote>;
  retired: { index: number; id: string; reason: string; evidence: string; evidenceHref: string | null }[];
} {
  const byItem = new Map<string, ItemChangeNote>();
  const retired: { index: number; id: string; reason: string; evidence: string; evidenceHref: string | null }[] = [];
  changes.forEach((c, index) => {
    if (c.kind === 'retire') retired.push({ index, id: c.itemId, reason: c.reason, evidence: evidenceText(c), evidenceHref: evidenceHref(c) });
    else if (c.kind === 'revise' && c.newId) byItem.set(c.newId, { kind: 'revise', index, revises: c.itemId, reason: c.reason, evidence: evidenceText(c), evidenceHref: evidenceHref(c) });
    else if (c.kind === 'add') byItem.set(c.item.id, { kind: 'add', index, reason: c.reason, evidence: evidenceText(c), evidenceHref: evidenceHref(c) });
  });
  return { byItem, retired };
}

/** What the editor shows beside an item the draft was made to revise, and the revise form's defaults. */
export interface RevisionNote {
  readonly reasons: readonly string[];
  readonly evidence: string;
  readonly evidenceHref: string | null;
  /** The revise form's reason, prefilled from the verdict (`Pilot: …`), and its analysis run. */
  readonly reason: string;
  readonly analysisId: string;
}

/**
 * The draft's revision requests keyed by item, for the items no change has touched yet (a revised
 * or retired item's request is answered). Evidence whose statistics do not fit a change's
 * (numbers, strings, booleans) is shown by its run only.
 */
export function revisionNotes(requests: readonly RevisionRequest[], changes: readonly VersionChange[]): Map<string, RevisionNote> {
  const answered = new Set(changes.map((c) => (c.kind === 'add' ? c.item.id : c.itemId)));
  const notes = new Map<string, RevisionNote>();
  for (const r of requests) {
    if (answered.has(r.item)) continue;
    const statistics = Object.fromEntries(
      Object.entries(r.evidence.statistics ?? {}).filter((e): e is [string, number | string | boolean | null] => e[1] === null || ['number', 'string', 'boolean'].includes(typeof e[1])),
    );
    const evidence: ChangeEvidence = { ...(r.evidence.analysisId === undefined ? {} : { analysisId: r.evidence.analysisId }), statistics };
    notes.set(r.item, {
      reasons: r.reasons,
      evidence: evidenceText({ evidence }),
      evidenceHref: evidenceHref({ evidence }),
      reason: `Pilot: ${r.reasons.join('; ')}.`,
      analysisId: r.evidence.analysisId === undefined ? '' : String(r.evidence.analysisId),
    });
  }
  return notes;
}

/**
 * A change written in the editor for an item the draft was made to revise: when it names the same
 * analysis run as the request (the form's default), the request's statistics become its evidence
 * too, so the published change log keeps the pilot's numbers and not only the run's id.
 */
export function withRequestedEvidence(change: z.output<typeof VersionChangeInput>, requests: readonly RevisionRequest[]): z.output<typeof VersionChangeInput> {
  if (change.action === 'add') return change;
  const request = requests.find((r) => r.item === change.item);
  const statistics = request?.evidence.statistics;
  if (!request || !statistics || change.evidence?.analysisId === undefined || String(change.evidence.analysisId) !== String(request.evidence.analysisId)) return change;
  const kept = Object.fromEntries(Object.entries(statistics).filter((e): e is [string, number | string | boolean | null] => e[1] === null || ['number', 'string', 'boolean'].includes(typeof e[1])));
  return { ...change, evidence: { ...change.evidence, statistics: kept } };
}
