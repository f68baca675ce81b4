import { InputError } from '../errors.js';
import {
  EVENT_TYPES,
  KEYLESS_TYPES,
  RC_SCORE_MAX,
  RC_SCORE_MIN,
  REF_REQUIRED_TYPES,
  isEventType,
  type CoordinationEvent,
} from './event.js';
import { parseTimestamp } from './timestamp.js';

/** The raw fields of one event as read from a file, before validation. */
export interface RawEventFields {
  readonly unit: string | undefined | null;
  readonly timestamp: string | undefined | null;
  readonly type: string | undefined | null;
  readonly key: string | undefined | null;
  readonly ref: string | undefined | null;
}

/**
 * Validates one event's fields and returns the event, or throws an InputError for
 * `argument` whose message starts with `where` (`events line 7`) and says what is wrong:
 * an empty unit, a timestamp that is not ISO 8601, an unknown type, a missing key (every
 * type but `conflict_incident` and `rc_score` is about a key), a missing ref on an artifact
 * event, or an `rc_score` ref that is not a number from 1 to 5. Fields are trimmed; an
 * empty ref is null.
 */
export function validateEvent(fields: RawEventFields, where: string, argument = 'events'): CoordinationEvent {
  const unit = (fields.unit ?? '').trim();
  if (unit === '') throw new InputError(argument, `${where}: unit is empty.`);
  const stamp = (fields.timestamp ?? '').trim();
  const time = parseTimestamp(stamp);
  if (!Number.isFinite(time)) {
    throw new InputError(argument, `${where}: timestamp "${stamp}" is not an ISO 8601 date or date-time.`);
  }
  const type = (fields.type ?? '').trim();
  if (!isEventType(type)) {
    throw new InputError(argument, `${where}: unknown type "${type}"; expected one of ${EVENT_TYPES.join(', ')}.`);
  }
  const key = (fields.key ?? '').trim();
  if (key === '' && !KEYLESS_TYPES.has(type)) throw new InputError(argument, `${where}: a ${type} event needs a key.`);
  const refText = (fields.ref ?? '').trim();
  const ref = refText === '' ? null : refText;
  if (ref === null && REF_REQUIRED_TYPES.has(type)) {
    const what = type === 'rc_score' ? 'the relational-coordination score' : 'the artifact';
    throw new InputError(argument, `${where}: a ${type} event needs a ref (${what}).`);
  }
  if (type === 'rc_score') {
    const score = Number(ref);
    if (!Number.isFinite(score) || score < RC_SCORE_MIN || score > RC_SCORE_MAX) {
      throw new InputError(argument, `${where}: rc_score ref "${ref}" is not a number from ${RC_SCORE_MIN} to ${RC_SCORE_MAX}.`);
    }
  }
  return { unit, time, type, key, ref };
}
