/**
 * A coordination event from a unit's workflow traces (shared/CONTRACT.md `breakpoints`):
 * the unit it belongs to, when it happened (milliseconds since 1970-01-01 UTC), its type,
 * the key it is about (a decision, dependency, deliverable, work item or issue) and an
 * optional reference (the artifact of an artifact event, `priority` on a decision opening,
 * the relational-coordination score of an `rc_score`).
 */
export interface CoordinationEvent {
  readonly unit: string;
  readonly time: number;
  readonly type: EventType;
  readonly key: string;
  readonly ref: string | null;
}

/** The event types of the contract, in the order it lists them. */
export const EVENT_TYPES = [
  'decision_opened',
  'decision_made',
  'approval',
  'escalation',
  'artifact_created',
  'artifact_retired',
  'respecified',
  'closed',
  'reopened',
  'rework',
  'revisited',
  'owner_committed',
  'conflict_incident',
  'rc_score',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: string): value is EventType {
  return EVENT_TYPE_SET.has(value);
}

/**
 * Event types whose key may be empty. Every other type is about something and needs a key;
 * `conflict_incident` and `rc_score` describe the unit as a whole.
 */
export const KEYLESS_TYPES: ReadonlySet<EventType> = new Set<EventType>(['conflict_incident', 'rc_score']);

/** Event types that need a `ref`: the artifact of an artifact event, the score of `rc_score`. */
export const REF_REQUIRED_TYPES: ReadonlySet<EventType> = new Set<EventType>(['artifact_created', 'artifact_retired', 'rc_score']);

/** The bounds of an `rc_score` ref: relational coordination is measured on a 1–5 scale. */
export const RC_SCORE_MIN = 1;
export const RC_SCORE_MAX = 5;
