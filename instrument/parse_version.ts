import { z } from 'zod';
import { InputError } from '../analysis/errors.js';
import { SCALES } from './item.js';
import { LOCALES } from './locale.js';
import { CELLS } from './model.js';
import { publishVersion, type InstrumentVersion } from './version.js';

const localized = z.object(Object.fromEntries(LOCALES.map((l) => [l, z.string()])) as Record<(typeof LOCALES)[number], z.ZodString>);

const item = z.object({
  id: z.string(),
  scale: z.enum(SCALES),
  cell: z.enum(CELLS as [string, ...string[]]).nullable(),
  reverse: z.boolean(),
  response: z.string(),
  scaleMin: z.number().int(),
  scaleMax: z.number().int(),
  text: localized,
  revises: z.string().optional(),
});

const responseFormat = z.object({
  id: z.string(),
  min: z.number().int(),
  max: z.number().int(),
  nominal: z.boolean(),
  anchors: z.array(z.object({ value: z.number().int(), label: localized })),
});

const evidence = z
  .object({
    analysisId: z.union([z.number(), z.string()]).optional(),
    statistics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).optional(),
  })
  .optional();

const change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retire'), itemId: z.string(), reason: z.string(), evidence }),
  z.object({
    kind: z.literal('revise'),
    itemId: z.string(),
    newId: z.string().optional(),
    text: localized.partial().optional(),
    reverse: z.boolean().optional(),
    reason: z.string(),
    evidence,
  }),
  z.object({ kind: z.literal('add'), item, reason: z.string(), evidence }),
]);

const version = z.object({
  id: z.string(),
  published: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
  title: localized,
  locales: z.array(z.enum(LOCALES)).min(1),
  scaleMin: z.number().int(),
  scaleMax: z.number().int(),
  responseFormats: z.record(z.string(), responseFormat),
  scales: z.array(z.object({ id: z.enum(SCALES), name: localized, instructions: localized, purpose: z.string() })),
  items: z.array(item).min(1),
  basedOn: z.string().nullable(),
  changes: z.array(change),
  carriedOver: z.array(z.string()),
  retiredIds: z.array(z.string()),
});

/**
 * Reads an instrument version back from JSON (as `seici instrument export --format json`
 * writes it, or as a server stores a derived version), checks its shape and invariants and
 * returns it published (deep-frozen). Throws an InputError naming the first problem.
 */
export function parseInstrumentVersion(json: unknown): InstrumentVersion {
  const parsed = version.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the version';
    throw new InputError('version', `Instrument version JSON is invalid at ${where}: ${issue.message}.`);
  }
  return publishVersion(parsed.data as InstrumentVersion);
}
