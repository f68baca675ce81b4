import type { z } from 'zod';
import { ResponseSubmit } from '../schemas.js';
import { validate } from '../validation.js';

export type ResponseSubmitBody = z.output<typeof ResponseSubmit>;

const FIELDS = new Set(['token', 'answers', 'complete', 'locale', 'page']);
const PAGE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The body of an answer submission, checked against {@link ResponseSubmit}. The common body
 * (token, answers of integers or nulls, complete, and perhaps locale and page) is checked here
 * in one pass over the answers, which costs a fraction of the zod parse at thousands of
 * submissions a second; everything else (a role, which zod trims and checks for control
 * characters, and every body that fails a check) goes through the zod schema, so the result and
 * every error sentence are the schema's own. This check accepts only what the schema accepts
 * and returns what the schema would return (the same keys in the same order, nothing
 * transformed); test/server/response_body.test.ts holds the two side by side.
 */
export function readResponseSubmit(body: unknown): ResponseSubmitBody {
  return quickCheck(body) ?? validate(ResponseSubmit, body);
}

function quickCheck(body: unknown): ResponseSubmitBody | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  for (const key in b) if (!FIELDS.has(key) || !Object.prototype.hasOwnProperty.call(b, key)) return undefined;
  const { token, answers, complete, locale, page } = b;
  if (typeof token !== 'string' || token.length < 16 || token.length > 100) return undefined;
  if (typeof complete !== 'boolean') return undefined;
  if (locale !== undefined && locale !== 'en' && locale !== 'de') return undefined;
  if (page !== undefined && (typeof page !== 'string' || !PAGE.test(page))) return undefined;
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers) || Object.getPrototypeOf(answers) !== Object.prototype) return undefined;
  // JSON.parse makes "__proto__" an own key; the schema refuses it with its own sentence.
  if (Object.prototype.hasOwnProperty.call(answers, '__proto__')) return undefined;
  const a = answers as Record<string, unknown>;
  for (const id in a) {
    if (id.length < 1 || id.length > 64) return undefined;
    const v = a[id];
    if (v !== null && !Number.isSafeInteger(v)) return undefined;
  }
  const out: Record<string, unknown> = { token, answers: a, complete };
  if (locale !== undefined) out.locale = locale;
  if (page !== undefined) out.page = page;
  return out as ResponseSubmitBody;
}
