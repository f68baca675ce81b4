import { describe, expect, it } from 'vitest';
import { readResponseSubmit } from '../../server/handlers/response_body.js';
import { HttpError } from '../../server/errors.js';
import { ResponseSubmit } from '../../server/schemas.js';
import { validate } from '../../server/validation.js';

const TOKEN = 'a'.repeat(43);

/** The zod schema's own verdict: its output, or its one sentence. */
function byZod(body: unknown): unknown {
  try {
    return { ok: validate(ResponseSubmit, body) };
  } catch (err) {
    return { error: (err as HttpError).message, status: (err as HttpError).status };
  }
}

function byReader(body: unknown): unknown {
  try {
    return { ok: readResponseSubmit(body) };
  } catch (err) {
    return { error: (err as HttpError).message, status: (err as HttpError).status };
  }
}

// Bodies as JSON.parse makes them (the answer route parses the request body so).
const BODIES: string[] = [
  `{"token":"${TOKEN}","answers":{"SA1":3,"SA2":null,"b":7},"complete":true}`,
  `{"complete":false,"answers":{},"token":"${TOKEN}","locale":"de","page":"cell-s-a"}`,
  `{"token":"${TOKEN}","answers":{"2":1,"10":2,"a":-0},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"x":1.5},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"x":9007199254740993},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"x":"3"},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"":3},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"${'k'.repeat(65)}":3},"complete":true}`,
  `{"token":"${TOKEN}","answers":{"__proto__":3},"complete":true}`,
  `{"token":"${TOKEN}","answers":[],"complete":true}`,
  `{"token":"${TOKEN}","answers":null,"complete":true}`,
  `{"token":"short","answers":{},"complete":true}`,
  `{"token":"${'t'.repeat(101)}","answers":{},"complete":true}`,
  `{"token":"${TOKEN}","answers":{},"complete":"yes"}`,
  `{"token":"${TOKEN}","answers":{}}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"locale":"fr"}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"page":"Bad Page"}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"role":"  team lead "}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"role":"\\u202e"}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"extra":1}`,
  `{"token":"${TOKEN}","answers":{},"complete":true,"__proto__":{"x":1}}`,
  `[]`,
  `{}`,
];

describe('the answer route\'s body check', () => {
  it.each(BODIES)('gives what the zod schema gives for %s', (json) => {
    expect(byReader(JSON.parse(json))).toEqual(byZod(JSON.parse(json)));
  });

  it('keeps the answers in the order they came (the stored JSON and the hash depend on it)', () => {
    const body = readResponseSubmit(JSON.parse(`{"token":"${TOKEN}","answers":{"b":1,"a":2},"complete":true}`));
    expect(Object.keys(body.answers)).toEqual(['b', 'a']);
  });

  it('refuses a body the schema refuses with the schema\'s sentence and a 400', () => {
    expect(byReader(JSON.parse(`{"token":"${TOKEN}","answers":{"x":1.5},"complete":true}`))).toEqual({ error: 'answers.x must be an integer; got 1.5.', status: 400 });
  });
});
