import { z } from 'zod';
import { Analysis } from '../schemas.js';

/** Bootstrap resamples and seed of a research run unless asked otherwise (shared/CONTRACT.md's defaults). */
export const DEFAULT_BOOTSTRAP = 5000;
export const DEFAULT_SEED = 1;

/** What a research run may be asked for; every field has a default. */
export const ResearchRequest = z.strictObject({
  waves: z.array(z.number().int().positive()).length(3).optional().describe('T1, T2, T3: three closed, analysed waves of one instrument version, in time order (default: the latest three)'),
  pqMeasure: z.string().min(1).max(200).optional().describe('the imported performance-quality measure (default: the only one)'),
  bootstrap: z.number().int().min(200).max(20_000).optional().describe('bootstrap resamples for H1 and H2 (default 5000)'),
  seed: z.number().int().min(0).max(2_147_483_647).optional().describe('seed of the bootstrap (default 1)'),
});

/** The options a research run was requested with, as stored with it. */
export const ResearchOptions = z.object({
  waves: z.array(z.number().int()),
  /** The stored wave publications (runs) the research run reads, in T1, T2, T3 order. */
  publications: z.array(z.number().int()),
  pqMeasure: z.string().nullable(),
  bootstrap: z.number().int(),
  seed: z.number().int(),
  /** The interface changes recorded when the run was requested (pinned, so the run and its bundle read the same); absent in older runs. */
  interfaceChanges: z.array(z.object({ unit: z.string(), on: z.string() })).optional(),
});
export type ResearchOptions = z.infer<typeof ResearchOptions>;

export const ResearchAnalysis = Analysis.extend({ options: ResearchOptions });

/** An interface change to record for a unit: the day it took effect and what changed. */
export const InterfaceChangeRequest = z.strictObject({
  on: z.iso.date({ error: 'must be a date written YYYY-MM-DD.' }).describe('the day the interface change took effect (YYYY-MM-DD)'),
  note: z.string().max(500).optional().describe('what changed (a new handover, interface role or tool between teams)'),
});

/** A recorded interface change. */
export const InterfaceChange = z.object({
  id: z.number().int(),
  unitKey: z.string(),
  on: z.string(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type InterfaceChange = z.infer<typeof InterfaceChange>;

export const InterfaceChangeList = z.object({ changes: z.array(InterfaceChange) });
