import { InputError } from '../../errors.js';
import { parseModelSyntax, type Statement } from '../model_syntax.js';

/** A two-level model's statements: level 1 (within clusters) and level 2 (between clusters). */
export interface LevelBlocks {
  readonly within: readonly Statement[];
  readonly between: readonly Statement[];
}

const LEVEL_LINE = /^\s*level\s*:\s*([A-Za-z0-9_.]+)\s*(?:[#!].*)?$/;

/** True when the model text has lavaan `level:` blocks. */
export function hasLevelBlocks(text: string): boolean {
  return text.split(/\r?\n/).some((l) => LEVEL_LINE.test(l));
}

/**
 * Splits lavaan model syntax with `level: 1` / `level: 2` headers (or `level: within` /
 * `level: between`, as lavaan accepts any two labels, the first being the within level) into
 * the statements of each level, parsed with the single-level parser; line numbers stay those
 * of the whole text. Every formula must sit under a level header, and both levels must be
 * given once each (lavaan::lavParseModelString's "level:" blocks).
 */
export function parseLevelBlocks(text: string, argument = 'model'): LevelBlocks {
  const lines = text.split(/\r?\n/);
  const headers: { line: number; label: string }[] = [];
  lines.forEach((l, i) => {
    const m = LEVEL_LINE.exec(l);
    if (m) headers.push({ line: i, label: m[1] });
  });
  if (headers.length !== 2) {
    throw new InputError(argument, `${argument} must have exactly two level blocks ("level: 1" and "level: 2"); got ${headers.length}.`);
  }
  const [a, b] = headers;
  const labelsOk = (a.label === '1' && b.label === '2') || (a.label !== '2' && b.label !== '1' && a.label !== b.label);
  if (!labelsOk) throw new InputError(argument, `${argument} must give "level: 1" before "level: 2"; got "level: ${a.label}" then "level: ${b.label}".`);
  const before = lines.slice(0, a.line).join('\n');
  if (parseable(before)) throw new InputError(argument, `${argument} line ${firstFormulaLine(lines, 0, a.line)}: a formula before "level: ${a.label}"; every formula belongs to a level.`);
  const block = (from: number, to: number) => {
    // keep line numbers: blank out everything outside the block
    const kept = lines.map((l, i) => (i > from && i < to ? l : ''));
    const text = kept.join('\n');
    if (!parseable(text)) throw new InputError(argument, `${argument}: the block "level: ${lines[from].replace(/^\s*level\s*:\s*/, '').trim()}" has no formulas.`);
    return parseModelSyntax(text, argument);
  };
  return { within: block(a.line, b.line), between: block(b.line, lines.length) };
}

function parseable(text: string): boolean {
  return text.split(/\r?\n/).some((l) => l.replace(/[#!].*$/, '').trim() !== '');
}

function firstFormulaLine(lines: readonly string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (lines[i].replace(/[#!].*$/, '').trim() !== '') return i + 1;
  return from + 1;
}
