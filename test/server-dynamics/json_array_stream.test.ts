import { describe, expect, it } from 'vitest';
import { JsonArrayStream } from '../../server/imports/json_array_stream.js';

/** Reads `text` cut into pieces of `size` bytes (also cutting inside strings, escapes and multi-byte characters). */
function read(text: string, size: number): { values: unknown[]; where: string[] } {
  const values: unknown[] = [];
  const where: string[] = [];
  const reader = new JsonArrayStream('events', 'events', (v, w) => {
    values.push(v);
    where.push(w);
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) reader.write(bytes.subarray(i, i + size));
  reader.end();
  return { values, where };
}

function refusal(text: string): string {
  try {
    read(text, 3);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('read it');
}

describe('JsonArrayStream', () => {
  const events = [
    { unit: 'a', timestamp: '2026-01-05', type: 'closed', key: 'K "1" ] }', ref: null },
    { unit: 'ä', timestamp: '2026-01-06', type: 'rc_score', key: '', ref: 4.5, nested: [{ x: [1, 2] }, '\\'] },
    'a string with , and ]',
    12.5e3,
    true,
    null,
    [],
  ];

  it('hands over each element of a root array or of the "events" member as JSON.parse reads it, whatever the pieces', () => {
    const array = JSON.stringify(events, null, 1);
    const object = JSON.stringify({ source: { events: [9, 9] }, events, after: '[' });
    for (const size of [1, 2, 7, 64, 1 << 20]) {
      expect(read(array, size).values, `array, pieces of ${size}`).toEqual(events);
      expect(read(object, size).values, `object, pieces of ${size}`).toEqual(events);
    }
    expect(read(array, 5).where).toEqual(events.map((_, i) => `events[${i}]`));
    expect(read('[]', 1).values).toEqual([]);
    expect(read(' { "events" : [ 1 ] } ', 1).values).toEqual([1]);
  });

  it('refuses what is not one array of elements with one sentence naming where', () => {
    expect(refusal('')).toBe('The JSON body is empty; send an array of events.');
    expect(refusal('"x"')).toBe('events must be a JSON array of events or an object with an "events" array.');
    expect(refusal('{"other": []}')).toBe('events must be a JSON array of events or an object with an "events" array.');
    expect(refusal('{"events": 5}')).toBe('events must be a JSON array of events.');
    expect(refusal('{"events": [')).toBe('The JSON body ends before the events array closes.');
    expect(refusal('[{"a": 1}, {"a": 2}')).toBe('The JSON body ends before the events array closes (after events[1]).');
    expect(refusal('[{"a": 1} {"a": 2}]')).toBe('The JSON body is not valid JSON: expected a comma or ] after events[0] at element 1 of the events array or before it.');
    expect(refusal('[1,]')).toMatch(/^The JSON body is not valid JSON: expected events\[1\]/);
    expect(refusal('[{"a": 1}, {"a": tru}]')).toBe('events[1] is not valid JSON.');
    expect(refusal('[1] [2]')).toMatch(/more than one value/);
  });
});
