import type { z } from 'zod';
import { deriveVersion, type InstrumentVersion, type Item, type VersionChange } from '../../instrument/index.js';
import { iso } from '../clock.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { InstrumentVersionCreate, VersionChangeInput } from '../instrument_schemas.js';
import { definitionOf, loadInstrumentVersion, type SourcedInstrument } from '../instrument_source.js';
import {
  insertInstrumentDocument,
  insertInstrumentVersionIfAbsent,
  instrumentVersionTaken,
  listInstrumentVersions,
  markPublished,
  updateDraftDocument,
  type RevisionRequest,
} from '../queries/instruments.js';
import type { Services } from '../services.js';
import { audit } from './audit.js';

export async function latestInstrument(s: Services) {
  const latest = await s.instruments.latest();
  if (!latest) throw notFound('No instrument version is published.');
  return latest.definition;
}

export async function allInstruments(s: Services) {
  return { versions: (await listInstrumentVersions(s.db)).map((v) => v.definition) };
}

/** A stored version as the API shows it: its definition, status, provenance and change log. */
function versionView(v: SourcedInstrument) {
  return {
    ...definitionOf(v.version),
    status: v.status,
    basedOn: v.version.basedOn,
    publishedAt: v.publishedAt,
    changes: v.version.changes,
    carriedOver: [...v.version.carriedOver],
    revisionRequests: [...(v.revisionRequests ?? [])],
  };
}

/** One stored version, published or draft (a draft says so in `status`). */
export async function instrumentVersion(s: Services, version: string) {
  const found = await loadInstrumentVersion(s.db, version);
  if (!found || (found.status === 'published' && !(await s.instruments.get(version)))) {
    throw notFound(`No instrument version "${version}" is stored.`);
  }
  return versionView(found);
}

/** The API's change (`{action: "revise", item, id, text}`) as the instrument library's. */
function toVersionChange(base: InstrumentVersion, c: z.output<typeof VersionChangeInput>): VersionChange {
  const evidence = c.evidence === undefined ? {} : { evidence: c.evidence };
  if (c.action === 'retire') return { kind: 'retire', itemId: c.item, reason: c.reason, ...evidence };
  if (c.action === 'revise') {
    return {
      kind: 'revise',
      itemId: c.item,
      newId: c.id,
      ...(c.text === undefined ? {} : { text: c.text }),
      ...(c.reverse === undefined ? {} : { reverse: c.reverse }),
      reason: c.reason,
      ...evidence,
    };
  }
  const model = base.items.find((i) => i.scale === 'seici')!;
  const item: Item = {
    id: c.id,
    scale: 'seici',
    cell: c.cell as Item['cell'],
    reverse: c.reverse,
    response: model.response,
    scaleMin: base.scaleMin,
    scaleMax: base.scaleMax,
    text: c.text as Item['text'],
  };
  return { kind: 'add', item, reason: c.reason, ...evidence };
}

/**
 * Derives a draft version from a published one (shared/CONTRACT.md `POST /instrument/versions`):
 * 400 naming the change at fault, 409 when the version id is taken. The draft is stored in full.
 * `revisionRequests` (a pilot's items to revise, with their reasons and evidence) are stored with
 * it for the draft editor; a draft that has them may start with no change.
 */
export async function createVersion(s: Services, actor: string, input: z.output<typeof InstrumentVersionCreate>, revisionRequests: readonly RevisionRequest[] = []) {
  const base = await loadInstrumentVersion(s.db, input.from);
  if (!base || (base.status === 'published' && !(await s.instruments.get(input.from)))) {
    throw badRequest(`from names no stored instrument version: "${input.from}".`);
  }
  if (base.status !== 'published') throw badRequest(`from: instrument version ${input.from} is a draft; derive from a published version.`);
  if (await instrumentVersionTaken(s.db, input.version)) throw conflict(`Instrument version ${input.version} exists already.`);
  const now = iso(s.clock());
  // A change the version cannot take is an InputError: the error handler answers it 400.
  const draft: InstrumentVersion = deriveVersion(base.version, {
    id: input.version,
    published: now.slice(0, 10),
    changes: input.changes.map((c) => toVersionChange(base.version, c)),
    draft: revisionRequests.length > 0,
  });
  const stored = await s.db.transaction(async (trx) => {
    const inserted = await insertInstrumentDocument(trx, {
      version: draft.id,
      status: 'draft',
      basedOn: base.version.id,
      document: draft,
      createdAt: now,
      createdBy: actor,
      publishedAt: null,
      revisionRequests,
    });
    if (inserted) await audit(s, actor, 'instrument.draft', `instrument:${draft.id}`, revisionRequests.length ? { ...input, toRevise: revisionRequests.map((r) => r.item) } : input, trx);
    return inserted;
  });
  if (!stored) throw conflict(`Instrument version ${input.version} exists already.`);
  return versionView({ version: draft, status: 'draft', publishedAt: null, revisionRequests });
}

/** A stored change in the API's form (the inverse of toVersionChange), so a draft's list can be edited and sent again. */
export function changeInput(c: VersionChange): z.output<typeof VersionChangeInput> {
  const evidence = c.evidence === undefined ? {} : { evidence: c.evidence as z.output<typeof VersionChangeInput>['evidence'] };
  if (c.kind === 'retire') return { action: 'retire', item: c.itemId, reason: c.reason, ...evidence };
  if (c.kind === 'revise') {
    return {
      action: 'revise',
      item: c.itemId,
      id: c.newId ?? '',
      ...(c.text === undefined ? {} : { text: c.text as Record<string, string> }),
      ...(c.reverse === undefined ? {} : { reverse: c.reverse }),
      reason: c.reason,
      ...evidence,
    };
  }
  return { action: 'add', id: c.item.id, cell: c.item.cell ?? '', reverse: c.item.reverse, text: { ...c.item.text }, reason: c.reason, ...evidence };
}

/**
 * Replaces a draft's change list (the draft is derived again from its base): 400 naming the
 * change at fault, 404 for an unknown version, 409 once the version is published.
 */
export async function changeDraft(s: Services, actor: string, version: string, changes: z.output<typeof VersionChangeInput>[]) {
  const found = await loadInstrumentVersion(s.db, version);
  if (!found) throw notFound(`No instrument version "${version}" is stored.`);
  if (found.status === 'published') throw conflict(`Instrument version ${version} is published; a published version cannot change.`);
  const base = await loadInstrumentVersion(s.db, found.version.basedOn ?? '');
  if (!base) throw new Error(`the base ${found.version.basedOn} of draft ${version} is not stored`);
  // A draft made to revise items may go back to no change (its revisions undone).
  const pending = found.revisionRequests ?? [];
  const draft: InstrumentVersion = deriveVersion(base.version, { id: version, published: iso(s.clock()).slice(0, 10), changes: changes.map((c) => toVersionChange(base.version, c)), draft: pending.length > 0 });
  const updated = await s.db.transaction(async (trx) => {
    const n = await updateDraftDocument(trx, version, draft);
    if (n) await audit(s, actor, 'instrument.edit', `instrument:${version}`, { changes }, trx);
    return n;
  });
  if (!updated) throw conflict(`Instrument version ${version} is published; a published version cannot change.`);
  return versionView({ version: draft, status: 'draft', publishedAt: null, revisionRequests: pending });
}

/**
 * Publishes a draft: from now on it is immutable (409 on any change, publishing again included)
 * and waves may pin it.
 */
export async function publishInstrumentVersion(s: Services, actor: string, version: string) {
  const found = await loadInstrumentVersion(s.db, version);
  if (!found) throw notFound(`No instrument version "${version}" is stored.`);
  if (found.status === 'published') throw conflict(`Instrument version ${version} is published already; a published version cannot change.`);
  if (found.version.changes.length === 0) {
    const pending = (found.revisionRequests ?? []).map((r) => r.item).join(', ');
    throw conflict(`Draft ${version} changes no item of ${found.version.basedOn} yet${pending ? `; write the new wording of ${pending} (or retire them) first` : ''}.`);
  }
  const at = iso(s.clock());
  const published: InstrumentVersion = { ...found.version, published: at.slice(0, 10) };
  const done = await s.db.transaction(async (trx) => {
    if (!(await markPublished(trx, version, published, at))) return false;
    await insertInstrumentVersionIfAbsent(trx, definitionOf(published), at);
    await audit(s, actor, 'instrument.publish', `instrument:${version}`, {}, trx);
    return true;
  });
  if (!done) throw conflict(`Instrument version ${version} is published already; a published version cannot change.`);
  return versionView({ version: published, status: 'published', publishedAt: at });
}
