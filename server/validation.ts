import type { z } from 'zod';
import { HttpError } from './errors.js';

/**
 * Validates `value` against `schema` at the edge of the app. On failure throws a 400 HttpError
 * whose message is one readable sentence about the first problem, naming the field
 * (`count must be at most 10000.`, `unitKey is required.`).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, subject = 'the request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, describeIssue(result.error.issues[0], value, subject));
}

const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/** One sentence for one zod issue. Custom messages in the schemas are predicates appended to the field name. */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown, subject: string): string {
  const name = issue.path.length > 0 ? issue.path.map(String).join('.') : subject;
  const input = lookup(root, issue.path);
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return `${name} ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `${name} is required.`;
      return `${name} must be ${typeName(issue.expected)}; got ${show(input)}.`;
    case 'too_small':
      return `${name} must ${bound(issue.origin, 'at least', issue.minimum, issue.inclusive)}.`;
    case 'too_big':
      return `${name} must ${bound(issue.origin, 'at most', issue.maximum, issue.inclusive)}.`;
    case 'invalid_format':
      if (issue.format === 'datetime') return `${name} must be an ISO 8601 date and time such as 2026-03-01T09:00:00Z; got ${show(input)}.`;
      if (issue.format === 'email') return `${name} must be an e-mail address; got ${show(input)}.`;
      return `${name} has an invalid format; got ${show(input)}.`;
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${show(input)}.`;
    case 'unrecognized_keys': {
      const where = issue.path.length > 0 ? ` in ${name}` : '';
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `${keys} ${issue.keys.length === 1 ? 'is not a known field' : 'are not known fields'}${where}.`;
    }
    case 'invalid_key': {
      // The key itself is not repeated: it is what was wrong (it may hold control characters).
      const owner = issue.path.length > 1 ? issue.path.slice(0, -1).map(String).join('.') : subject;
      const inner = issue.issues[0]?.message;
      return inner && !ZOD_DEFAULT_MESSAGE.test(inner) ? `${owner} has a key that ${inner}` : `${owner} has a key that is not valid.`;
    }
    default:
      return `${name} is not valid.`;
  }
}

function bound(origin: string, word: string, limit: number | bigint, inclusive?: boolean): string {
  const n = Number(limit);
  const strict = inclusive === false;
  switch (origin) {
    case 'string':
      return `be ${word} ${strict ? n + (word === 'at least' ? 1 : -1) : n} characters long`;
    case 'array':
    case 'set':
      return `list ${word} ${strict ? n + (word === 'at least' ? 1 : -1) : n} entries`;
    default:
      return `be ${strict ? (word === 'at least' ? 'greater than' : 'less than') : word} ${n}`;
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'an object';
    default:
      return expected;
  }
}

function lookup(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short rendering of a bad value for an error message. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
