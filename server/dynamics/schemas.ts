import { z } from 'zod';
import { EVENT_TYPES, InputError, PERIOD_KINDS, SIGNALS, periodScheme } from '../../analysis/index.js';
import { CELLS } from '../../instrument/model.js';
import { TRACE_FORMATS } from './trace_formats.js';

/**
 * zod schemas of the SEI dynamics calls (issue 7): they validate query strings and bodies at
 * the edge and describe the answers in the OpenAPI document.
 */

export const TraceFormatQuery = z.enum(TRACE_FORMATS).default('native');

/** An optional label of where an import came from (`?source=jira-2026-03.csv`). */
export const SourceQuery = z.string().trim().min(1).max(200).optional();

export const TraceImport = z.object({
  id: z.number().int(),
  unitKey: z.string(),
  format: z.enum(TRACE_FORMATS),
  source: z.string().nullable(),
  events: z.number().int(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  types: z.partialRecord(z.enum(EVENT_TYPES), z.number().int()),
  importedAt: z.string(),
  importedBy: z.string(),
});

export const PerformanceImport = z.object({
  id: z.number().int(),
  unitKey: z.string(),
  source: z.string().nullable(),
  records: z.number().int(),
  importedAt: z.string(),
  importedBy: z.string(),
});

export const PerformanceValue = z.object({ importId: z.number().int(), period: z.string(), measure: z.string(), value: z.number() });

const Cell = z.enum(CELLS as [string, ...string[]]);

const Threshold = z.union([
  z.strictObject({ kind: z.literal('relative'), factor: z.number().positive() }),
  z.strictObject({ kind: z.literal('absolute'), level: z.number().min(0), strict: z.boolean().optional() }),
]);

const SignalRule = z.strictObject({ threshold: Threshold, cells: z.array(Cell).min(1) });

/**
 * A breakpoint rule set as posted (analysis `BreakpointRuleSet`; signals left out keep their
 * default rule). The analysis' validateRuleSet checks it once more after this schema.
 */
/** The most periods a rule may span (baseline or persistence): two years of weeks. */
export const MAX_PERIODS = 104;

export const RuleSetBody = z.strictObject({
  version: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._+=,-]*$/, { error: 'may contain only letters, digits and . _ + = , - (it names the version in URLs), starting with a letter or digit.' }),
  // Bounded by what trace data can hold: a persistence or baseline longer than two years of
  // weekly periods could never be met, and huge values only make evaluation loop for nothing.
  baselinePeriods: z.number().int().min(1).max(MAX_PERIODS).optional(),
  persistence: z.number().int().min(1).max(MAX_PERIODS).optional(),
  reworkWindowDays: z.number().min(0).max(366).optional(),
  reopenMinClosed: z.number().int().min(1).max(100_000).optional(),
  signals: z.partialRecord(z.enum(SIGNALS), SignalRule).optional(),
});

export const RuleSetVersion = z.object({
  version: z.string(),
  fingerprint: z.string(),
  builtIn: z.boolean(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** True for the version a wave opening now would lock. */
  inForce: z.boolean(),
  /** The waves that locked this version (it can no longer change). */
  lockedBy: z.array(z.object({ waveId: z.number().int(), waveName: z.string(), lockedAt: z.string() })),
  rules: z.unknown(),
});

export const RuleSetList = z.object({ inForce: z.string(), versions: z.array(RuleSetVersion) });

export const BreakpointQuery = z.strictObject({
  period: z.enum(PERIOD_KINDS).default('week'),
  sprintAnchor: z.string().optional(),
  wave: z.coerce.number().int().positive().optional(),
  rules: z.string().min(1).max(100).optional(),
});

const RuleSource = z.object({
  version: z.string(),
  fingerprint: z.string(),
  /** The wave whose lock chose the rules; null when they were not pre-registered by a wave. */
  lockedBy: z.object({ waveId: z.number().int(), waveName: z.string(), lockedAt: z.string() }).nullable(),
  /** True only when the wave's signed breakpoint-rules commitment verifies and equals the rules used (issue 18). */
  preregistered: z.boolean(),
  /** The breakpoint-rules commitment of the wave analysed, or null when none was made. */
  commitment: z
    .object({ seq: z.number().int(), hash: z.string(), title: z.string(), committedAt: z.string(), ruleVersion: z.string(), verified: z.boolean(), problem: z.string().nullable() })
    .nullable(),
  /** How the rules used depart from the commitment (one sentence), or null. */
  deviation: z.string().nullable(),
});

export const UnitBreakpoints = z.object({
  unitKey: z.string(),
  rules: RuleSource,
  period: z.enum(PERIOD_KINDS),
  events: z.number().int(),
  breakpoints: z.array(z.object({ signal: z.enum(SIGNALS), cells: z.array(z.string()), start: z.string(), end: z.string(), periods: z.number().int(), peak: z.number(), level: z.number(), baseline: z.number().nullable(), ruleVersion: z.string() }).catchall(z.unknown())),
  changePoints: z.array(z.object({ signal: z.string(), period: z.string(), before: z.number(), after: z.number(), coveredByRule: z.boolean() }).catchall(z.unknown())),
  signals: z.array(z.record(z.string(), z.unknown())),
  warnings: z.array(z.string()),
});

/** A sprint anchor as analysis periodScheme accepts it (a Monday, YYYY-MM-DD); its sentence when not. */
const SprintAnchor = z
  .string()
  .max(40)
  .superRefine((anchor, ctx) => {
    try {
      periodScheme('sprint', anchor);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      ctx.addIssue({ code: 'custom', message: 'must be a Monday written YYYY-MM-DD.' });
    }
  });

/** A sprint anchor names the sprint period: with another period it would mean nothing. */
function anchorNeedsSprint(o: { period?: string; sprintAnchor?: string }, ctx: z.RefinementCtx): void {
  if (o.sprintAnchor !== undefined && o.period !== undefined && o.period !== 'sprint') {
    ctx.addIssue({ code: 'custom', path: ['sprintAnchor'], message: `applies only to period=sprint; the period asked for is ${o.period}.` });
  }
}

/**
 * The options of a wave run (server/dynamics/run_options.ts) as POST /api/v1/waves/:id/analyses
 * takes them: the period its diagnosis counts breakpoint signals in (and the sprint anchor),
 * and the coherence capacity of its drift flags; each left out takes its default.
 */
export const WaveRunOptionsBody = z
  .strictObject({
    period: z.enum(PERIOD_KINDS).optional(),
    sprintAnchor: SprintAnchor.optional(),
    capacity: z.number().min(0).max(100).optional(),
  })
  .superRefine(anchorNeedsSprint);

/**
 * The diagnosis query: the wave (default the latest analysed that surveys the unit) and the
 * run options to read it under; an option left out is the run's (none computed at request time).
 */
export const DiagnosisQuery = z
  .strictObject({
    wave: z.coerce.number().int().positive().optional(),
    period: z.enum(PERIOD_KINDS).optional(),
    sprintAnchor: SprintAnchor.optional(),
    capacity: z.coerce.number().min(0).max(100).optional(),
  })
  .superRefine(anchorNeedsSprint);

export const UnitDiagnosisBody = z
  .object({
    unitKey: z.string(),
    wave: z.object({ id: z.number().int(), name: z.string() }),
    suppressed: z.boolean(),
    n: z.number().int(),
    minGroupSize: z.number().int(),
  })
  .catchall(z.unknown());
