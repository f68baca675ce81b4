import type { Request } from 'express';
import type { z } from 'zod';
import type { VersionChange } from '../../instrument/index.js';
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

function evidenceText(c: VersionChange): string {
  const e = c.evidence;
  if (!e) return '';
  const stats = Object.entries(e.statistics ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toFixed(3)) : v}`);
  return [e.analysisId !== undefined ? `analysis ${e.analysisId}` : '', ...stats].filter(Boolean).join(', ');
}

/** The console page of a change's evidence: `/admin/analyses/N` for a stored run, `/admin/panels/N` for a panel's analysis. */
export function evidenceHref(c: VersionChange): string | null {
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
