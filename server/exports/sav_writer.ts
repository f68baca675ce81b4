import { BinaryWriter, utf8Prefix } from './binary_writer.js';
import type { Dataset, DatasetVariable } from './dataset.js';
import { VARIABLE_NAME } from './dataset.js';

/**
 * Writes a labelled data set as an SPSS system file (.sav), uncompressed, little-endian, UTF-8.
 *
 * No npm library writes .sav with declared missing values and is kept up (the two on the
 * registry, `sav-writer` and `@codious/sav-reader-writer`, are single unreviewed releases without
 * a repository and cannot declare user-missing values), so this is a small writer of its own.
 * Layout after the GNU PSPP Developers Guide, "System File Format" (the record types below keep
 * its names), which SPSS, PSPP and ReadStat (R's haven, pandas' pyreadstat) all read:
 *
 *   file header ($FL2) · one variable record (type 2) per variable, plus a continuation record
 *   per further 8 bytes of a text variable · value labels (type 3) with the variables they apply
 *   to (type 4), one pair per label set · machine integer info (7/3: IEEE 754, little-endian,
 *   code page 65001 = UTF-8) · machine floating-point info (7/4) · variable display parameters
 *   (7/11: measurement level, width, alignment) · long variable names (7/13) · character
 *   encoding (7/20: "UTF-8") · dictionary termination (999) · the cases, 8 bytes a segment.
 *
 * Numbers are 8-byte IEEE doubles; an absent value is the system-missing value −DBL_MAX; a
 * variable's `missingCodes` (at most 3) are declared discrete user-missing values, so SPSS
 * leaves them out of statistics while keeping their label. Text is UTF-8, padded with spaces to
 * whole 8-byte segments, at most 255 bytes (longer text is cut at a character boundary: the
 * exported text columns hold short keys and roles). Labels are cut to SPSS's limits: 255 bytes
 * for a variable label, 120 for a value label, 64 for the file label.
 */
export function writeSav(ds: Dataset, createdAt: Date): Buffer {
  for (const v of ds.variables) if (!VARIABLE_NAME.test(v.name)) throw new Error(`"${v.name}" is not a variable name SPSS accepts.`);
  for (const v of ds.variables) if (v.missingCodes.length > 3) throw new Error(`${v.name} has more than the 3 missing codes SPSS declares.`);
  const layout = ds.variables.map((v, j) => variableLayout(v, ds.rows.map((r) => r[j])));
  const shortNames = uniqueShortNames(ds.variables.map((v) => v.name));
  const w = new BinaryWriter();

  // File header record.
  const segmentsPerCase = layout.reduce((s, l) => s + l.segments, 0);
  w.fixed('$FL2', 4);
  w.fixed('@(#) SPSS DATA FILE seici', 60);
  w.int32(2); // layout code
  w.int32(segmentsPerCase);
  w.int32(0); // not compressed
  w.int32(0); // no weight variable
  w.int32(ds.rows.length);
  w.float64(100); // compression bias (unused when uncompressed)
  w.fixed(spssDate(createdAt), 9);
  w.fixed(createdAt.toISOString().slice(11, 19), 8);
  w.fixed(utf8Prefix(ds.label, 64), 64);
  w.fixed('', 3, 0);

  // Variable records; `index` is each variable's 1-based position among all variable records.
  const index: number[] = [];
  let next = 1;
  ds.variables.forEach((v, j) => {
    const l = layout[j];
    index.push(next);
    next += l.segments;
    const label = utf8Prefix(v.label, 255);
    const format = l.width === 0 ? (5 << 16) | (l.printWidth << 8) | v.decimals : (1 << 16) | (l.width << 8);
    w.int32(2);
    w.int32(l.width); // 0 numeric, else the text width in bytes
    w.int32(label.length > 0 ? 1 : 0);
    w.int32(l.width === 0 ? v.missingCodes.length : 0);
    w.int32(format); // print format
    w.int32(format); // write format
    w.fixed(shortNames[j], 8);
    if (label.length > 0) {
      w.int32(label.length);
      w.fixed(label, Math.ceil(label.length / 4) * 4);
    }
    if (l.width === 0) for (const m of v.missingCodes) w.float64(m);
    for (let k = 1; k < l.segments; k++) {
      w.int32(2).int32(-1).int32(0).int32(0).int32(0).int32(0);
      w.fixed('', 8);
    }
  });

  // Value labels: one type 3 + type 4 pair per label set (numeric variables only).
  const sets = new Map<string, number[]>();
  ds.variables.forEach((v, j) => {
    if (v.valueLabels.length === 0 || layout[j].width !== 0) return;
    const key = v.labelSet ?? v.name;
    sets.set(key, [...(sets.get(key) ?? []), j]);
  });
  for (const members of sets.values()) {
    const labels = ds.variables[members[0]].valueLabels;
    w.int32(3);
    w.int32(labels.length);
    for (const l of labels) {
      const text = utf8Prefix(l.label, 120);
      w.float64(l.value);
      w.uint8(text.length);
      w.fixed(text, Math.ceil((text.length + 1) / 8) * 8 - 1);
    }
    w.int32(4);
    w.int32(members.length);
    for (const j of members) w.int32(index[j]);
  }

  // Machine integer info: version 1.0.0, machine -1, IEEE 754, compression 1, little-endian, UTF-8.
  extension(w, 3, 4, [1, 0, 0, -1, 1, 1, 2, 65001].map(int32Bytes));
  // Machine floating-point info: SYSMIS, HIGHEST, LOWEST.
  extension(w, 4, 8, [SYSMIS, Number.MAX_VALUE, LOWEST].map(float64Bytes));
  // Variable display parameters: measurement level (1 nominal, 2 ordinal, 3 scale), width, alignment (0 left, 1 right).
  const measure = { nominal: 1, ordinal: 2, scale: 3 } as const;
  extension(
    w,
    11,
    4,
    ds.variables.flatMap((v, j) => [measure[v.measure], Math.max(8, layout[j].width === 0 ? layout[j].printWidth : Math.min(layout[j].width, 40)), layout[j].width === 0 ? 1 : 0].map(int32Bytes)),
  );
  // Long variable names: SHORT=Long pairs separated by tabs.
  extension(w, 13, 1, [Buffer.from(ds.variables.map((v, j) => `${shortNames[j]}=${v.name}`).join('\t'), 'utf8')]);
  // Character encoding.
  extension(w, 20, 1, [Buffer.from('UTF-8', 'ascii')]);
  // Dictionary termination.
  w.int32(999).int32(0);

  // Cases.
  for (const row of ds.rows) {
    ds.variables.forEach((v, j) => {
      const value = row[j];
      const l = layout[j];
      if (l.width === 0) {
        w.float64(typeof value === 'number' && Number.isFinite(value) ? value : SYSMIS);
      } else {
        w.fixed(utf8Prefix(value === null ? '' : String(value), l.width), l.segments * 8);
      }
    });
  }
  return w.toBuffer();
}

/** SPSS's system-missing value: −DBL_MAX. */
const SYSMIS = -Number.MAX_VALUE;
/** SPSS's LOWEST: the largest finite double below SYSMIS's neighbour (0xFFEFFFFFFFFFFFFE). */
const LOWEST = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0xff]).readDoubleLE(0);

interface Layout {
  /** 0 for a number, else the text width in bytes (1…255). */
  readonly width: number;
  /** 8-byte segments the variable takes in a case. */
  readonly segments: number;
  /** The width of a number's print format (F w.d). */
  readonly printWidth: number;
}

function variableLayout(v: DatasetVariable, values: readonly unknown[]): Layout {
  if (v.kind === 'text') {
    const longest = values.reduce<number>((m, x) => Math.max(m, x === null ? 0 : Buffer.byteLength(String(x), 'utf8')), 1);
    const width = Math.min(255, longest);
    return { width, segments: Math.ceil(width / 8), printWidth: 0 };
  }
  const digits = [...values, ...v.valueLabels.map((l) => l.value)].reduce<number>(
    (m, x) => (typeof x === 'number' && Number.isFinite(x) ? Math.max(m, Math.trunc(Math.abs(x)).toString().length + (x < 0 ? 1 : 0)) : m),
    1,
  );
  return { width: 0, segments: 1, printWidth: Math.min(40, digits + (v.decimals > 0 ? v.decimals + 1 : 0)) };
}

/** An extension record (type 7) of `subtype` holding items of `size` bytes each. */
function extension(w: BinaryWriter, subtype: number, size: number, items: readonly Buffer[]): void {
  const data = Buffer.concat(items);
  w.int32(7).int32(subtype).int32(size).int32(data.length / size);
  w.bytes(data);
}

function int32Bytes(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

function float64Bytes(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The header's creation date, `dd mmm yy` (UTC). */
function spssDate(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/**
 * The 8-byte short names of the variable records: the long name upper-cased and cut to 8
 * characters, made unique with a numeric tail (the long names are in the 7/13 record).
 */
function uniqueShortNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = name.toUpperCase().slice(0, 8);
    let short = base;
    for (let k = 1; used.has(short); k++) short = `${base.slice(0, 8 - String(k).length)}${k}`;
    used.add(short);
    return short;
  });
}
