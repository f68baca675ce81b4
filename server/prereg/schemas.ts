import { z } from 'zod';

const waveId = z.number().int().positive();
const title = z.string().trim().min(1).max(200);

/** What a researcher commits, by kind; the server adds the chain, the hashes and the signature. */
export const CommitmentCreate = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('breakpoint-rules'), waveId, title: title.optional(),
    /** A stored rule version (or `seici-default-1`); the server commits its full rules. */
    ruleVersion: z.string().min(1).max(100),
  }),
  z.strictObject({
    kind: z.literal('measurement-model'), waveId, title,
    /** lavaan model syntax (CFA, or the configural model of an invariance sequence). */
    syntax: z.string().min(1).max(20_000),
    estimator: z.string().min(1).max(20).optional(),
    groups: z.string().min(1).max(100).optional(),
    invariance: z.array(z.enum(['configural', 'metric', 'scalar', 'strict'])).optional(),
  }),
  z.strictObject({
    kind: z.literal('hypothesis'), waveId, title,
    statement: z.string().min(1).max(2000),
    test: z.string().min(1).max(500),
    threshold: z.strictObject({ statistic: z.string().min(1).max(50), operator: z.enum(['<', '<=', '>', '>=']), value: z.number().finite() }),
  }),
  z.strictObject({
    kind: z.literal('analysis-plan'), waveId, title,
    plan: z.string().min(1).max(20_000),
    steps: z.array(z.string().min(1).max(2000)).max(100).optional(),
  }),
]);

export const Commitment = z.object({
  seq: z.number().int(),
  kind: z.string(),
  waveId: z.number().int(),
  title: z.string(),
  content: z.unknown(),
  contentHash: z.string(),
  committedAt: z.string(),
  prevHash: z.string(),
  publicKey: z.string(),
  hash: z.string(),
  signature: z.string(),
});

const Check = z.object({ valid: z.boolean(), seq: z.number().int().nullable().optional(), reason: z.string().optional(), entries: z.number().int().optional() });

export const CommitmentView = Commitment.extend({ chain: Check });
export const CommitmentList = z.object({ publicKey: z.string().nullable(), chain: Check, commitments: z.array(Commitment) });
export const SeqParam = z.coerce.number().int().positive();
export const WaveFilter = z.coerce.number().int().positive().optional();
