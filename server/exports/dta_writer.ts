import { BinaryWriter, utf8Prefix } from './binary_writer.js';
import type { Dataset, DatasetVariable } from './dataset.js';
import { VARIABLE_NAME } from './dataset.js';

/**
 * Writes a labelled data set as a Stata 14+ data file (.dta format 118, little-endian, UTF-8),
 * which Stata 14 to 19 open and R's haven, pandas and ReadStat read. No npm library writes .dta,
 * so this is a small writer of its own, after StataCorp's format description ("help dta",
 * "Description of .dta file format 118"): tagged sections `<header>`, `<map>` (14 file offsets),
 * `<variable_types>`, `<varnames>` (129 bytes each), `<sortlist>`, `<formats>` (57 bytes),
 * `<value_label_names>` (129), `<variable_labels>` (321), `<characteristics>`, `<data>`,
 * `<strls>` and `<value_labels>` (one `<lbl>` table per label set, values ascending).
 *
 * Whole numbers are `long` (4-byte integers; `.` = 2,147,483,621), decimals `double`, text
 * `str#` of its longest value (at most 2,045 bytes). An absent value is Stata's `.`; a variable's
 * missing codes become the extended missing values `.a`, `.b`, … (2,147,483,622, …), labelled as
 * the code was, which is how Stata keeps "not applicable" apart from "no answer". Variable labels
 * are cut to Stata's 80 characters, the data set label likewise.
 */
export function writeDta(ds: Dataset, createdAt: Date): Buffer {
  for (const v of ds.variables) if (!VARIABLE_NAME.test(v.name)) throw new Error(`"${v.name}" is not a variable name Stata accepts.`);
  const types = ds.variables.map((v, j) => storageType(v, ds.rows.map((r) => r[j])));
  const K = ds.variables.length;
  const w = new BinaryWriter();
  const map: number[] = [];

  map.push(w.length);
  w.text('<stata_dta><header><release>118</release><byteorder>LSF</byteorder>');
  w.text('<K>').uint16(K).text('</K>');
  w.text('<N>').uint64(ds.rows.length).text('</N>');
  const label = Buffer.from([...ds.label].slice(0, 80).join(''), 'utf8');
  w.text('<label>').uint16(label.length).bytes(label).text('</label>');
  w.text('<timestamp>').uint8(17).text(stataTimestamp(createdAt)).text('</timestamp></header>');

  // The map's offsets are filled in once the file is written (each section's position).
  map.push(w.length);
  const mapAt = w.length + '<map>'.length;
  w.text('<map>');
  for (let k = 0; k < 14; k++) w.uint64(0);
  w.text('</map>');

  map.push(w.length);
  w.text('<variable_types>');
  for (const t of types) w.uint16(t.code);
  w.text('</variable_types>');

  map.push(w.length);
  w.text('<varnames>');
  for (const v of ds.variables) w.fixed(v.name, 129, 0);
  w.text('</varnames>');

  map.push(w.length);
  w.text('<sortlist>');
  for (let k = 0; k <= K; k++) w.uint16(0);
  w.text('</sortlist>');

  map.push(w.length);
  w.text('<formats>');
  for (const t of types) w.fixed(t.format, 57, 0);
  w.text('</formats>');

  map.push(w.length);
  w.text('<value_label_names>');
  ds.variables.forEach((v, j) => w.fixed(types[j].labelled ? labelName(v) : '', 129, 0));
  w.text('</value_label_names>');

  map.push(w.length);
  w.text('<variable_labels>');
  for (const v of ds.variables) w.fixed(utf8Prefix([...v.label].slice(0, 80).join(''), 320), 321, 0);
  w.text('</variable_labels>');

  map.push(w.length);
  w.text('<characteristics></characteristics>');

  map.push(w.length);
  w.text('<data>');
  for (const row of ds.rows) {
    ds.variables.forEach((v, j) => {
      const t = types[j];
      const value = row[j];
      if (t.kind === 'text') {
        w.fixed(utf8Prefix(value === null ? '' : String(value), t.width), t.width, 0);
      } else if (t.kind === 'long') {
        w.int32(typeof value === 'number' ? longCode(value, v) : LONG_MISSING);
      } else {
        w.bytes(typeof value === 'number' && Number.isFinite(value) ? doubleCode(value, v) : DOUBLE_MISSING);
      }
    });
  }
  w.text('</data>');

  map.push(w.length);
  w.text('<strls></strls>');

  map.push(w.length);
  w.text('<value_labels>');
  const written = new Set<string>();
  ds.variables.forEach((v, j) => {
    const t = types[j];
    if (!t.labelled || written.has(labelName(v))) return;
    written.add(labelName(v));
    const entries = v.valueLabels
      .map((l) => ({ code: labelCode(l.value, v), text: Buffer.concat([utf8Prefix(l.label, 32000), Buffer.from([0])]) }))
      .sort((a, b) => a.code - b.code);
    const txtlen = entries.reduce((s, e) => s + e.text.length, 0);
    w.text('<lbl>');
    w.int32(8 + 8 * entries.length + txtlen);
    w.fixed(labelName(v), 129, 0);
    w.fixed('', 3, 0);
    w.int32(entries.length).int32(txtlen);
    let offset = 0;
    for (const e of entries) {
      w.int32(offset);
      offset += e.text.length;
    }
    for (const e of entries) w.int32(e.code);
    for (const e of entries) w.bytes(e.text);
    w.text('</lbl>');
  });
  w.text('</value_labels>');

  map.push(w.length);
  w.text('</stata_dta>');
  map.push(w.length);

  const out = w.toBuffer();
  map.forEach((offset, k) => out.writeBigUInt64LE(BigInt(offset), mapAt + 8 * k));
  return out;
}

/** Stata's `.` for a long, and `.a` (the first extended missing value) one above it. */
const LONG_MISSING = 2_147_483_621;
/** Stata's `.` for a double: +1.0X+3ff (0x7fe0000000000000). */
const DOUBLE_MISSING = Buffer.from([0, 0, 0, 0, 0, 0, 0xe0, 0x7f]);

interface StorageType {
  readonly kind: 'long' | 'double' | 'text';
  readonly code: number;
  readonly width: number;
  readonly format: string;
  readonly labelled: boolean;
}

function storageType(v: DatasetVariable, values: readonly unknown[]): StorageType {
  if (v.missingCodes.length > 26) throw new Error(`${v.name} has more missing codes than Stata's 26 extended missing values.`);
  if (v.kind === 'text') {
    const longest = values.reduce<number>((m, x) => Math.max(m, x === null ? 0 : Buffer.byteLength(String(x), 'utf8')), 1);
    const width = Math.min(2045, longest);
    return { kind: 'text', code: width, width, format: `%-${Math.min(width, 40)}s`, labelled: false };
  }
  const labelled = v.valueLabels.length > 0;
  if (v.kind === 'integer') return { kind: 'long', code: 65528, width: 4, format: '%8.0g', labelled };
  return { kind: 'double', code: 65526, width: 8, format: `%9.${v.decimals}f`, labelled };
}

/** A whole number as a long, a missing code as its extended missing value (.a, .b, …). */
function longCode(value: number, v: DatasetVariable): number {
  const m = v.missingCodes.indexOf(value);
  if (m >= 0) return LONG_MISSING + 1 + m;
  if (!Number.isInteger(value) || value < -2_147_483_647 || value > 2_147_483_620) throw new Error(`${v.name}: ${value} is not a whole number Stata's long holds.`);
  return value;
}

/** The value a label table records: the value, or for a missing code its extended missing value's long code. */
function labelCode(value: number, v: DatasetVariable): number {
  const m = v.missingCodes.indexOf(value);
  return m >= 0 ? LONG_MISSING + 1 + m : value;
}

/** A decimal as a double, a missing code as its extended missing value (+1.0m0X+3ff for .a, .b, …). */
function doubleCode(value: number, v: DatasetVariable): Buffer {
  const b = Buffer.alloc(8);
  const m = v.missingCodes.indexOf(value);
  if (m < 0) {
    b.writeDoubleLE(value);
    return b;
  }
  DOUBLE_MISSING.copy(b);
  b[5] = m + 1;
  return b;
}

function labelName(v: DatasetVariable): string {
  return (v.labelSet ?? v.name).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 32);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The header's time stamp, `dd Mon yyyy hh:mm` (UTC). */
function stataTimestamp(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 16)}`;
}
