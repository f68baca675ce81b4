import { z } from 'zod';
import { CELLS } from '../instrument/model.js';
import { Instrument } from './schemas.js';

/**
 * The zod schemas of the instrument-version calls (derive a draft, publish it): they validate
 * the requests at the edge and describe them in the OpenAPI document.
 */

const ItemId = z.string().min(1).max(32);
const Text = z.record(z.string().min(2).max(10), z.string().trim().min(1).max(2000));
const Reason = z.string().trim().min(1).max(2000);

/** What led to a change: the analysis run and the statistics that flagged the item. */
export const ChangeEvidence = z.strictObject({
  analysisId: z.union([z.number().int(), z.string().min(1).max(100)]).optional(),
  statistics: z.record(z.string().min(1).max(100), z.union([z.number(), z.string().max(500), z.boolean(), z.null()])).optional(),
});

export const VersionChangeInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('retire'), item: ItemId, reason: Reason, evidence: ChangeEvidence.optional() }),
  z.strictObject({
    action: z.literal('revise'),
    item: ItemId,
    id: ItemId,
    text: Text.optional(),
    reverse: z.boolean().optional(),
    reason: Reason,
    evidence: ChangeEvidence.optional(),
  }),
  z.strictObject({
    action: z.literal('add'),
    id: ItemId,
    cell: z.enum(CELLS as [string, ...string[]]),
    reverse: z.boolean(),
    text: Text,
    reason: Reason,
    evidence: ChangeEvidence.optional(),
  }),
]);

export const InstrumentVersionCreate = z.strictObject({
  from: z.string().min(1).max(32),
  version: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'may contain only letters, digits, dots, dashes and underscores, starting with a letter or digit.' }),
  changes: z.array(VersionChangeInput).min(1).max(500),
});

/** A draft's new change list (it replaces the old one). */
export const InstrumentDraftUpdate = z.strictObject({ changes: z.array(VersionChangeInput).min(1).max(500) });

/** A stored version (published or draft) with its provenance and change log. */
export const InstrumentVersionView = Instrument.extend({
  status: z.enum(['draft', 'published']),
  basedOn: z.string().nullable(),
  publishedAt: z.string().nullable(),
  changes: z.array(z.unknown()),
  carriedOver: z.array(z.string()),
  /** Items the draft was made to revise (from a pilot's verdicts), with the reasons and evidence; they wait for new wording. */
  revisionRequests: z.array(z.object({ item: z.string(), reasons: z.array(z.string()), evidence: z.unknown() })),
});
