import { z } from 'zod';
import { Locale } from './schemas.js';

/** The zod schemas of the expert-panel calls (validation at the edge and the OpenAPI document). */

export const PanelCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  instrumentVersion: z.string().min(1).max(32).optional(),
});

export const ExpertInvite = z.strictObject({ count: z.number().int().min(1).max(100) });

export const PanelRatingsSubmit = z.strictObject({
  token: z.string().min(16).max(100),
  answers: z.record(z.string().min(1).max(32), z.union([z.number(), z.string().max(32), z.null()])),
  complete: z.boolean(),
  locale: Locale.optional(),
});

export const Panel = z.object({
  id: z.number().int(),
  name: z.string(),
  instrumentVersion: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  experts: z.object({ invited: z.number().int(), started: z.number().int(), complete: z.number().int() }),
});

export const PanelAnalysis = z.object({ id: z.number().int(), experts: z.number().int(), createdAt: z.string(), results: z.unknown() });

export const PanelDraft = z.strictObject({
  version: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'may contain only letters, digits, dots, dashes and underscores, starting with a letter or digit.' }),
});
