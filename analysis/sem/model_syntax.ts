import { InputError } from '../errors.js';

/** The operators of lavaan's model syntax that seici estimates. */
export type SyntaxOperator = '=~' | '~' | '~~' | '~1' | '==' | ':=';

/**
 * What a modifier in front of a variable says for one group: a fixed value (`1*x`), an
 * explicitly free parameter (`NA*x`), a label (`a*x`), a start value (`start(.5)*x`).
 */
export interface Modifier {
  readonly fixed?: number;
  readonly free?: true;
  readonly label?: string;
  readonly start?: number;
}

/** One right-hand-side term: a variable (or `1` for an intercept) with per-group modifiers. */
export interface Term {
  readonly name: string;
  /** One entry for all groups, or one per group when written as `c(a, b)*x`. */
  readonly modifiers: readonly Modifier[];
}

/** One formula of the model, e.g. `visual =~ x1 + x2 + x3`, with the line it starts on. */
export interface Statement {
  readonly lhs: readonly string[];
  readonly op: SyntaxOperator;
  readonly rhs: readonly Term[];
  readonly line: number;
  /** For `name := expression`: the parsed expression and its text. */
  readonly definition?: { readonly expression: Expression; readonly text: string };
}

/** An arithmetic expression over parameter labels (the right side of `:=`). */
export type Expression =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'unary'; readonly arg: Expression }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'call'; readonly fn: string; readonly arg: Expression };

const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = { sqrt: Math.sqrt, exp: Math.exp, log: Math.log, abs: Math.abs };

/** Evaluates an expression with `value(label)` for each label. */
export function evaluateExpression(e: Expression, value: (label: string) => number): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'label':
      return value(e.name);
    case 'unary':
      return -evaluateExpression(e.arg, value);
    case 'call':
      return FUNCTIONS[e.fn](evaluateExpression(e.arg, value));
    case 'binary': {
      const a = evaluateExpression(e.left, value);
      const b = evaluateExpression(e.right, value);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return a ** b;
      }
    }
  }
}

/** The labels an expression uses. */
export function expressionLabels(e: Expression, out: string[] = []): string[] {
  if (e.kind === 'label') out.push(e.name);
  else if (e.kind === 'unary' || e.kind === 'call') expressionLabels(e.arg, out);
  else if (e.kind === 'binary') {
    expressionLabels(e.left, out);
    expressionLabels(e.right, out);
  }
  return out;
}

interface Token {
  readonly kind: 'name' | 'number' | 'op' | 'punct';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const OPERATORS = ['=~', '~~', ':=', '==', '<', '>', '~*~', '|~', '|', '%', '~'];

/**
 * Parses lavaan model syntax (Rosseel, 2012, doi:10.18637/jss.v048.i02) into statements:
 * `=~` (is measured by), `~` (is regressed on), `~~` (covariance), `y ~ 1` (intercept),
 * with `#`/`!` comments, `;` or newlines between formulas, and formulas continued over
 * several lines (a line without an operator continues the formula above it, as in
 * lavaan::lavParseModelString). Modifiers before `*`: a number (fixed), `NA` (free),
 * a name (label; equal labels mean equal parameters), `start(v)`, `label("a")`,
 * `equal("a")`, or `c(...)` with one entry per group. Every syntax error is an InputError
 * naming the line and the token at fault.
 */
export function parseModelSyntax(text: string, argument = 'model'): Statement[] {
  const tokens = tokenize(text, argument);
  const formulas = splitFormulas(tokens, argument);
  return formulas.map((f) => parseFormula(f, argument));
}

function fail(argument: string, tok: { line: number; column: number } | undefined, message: string): never {
  const where = tok ? `line ${tok.line}, column ${tok.column}` : 'the end';
  throw new InputError(argument, `${argument} syntax error at ${where}: ${message}`);
}

function tokenize(text: string, argument: string): Token[] {
  const out: Token[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    let i = 0;
    while (i < line.length) {
      const ch = line[i];
      const column = i + 1;
      if (ch === '#' || ch === '!') break;
      if (ch === ' ' || ch === '\t') {
        i++;
        continue;
      }
      if (ch === ';') {
        out.push({ kind: 'punct', text: ';', line: li + 1, column });
        i++;
        continue;
      }
      const op = OPERATORS.find((o) => line.startsWith(o, i));
      if (op) {
        out.push({ kind: 'op', text: op, line: li + 1, column });
        i += op.length;
        continue;
      }
      if ('+*(),'.includes(ch)) {
        out.push({ kind: 'punct', text: ch, line: li + 1, column });
        i++;
        continue;
      }
      if (ch === '"' || ch === "'") {
        const end = line.indexOf(ch, i + 1);
        if (end < 0) fail(argument, { line: li + 1, column }, 'a quoted label is never closed.');
        out.push({ kind: 'name', text: line.slice(i + 1, end), line: li + 1, column });
        i = end + 1;
        continue;
      }
      // a number; a leading sign belongs to it only where a modifier can start
      const prev = out[out.length - 1];
      const signAllowed = !prev || prev.kind === 'op' || prev.text === '(' || prev.text === ',' || prev.text === '+';
      const num = (signAllowed ? /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/ : /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/).exec(line.slice(i));
      if (num) {
        out.push({ kind: 'number', text: num[0], line: li + 1, column });
        i += num[0].length;
        continue;
      }
      if ('-/^'.includes(ch)) {
        out.push({ kind: 'punct', text: ch, line: li + 1, column });
        i++;
        continue;
      }
      const name = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(line.slice(i));
      if (name) {
        out.push({ kind: 'name', text: name[0], line: li + 1, column });
        i += name[0].length;
        continue;
      }
      fail(argument, { line: li + 1, column }, `unexpected character "${ch}".`);
    }
    out.push({ kind: 'punct', text: '\n', line: li + 1, column: line.length + 1 });
  }
  return out;
}

/** Groups tokens into formulas: `;` ends one; a line without an operator continues the one above. */
function splitFormulas(tokens: readonly Token[], argument: string): Token[][] {
  const lines: Token[][] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.text === '\n' || t.text === ';') {
      if (cur.length) lines.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) lines.push(cur);
  const formulas: Token[][] = [];
  for (const l of lines) {
    const hasOp = l.some((t) => t.kind === 'op');
    const prev = formulas[formulas.length - 1];
    const joined = prev && (prev[prev.length - 1].text === '+' || l[0].text === '+');
    if (prev && !hasOp && !joined) {
      fail(argument, l[0], `"${l[0].text}" starts a line without an operator such as =~, ~ or ~~, and the formula above does not end with "+".`);
    }
    if (joined || (prev && !hasOp)) prev.push(...l);
    else if (!hasOp) fail(argument, l[0], `"${l[0].text}" starts a formula without an operator such as =~, ~ or ~~.`);
    else formulas.push([...l]);
  }
  return formulas;
}

function parseFormula(toks: readonly Token[], argument: string): Statement {
  const opIdx = toks.findIndex((t) => t.kind === 'op');
  const opTok = toks[opIdx];
  if (opTok.text === '==') return parseEquality(toks, opIdx, argument);
  if (opTok.text === ':=') return parseDefinition(toks, opIdx, argument);
  if (!['=~', '~', '~~'].includes(opTok.text)) {
    const what: Record<string, string> = {
      '<': 'inequality constraints (<)',
      '>': 'inequality constraints (>)',
      '|': 'thresholds (|) of ordinal variables',
      '~*~': 'scaling factors (~*~)',
      '|~': 'composites (|~)',
      '%': 'group-level blocks (%)',
    };
    fail(argument, opTok, `${what[opTok.text] ?? opTok.text} are not supported.`);
  }
  const second = toks.slice(opIdx + 1).find((t) => t.kind === 'op');
  if (second) fail(argument, second, `a second operator "${second.text}" in one formula; put each formula on its own line.`);
  const lhsToks = toks.slice(0, opIdx);
  if (lhsToks.length === 0) fail(argument, opTok, `"${opTok.text}" needs a variable on its left.`);
  const lhs: string[] = [];
  for (let i = 0; i < lhsToks.length; i++) {
    const t = lhsToks[i];
    if (i % 2 === 1) {
      if (t.text !== '+') fail(argument, t, `unexpected "${t.text}" on the left of "${opTok.text}".`);
      continue;
    }
    if (t.kind !== 'name') fail(argument, t, `"${t.text}" is not a variable name.`);
    lhs.push(t.text);
  }
  if (lhsToks[lhsToks.length - 1].text === '+') fail(argument, lhsToks[lhsToks.length - 1], 'a "+" with nothing after it.');
  const rhsToks = toks.slice(opIdx + 1);
  if (rhsToks.length === 0) fail(argument, opTok, `"${opTok.text}" needs something on its right.`);
  const terms = splitTerms(rhsToks, argument).map((t) => parseTerm(t, argument));
  let op = opTok.text as SyntaxOperator;
  if (op === '~' && terms.some((t) => t.name === '1')) {
    if (terms.length !== 1) fail(argument, opTok, 'an intercept "~ 1" must stand alone in its formula.');
    op = '~1';
  } else {
    const one = terms.find((t) => t.name === '1');
    if (one) fail(argument, opTok, `"1" can only follow "~" (an intercept), not "${op}".`);
  }
  return { lhs, op, rhs: terms, line: opTok.line };
}

/** `name := expression`: a defined parameter, a function of labelled parameters (lavaan's :=). */
function parseDefinition(toks: readonly Token[], opIdx: number, argument: string): Statement {
  const opTok = toks[opIdx];
  const lhs = toks.slice(0, opIdx);
  if (lhs.length !== 1 || lhs[0].kind !== 'name') fail(argument, lhs[0] ?? opTok, '":=" needs one new parameter name on its left.');
  const rhs = toks.slice(opIdx + 1);
  if (rhs.length === 0) fail(argument, opTok, '":=" needs an expression on its right.');
  let i = 0;
  const peek = () => rhs[i];
  const expect = (text: string) => {
    if (peek()?.text !== text) fail(argument, peek() ?? rhs[rhs.length - 1], `expected "${text}" in the expression.`);
    i++;
  };
  const primary = (): Expression => {
    const t = peek();
    if (!t) fail(argument, rhs[rhs.length - 1], 'the expression ends too early.');
    i++;
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.text === '(') {
      const e = sum();
      expect(')');
      return e;
    }
    if (t.kind === 'name') {
      if (peek()?.text === '(') {
        if (!(t.text in FUNCTIONS)) fail(argument, t, `unknown function "${t.text}"; use ${Object.keys(FUNCTIONS).join(', ')}.`);
        i++;
        const arg = sum();
        expect(')');
        return { kind: 'call', fn: t.text, arg };
      }
      return { kind: 'label', name: t.text };
    }
    fail(argument, t, `unexpected "${t.text}" in the expression.`);
  };
  const unary = (): Expression => {
    if (peek()?.text === '-') {
      i++;
      return { kind: 'unary', arg: unary() };
    }
    return primary();
  };
  const power = (): Expression => {
    const base = unary();
    if (peek()?.text === '^') {
      i++;
      return { kind: 'binary', op: '^', left: base, right: power() };
    }
    return base;
  };
  const product = (): Expression => {
    let e = power();
    while (peek() && (peek().text === '*' || peek().text === '/')) {
      const op = peek().text as '*' | '/';
      i++;
      e = { kind: 'binary', op, left: e, right: power() };
    }
    return e;
  };
  const sum = (): Expression => {
    let e = product();
    while (peek() && (peek().text === '+' || peek().text === '-' || (peek().kind === 'number' && /^[-+]/.test(peek().text)))) {
      const t = peek();
      if (t.kind === 'number') {
        // "a -1": the tokenizer read the sign into the number
        i++;
        e = { kind: 'binary', op: '+', left: e, right: { kind: 'number', value: Number(t.text) } };
        continue;
      }
      i++;
      e = { kind: 'binary', op: t.text as '+' | '-', left: e, right: product() };
    }
    return e;
  };
  const expression = sum();
  if (i < rhs.length) fail(argument, rhs[i], `unexpected "${rhs[i].text}" in the expression.`);
  const text = rhs.map((t) => t.text).join('');
  return { lhs: [lhs[0].text], op: ':=', rhs: [], line: opTok.line, definition: { expression, text } };
}

/** `a == b` between two labels: the labelled parameters are one parameter (like a shared label). */
function parseEquality(toks: readonly Token[], opIdx: number, argument: string): Statement {
  const opTok = toks[opIdx];
  const lhs = toks.slice(0, opIdx);
  const rhs = toks.slice(opIdx + 1);
  for (const side of [lhs, rhs]) {
    if (side.length !== 1 || side[0].kind !== 'name') {
      fail(argument, side[0] ?? opTok, 'only equalities between two labels (a == b) are supported; for anything else use a shared label.');
    }
  }
  return { lhs: [lhs[0].text], op: '==', rhs: [{ name: rhs[0].text, modifiers: [{}] }], line: opTok.line };
}

function splitTerms(toks: readonly Token[], argument: string): Token[][] {
  const terms: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === '+' && depth === 0) {
      if (cur.length === 0) fail(argument, t, 'a "+" with no term before it.');
      terms.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length === 0) fail(argument, toks[toks.length - 1], 'a "+" with nothing after it.');
  terms.push(cur);
  return terms;
}

/** A term is `mod*mod*...*name`; the last factor is the variable (or 1). */
function parseTerm(toks: readonly Token[], argument: string): Term {
  const factors: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === '*' && depth === 0) {
      if (cur.length === 0) fail(argument, t, 'a "*" with no modifier before it.');
      factors.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length === 0) fail(argument, toks[toks.length - 1], 'a "*" with no variable after it.');
  const last = cur;
  if (last.length !== 1 || !(last[0].kind === 'name' || last[0].text === '1')) {
    fail(argument, last[0], `expected a variable name, got "${last.map((t) => t.text).join('')}".`);
  }
  const name = last[0].text;
  let modifiers: Modifier[] = [{}];
  for (const f of factors) modifiers = mergeModifiers(modifiers, parseModifier(f, argument), f[0], argument);
  return { name, modifiers };
}

function mergeModifiers(a: Modifier[], b: Modifier[], tok: Token, argument: string): Modifier[] {
  if (a.length > 1 && b.length > 1 && a.length !== b.length) {
    fail(argument, tok, `c(...) lists of different lengths (${a.length} and ${b.length}) on one term.`);
  }
  const n = Math.max(a.length, b.length);
  const out: Modifier[] = [];
  for (let g = 0; g < n; g++) {
    const x = a[a.length === 1 ? 0 : g];
    const y = b[b.length === 1 ? 0 : g];
    const m: { -readonly [K in keyof Modifier]: Modifier[K] } = { ...x };
    if (y.fixed !== undefined) {
      m.fixed = y.fixed;
      delete m.free;
    }
    if (y.free) {
      m.free = true;
      delete m.fixed;
    }
    if (y.label !== undefined) m.label = y.label;
    if (y.start !== undefined) m.start = y.start;
    out.push(m);
  }
  return out;
}

function parseModifier(toks: readonly Token[], argument: string): Modifier[] {
  const t = toks[0];
  if (toks.length === 1) return [atom(t, argument)];
  if (t.kind === 'name' && toks[1]?.text === '(' && toks[toks.length - 1].text === ')') {
    const inner = toks.slice(2, -1);
    const items: Token[][] = [];
    let cur: Token[] = [];
    for (const x of inner) {
      if (x.text === ',') {
        items.push(cur);
        cur = [];
      } else cur.push(x);
    }
    items.push(cur);
    for (const it of items) {
      if (it.length !== 1) fail(argument, it[0] ?? t, `each entry of ${t.text}(...) must be a single value.`);
    }
    const vals = items.map((it) => it[0]);
    switch (t.text) {
      case 'c':
        return vals.map((v) => atom(v, argument));
      case 'start':
        return vals.map((v) => {
          const n = Number(v.text);
          if (v.kind !== 'number') fail(argument, v, `start(...) needs a number, got "${v.text}".`);
          return { start: n };
        });
      case 'label':
      case 'equal':
        return vals.map((v) => {
          if (v.kind !== 'name') fail(argument, v, `${t.text}(...) needs a label, got "${v.text}".`);
          return { label: v.text };
        });
      default:
        fail(argument, t, `unknown modifier function "${t.text}(...)"; use c(), start(), label() or equal().`);
    }
  }
  fail(argument, t, `cannot read the modifier "${toks.map((x) => x.text).join('')}".`);
}

function atom(t: Token, argument: string): Modifier {
  if (t.kind === 'number') return { fixed: Number(t.text) };
  if (t.kind === 'name') {
    if (t.text === 'NA') return { free: true };
    if (/^[A-Za-z.][A-Za-z0-9_.]*$/.test(t.text) || t.text.length > 0) return { label: t.text };
  }
  fail(argument, t, `"${t.text}" is not a number, NA or a label.`);
}
