import type { InstrumentVersion } from './version.js';

/** The value SurveyJS stores for the "not applicable / don't know" choice (its none item). */
export const NOT_APPLICABLE_VALUE = 'none';

/** A stored answer: an integer code, or null for "not applicable / don't know" (missing). */
export type AnswerValue = number | null;

export type AnswerCheck =
  | { readonly ok: true; readonly value: AnswerValue }
  | { readonly ok: false; readonly message: string };

/**
 * Checks one answer for the survey server: the item must exist in the version and the
 * value must be a whole number within the item's range (for the nominal ROLE item, one of
 * its codes), or null / the SurveyJS none value "none", both stored as null (missing).
 * Returns the value to store, or a one-sentence message naming the item.
 */
export function validateAnswer(version: InstrumentVersion, itemId: string, value: unknown): AnswerCheck {
  const item = version.items.find((i) => i.id === itemId);
  if (!item) return { ok: false, message: `Instrument version ${version.id} has no item "${itemId}".` };
  if (value === null || value === NOT_APPLICABLE_VALUE) return { ok: true, value: null };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < item.scaleMin || value > item.scaleMax) {
    const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
    return {
      ok: false,
      message: `The answer to ${itemId} must be a whole number from ${item.scaleMin} to ${item.scaleMax}, or null for "not applicable"; got ${shown}.`,
    };
  }
  return { ok: true, value };
}

export type AnswersCheck =
  | { readonly ok: true; readonly answers: Readonly<Record<string, AnswerValue>> }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Checks a whole answer set (`{itemId: value}`), collecting a message per bad answer. */
export function validateAnswers(version: InstrumentVersion, answers: unknown): AnswersCheck {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return { ok: false, errors: ['answers must be an object that maps item ids to values.'] };
  }
  const clean: Record<string, AnswerValue> = {};
  const errors: string[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const check = validateAnswer(version, id, value);
    if (check.ok) clean[id] = check.value;
    else errors.push(check.message);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers: clean };
}
