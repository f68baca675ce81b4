import { describe, expect, it } from 'vitest';
import { INSTRUMENT_V1, validateAnswer, validateAnswers } from '../../instrument/index.js';

describe('answer validation for the survey server', () => {
  it('accepts whole numbers within each item\'s range and null / "none" as missing', () => {
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', 1)).toEqual({ ok: true, value: 1 });
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', 7)).toEqual({ ok: true, value: 7 });
    expect(validateAnswer(INSTRUMENT_V1, 'RC_3', 5)).toEqual({ ok: true, value: 5 });
    expect(validateAnswer(INSTRUMENT_V1, 'ROLE', 7)).toEqual({ ok: true, value: 7 });
    expect(validateAnswer(INSTRUMENT_V1, 'DYN_2', null)).toEqual({ ok: true, value: null });
    expect(validateAnswer(INSTRUMENT_V1, 'VISO_1', 'none')).toEqual({ ok: true, value: null });
  });

  it('rejects unknown items, out-of-range, fractional and non-numeric values with a sentence naming the item', () => {
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_9', 3)).toEqual({ ok: false, message: 'Instrument version v1 has no item "SxA_9".' });
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', 8)).toEqual({
      ok: false,
      message: 'The answer to SxA_1 must be a whole number from 1 to 7, or null for "not applicable"; got 8.',
    });
    expect(validateAnswer(INSTRUMENT_V1, 'RC_1', 6).ok).toBe(false);
    expect(validateAnswer(INSTRUMENT_V1, 'RC_1', 0).ok).toBe(false);
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', 2.5).ok).toBe(false);
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', '4')).toMatchObject({ ok: false, message: expect.stringContaining('got "4"') });
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', undefined).ok).toBe(false);
    expect(validateAnswer(INSTRUMENT_V1, 'SxA_1', Number.NaN).ok).toBe(false);
  });

  it('checks a whole answer set and lists every problem', () => {
    expect(validateAnswers(INSTRUMENT_V1, { SxA_1: 4, RC_7: 'none', ROLE: 2 })).toEqual({ ok: true, answers: { SxA_1: 4, RC_7: null, ROLE: 2 } });
    const bad = validateAnswers(INSTRUMENT_V1, { SxA_1: 9, nope: 1, TxV_8: 3 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toHaveLength(2);
    expect(validateAnswers(INSTRUMENT_V1, [1, 2])).toEqual({ ok: false, errors: ['answers must be an object that maps item ids to values.'] });
  });
});
