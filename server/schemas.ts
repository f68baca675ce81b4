import { z } from 'zod';

/**
 * The zod schemas of the HTTP API: they validate every request at the edge and generate the
 * OpenAPI document (server/openapi.ts), so the two cannot drift apart.
 */

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * C0 and C1 control characters (NUL, escape, …) and the Unicode bidirectional controls (LRM,
 * RLM, ALM, the embeddings, overrides and isolates), which can make a name display as
 * something else than it is (a "Trojan source" name).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const NO_CONTROLS = { error: 'must not contain control or bidirectional-control characters.' };

/** A name shown to people: trimmed, 1 to `max` characters, no control or bidi-control characters. */
export function plainText(max: number) {
  return z.string().trim().min(1).max(max).refine((v) => !CONTROL_OR_BIDI.test(v), NO_CONTROLS);
}

export const UnitKey = z
  .string()
  .min(1)
  .max(100)
  .regex(KEY_PATTERN, { error: 'may contain only letters, digits, dots, dashes and underscores, starting with a letter or digit.' });

const AttributeValue = z.union([z.string().max(1000).refine((v) => !CONTROL_OR_BIDI.test(v), NO_CONTROLS), z.number(), z.boolean(), z.null()]);
export const Attributes = z.record(z.string().min(1).max(100).refine((v) => !CONTROL_OR_BIDI.test(v), NO_CONTROLS), AttributeValue);

export const UnitCreate = z.strictObject({
  key: UnitKey,
  name: plainText(200),
  parentKey: UnitKey.optional(),
  context: plainText(100).optional(),
  attributes: Attributes.optional(),
});

export const UnitUpdate = z.strictObject({
  name: plainText(200).optional(),
  parentKey: UnitKey.nullable().optional(),
  context: plainText(100).nullable().optional(),
  attributes: Attributes.optional(),
});

export const Unit = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  parentKey: z.string().nullable(),
  context: z.string().nullable(),
  attributes: Attributes,
  createdAt: z.string(),
});

export const UnitImportResult = z.object({ created: z.number().int(), updated: z.number().int(), units: z.array(Unit) });

const IsoTime = z.iso.datetime({ offset: true });
export const Locale = z.enum(['en', 'de']);

export const WaveCreate = z.strictObject({
  name: plainText(200),
  opensAt: IsoTime,
  closesAt: IsoTime,
  unitKeys: z.array(UnitKey).min(1).max(10_000),
  instrumentVersion: z.string().min(1).max(32).optional(),
  locales: z.array(Locale).min(1).max(10).optional(),
  reminders: z.array(IsoTime).max(20).optional(),
  minGroupSize: z.number().int().min(3).max(1000).optional(),
});

/** A change to a wave that has not closed; every field is optional, at least one is given. */
export const WaveUpdate = z
  .strictObject({
    name: plainText(200).optional(),
    opensAt: IsoTime.optional(),
    closesAt: IsoTime.optional(),
    reminders: z.array(IsoTime).max(20).optional(),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), { error: 'Give at least one of name, opensAt, closesAt or reminders.' });

/** The audit log's query: how many entries, and the filters of server/queries/admin.ts AuditFilter. */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  since: IsoTime.optional(),
  until: IsoTime.optional(),
});

/** Units added to a wave that has not closed. */
export const WaveUnitsAdd = z.strictObject({ unitKeys: z.array(UnitKey).min(1).max(10_000) });

export const WaveStatus = z.enum(['scheduled', 'open', 'closed']);

export const UnitProgress = z.object({
  unitKey: z.string(),
  invited: z.number().int(),
  started: z.number().int(),
  complete: z.number().int(),
  belowMinimum: z.boolean(),
});

export const Wave = z.object({
  id: z.number().int(),
  name: z.string(),
  status: WaveStatus,
  opensAt: z.string(),
  closesAt: z.string(),
  closedAt: z.string().nullable(),
  instrumentVersion: z.string(),
  locales: z.array(Locale),
  reminders: z.array(z.string()),
  minGroupSize: z.number().int(),
  unitKeys: z.array(z.string()),
  createdAt: z.string(),
});

export const WaveDetail = Wave.extend({ progress: z.array(UnitProgress) });

export const InvitationCreate = z.strictObject({
  unitKey: UnitKey,
  count: z.number().int().min(1).max(10_000),
});

export const Invitations = z.object({
  invitations: z.array(z.object({ token: z.string(), url: z.string() })),
});

export const InvitationEmail = z.strictObject({
  unitKey: UnitKey,
  emails: z.array(z.email()).min(1).max(10_000),
});

export const EmailResult = z.object({ sent: z.number().int() });

export const AnswerValue = z.number().int().nullable();

/**
 * The answers of a submission, keyed by item id. JSON may carry a key "__proto__", which a
 * plain object would take as its prototype rather than an answer; it is refused here, on the
 * raw body, before any object is built from it.
 */
const AnswerMap = z.preprocess((raw, ctx) => {
  if (raw !== null && typeof raw === 'object' && Object.prototype.hasOwnProperty.call(raw, '__proto__')) {
    ctx.issues.push({ code: 'custom', message: 'must not name "__proto__"; it is not an item id.', input: raw });
    return z.NEVER;
  }
  return raw;
}, z.record(z.string().min(1).max(64), AnswerValue));

export const ResponseSubmit = z.strictObject({
  token: z.string().min(16).max(100),
  answers: AnswerMap,
  complete: z.boolean(),
  role: plainText(100).optional(),
  locale: Locale.optional(),
  /** The questionnaire page the respondent is on, kept with a partial answer set so that the survey resumes there. */
  page: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'page must be a questionnaire page name (lower-case letters, digits and hyphens)').optional(),
});

export const ResponseSaved = z.object({
  complete: z.boolean(),
  answered: z.number().int(),
  items: z.number().int(),
});

export const EmptyBody = z.strictObject({});

export const AnalysisStatus = z.enum(['queued', 'running', 'done', 'failed']);

export const Analysis = z.object({
  id: z.number().int(),
  waveId: z.number().int(),
  kind: z.enum(['wave', 'scale-developer', 'research', 'pilot']),
  status: AnalysisStatus,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().optional(),
  /** A wave run's options (period, sprintAnchor, capacity): server/dynamics/run_options.ts. */
  options: z.unknown().optional(),
  results: z.unknown().optional(),
});

/** A unit of a published wave: its scores, or (suppressed) only its key, `n: null` and the reason. */
export const ReportUnit = z
  .object({
    unitKey: z.string(),
    n: z.number().int().nullable(),
    suppressed: z.boolean(),
    rollup: z.boolean(),
    reason: z.enum(['below-minimum', 'complementary', 'republication']).optional(),
  })
  .catchall(z.unknown());

export const Report = z.object({
  wave: z.object({ id: z.number().int(), name: z.string(), status: WaveStatus }),
  analysisId: z.number().int(),
  minGroupSize: z.number().int(),
  units: z.array(ReportUnit),
  organisation: z.unknown(),
  reliability: z.unknown(),
  agreement: z.unknown(),
  comparison: z.unknown().optional(),
  languageComparison: z.unknown().optional(),
  waveComparison: z.unknown().optional(),
  crossVersion: z.unknown().optional(),
});

export const InstrumentItem = z.object({
  id: z.string(),
  cell: z.string().nullable(),
  scale: z.string(),
  text: z.record(z.string(), z.string()),
  reverse: z.boolean(),
  min: z.number().int(),
  max: z.number().int(),
});

export const Instrument = z.object({
  version: z.string(),
  scaleMin: z.number().int(),
  scaleMax: z.number().int(),
  locales: z.array(z.string()),
  items: z.array(InstrumentItem),
});

export const TokenCreate = z.strictObject({ name: plainText(100) });
export const AdminToken = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export const NewAdminToken = AdminToken.extend({ token: z.string() });

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
});

export const Health = z.object({ status: z.literal('ok') });
export const ErrorBody = z.object({ error: z.string() });

export const IdParam = z.coerce.number({ error: 'must be a positive integer.' }).int({ error: 'must be a positive integer.' }).positive({ error: 'must be a positive integer.' });

export const ConsoleSession = z.object({
  id: z.number().int(),
  actor: z.string(),
  tokenId: z.number().int().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});
