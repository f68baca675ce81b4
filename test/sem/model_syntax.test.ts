import { describe, expect, it } from 'vitest';
import { buildParameterTable, InputError, modelVariables, parseModelSyntax } from '../../analysis/index.js';

function syntaxError(text: string): InputError {
  try {
    parseModelSyntax(text);
  } catch (e) {
    return e as InputError;
  }
  throw new Error('no error');
}

describe('parseModelSyntax', () => {
  it('reads operators, modifiers, comments and multi-line formulas', () => {
    const s = parseModelSyntax(`
      # a comment
      f =~ 1*x1 + NA*x2 + a*x3 +   ! another comment
           start(0.5)*x4 + c(b1, b2)*x5
      f ~~ 1*f; x1 ~~ x2
      y ~ f + 0.3*z
      x1 ~ 1
    `);
    expect(s.map((x) => x.op)).toEqual(['=~', '~~', '~~', '~', '~1']);
    const t = s[0].rhs;
    expect(t.map((x) => x.name)).toEqual(['x1', 'x2', 'x3', 'x4', 'x5']);
    expect(t[0].modifiers).toEqual([{ fixed: 1 }]);
    expect(t[1].modifiers).toEqual([{ free: true }]);
    expect(t[2].modifiers).toEqual([{ label: 'a' }]);
    expect(t[3].modifiers).toEqual([{ start: 0.5 }]);
    expect(t[4].modifiers).toEqual([{ label: 'b1' }, { label: 'b2' }]);
    expect(s[0].line).toBe(3);
    expect(s[3].rhs[1].modifiers).toEqual([{ fixed: 0.3 }]);
    expect(s[4]).toMatchObject({ lhs: ['x1'], op: '~1', line: 7 });
  });

  it('reads defined parameters (:=) as expressions over labels', async () => {
    const { evaluateExpression } = await import('../../analysis/sem/model_syntax.js');
    const [d] = parseModelSyntax('share := a*b/(c + a*b) - 2^2 + sqrt(4) + -1');
    expect(d.op).toBe(':=');
    expect(d.definition!.text).toBe('a*b/(c+a*b)-2^2+sqrt(4)+-1');
    const v = { a: 2, b: 3, c: 4 } as Record<string, number>;
    expect(evaluateExpression(d.definition!.expression, (l) => v[l])).toBeCloseTo(6 / 10 - 4 + 2 - 1, 12);
  });

  it('points at the line and token of an error', () => {
    const e1 = syntaxError('f =~ x1 + x2\ng =~ x3 + + x4');
    expect(e1).toBeInstanceOf(InputError);
    expect(e1.message).toMatch(/line 2, column 11: a "\+" with no term before it/);
    expect(syntaxError('f =~ x1\nx2 + x3').message).toMatch(/line 2, column 1: "x2" starts a line without an operator such as =~, ~ or ~~, and the formula above does not end with "\+"/);
    expect(syntaxError('f =~ x1 ~ x2').message).toMatch(/line 1, column 9: a second operator "~"/);
    expect(syntaxError('a == 2*b').message).toMatch(/only equalities between two labels/);
    expect(syntaxError('ab := a*(b').message).toMatch(/line 1, column 10: expected "\)" in the expression/);
    expect(syntaxError('ab := foo(a)').message).toMatch(/unknown function "foo"/);
    expect(syntaxError('a b := c').message).toMatch(/needs one new parameter name/);
    expect(syntaxError('f =~ x1 + x$2').message).toMatch(/line 1, column 12: unexpected character "\$"/);
    expect(syntaxError('f =~ foo(1)*x1').message).toMatch(/unknown modifier function "foo/);
    expect(syntaxError('f =~ 1').message).toMatch(/"1" can only follow "~"/);
  });
});

describe('buildParameterTable applies lavaan::cfa defaults', () => {
  const hs = parseModelSyntax('visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9');
  it('fixes the first loading, adds variances and latent covariances', () => {
    const t = buildParameterTable(hs);
    expect(t.nFree).toBe(21);
    expect(t.rows.find((r) => r.lhs === 'visual' && r.rhs === 'x1')).toMatchObject({ free: 0, value: 1 });
    expect(t.rows.filter((r) => r.op === '~~' && r.lhs !== r.rhs).map((r) => `${r.lhs}~~${r.rhs}`)).toEqual([
      'visual~~textual',
      'visual~~speed',
      'textual~~speed',
    ]);
    expect(t.meanstructure).toBe(false);
  });
  it('with stdLv frees every loading and fixes latent variances', () => {
    const t = buildParameterTable(hs, { stdLv: true });
    expect(t.nFree).toBe(21);
    expect(t.rows.filter((r) => r.op === '=~').every((r) => r.free > 0)).toBe(true);
    expect(t.rows.filter((r) => r.op === '~~' && r.lhs === 'visual' && r.rhs === 'visual')[0]).toMatchObject({ free: 0, value: 1 });
  });
  it('multi-group: intercepts free, latent means 0; scalar frees latent means after the first group', () => {
    const conf = buildParameterTable(hs, { groups: 2 });
    expect(conf.nFree).toBe(60);
    const scalar = buildParameterTable(hs, { groups: 2, groupEqual: ['loadings', 'intercepts'] });
    // 21 + 9 intercepts in group 1, then group 2 adds only its variances, covariances and 3 latent means
    expect(scalar.nFree).toBe(30 + 9 + 6 + 3);
    const means = scalar.rows.filter((r) => r.op === '~1' && r.lhs === 'visual');
    expect(means.map((r) => r.free > 0)).toEqual([false, true]);
  });
  it('with stdLv and equal loadings, frees latent variances after the first group (lavaan: 60 df for scalar)', () => {
    const t = buildParameterTable(hs, { groups: 2, stdLv: true, groupEqual: ['loadings', 'intercepts'] });
    const v = t.rows.filter((r) => r.op === '~~' && r.lhs === 'visual' && r.rhs === 'visual');
    expect(v.map((r) => r.free > 0)).toEqual([false, true]);
    expect(2 * (45 + 9) - t.nFree).toBe(60);
  });
  it('shares one parameter among equal labels and lists model variables', () => {
    const t = buildParameterTable(parseModelSyntax('f =~ x1 + a*x2 + a*x3'));
    const [l2, l3] = t.rows.filter((r) => r.rhs === 'x2' || r.rhs === 'x3').filter((r) => r.op === '=~');
    expect(l2.free).toBe(l3.free);
    expect(modelVariables(parseModelSyntax('f =~ x1 + x2\ny ~ f + z'))).toEqual(['x1', 'x2', 'y', 'z']);
  });
  it('ties two labels written a == b', () => {
    const t = buildParameterTable(parseModelSyntax('f =~ x1 + a*x2 + b*x3\nx2 ~~ c*x2\nx3 ~~ d*x3\na == b\nd == c'));
    const free = (lhs: string, op: string, rhs: string) => t.rows.find((r) => r.lhs === lhs && r.op === op && r.rhs === rhs)!.free;
    expect(free('f', '=~', 'x2')).toBe(free('f', '=~', 'x3'));
    expect(free('x2', '~~', 'x2')).toBe(free('x3', '~~', 'x3'));
    expect(t.nFree).toBe(4); // a=b, c=d, x1 ~~ x1, f ~~ f
    expect(() => buildParameterTable(parseModelSyntax('f =~ x1 + a*x2 + x3\na == z'))).toThrow(/"z" in "a == z" is not a label/);
  });
  it('rejects a duplicate parameter naming both lines', () => {
    expect(() => buildParameterTable(parseModelSyntax('f =~ x1 + x2 + x3\nf =~ x2'))).toThrow(/line 2: "f =~ x2" is already specified on line 1/);
  });
});
