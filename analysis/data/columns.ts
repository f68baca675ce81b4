/**
 * Data stored column by column, as a streaming CSV reader fills it: one Float64Array per numeric
 * variable (NaN for a missing value) and text variables as integer codes into their distinct
 * values. Eight bytes per number and four per label, against some fifty for a number inside an
 * array of row arrays, so that millions of respondents fit in memory and the analyses that read
 * them (`scoreUnits`, `agreement`) never build row objects.
 */

/** Observations × variables by column: `columns[j][i]` is observation i of variable j, NaN when missing. */
export interface NumericColumns {
  readonly length: number;
  readonly columns: readonly Float64Array[];
}

/**
 * A text variable as codes: `codes[i]` indexes `levels` (the distinct values in order of first
 * appearance), −1 when observation i is missing.
 */
export interface CodedLabels {
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

/** True when `x` is column-stored rather than an array of rows. */
export function isNumericColumns(x: NumericColumns | readonly (readonly number[])[]): x is NumericColumns {
  return !Array.isArray(x);
}

/** True when `x` is coded rather than an array of strings. */
export function isCodedLabels(x: CodedLabels | readonly (string | null)[]): x is CodedLabels {
  return !Array.isArray(x);
}

/** Rows × `width` values as columns (the caller has checked that every row has `width` values). */
export function columnsFromRows(rows: readonly (readonly number[])[], width: number): NumericColumns {
  const columns = Array.from({ length: width }, () => new Float64Array(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let j = 0; j < width; j++) columns[j][i] = row[j];
  }
  return { length: rows.length, columns };
}

/** The columns as an array of rows (for analyses that take rows; small data only). */
export function rowsFromColumns(data: NumericColumns): number[][] {
  const out = new Array<number[]>(data.length);
  const width = data.columns.length;
  for (let i = 0; i < data.length; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = data.columns[j][i];
    out[i] = row;
  }
  return out;
}

/** Labels (null = missing) as codes, levels in order of first appearance. */
export function codeLabels(labels: readonly (string | null)[]): CodedLabels {
  const codes = new Int32Array(labels.length);
  const levels: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = levels.length;
      index.set(v, c);
      levels.push(v);
    }
    codes[i] = c;
  }
  return { codes, levels };
}

/** The labels back as strings (null = missing). */
export function labelsOf(coded: CodedLabels): (string | null)[] {
  return Array.from(coded.codes, (c) => (c < 0 ? null : coded.levels[c]));
}

/**
 * Groups as compressed index lists: group g's members (observation indices, ascending) are
 * `members.subarray(offsets[g], offsets[g + 1])`. `group[i]` is observation i's group (0 … groups − 1)
 * or −1 for none. Two passes and two Int32Arrays, in place of an array of index arrays.
 */
export interface GroupMembers {
  readonly groups: number;
  readonly offsets: Int32Array;
  readonly members: Int32Array;
}

export function groupMembers(group: Int32Array, groups: number): GroupMembers {
  const offsets = new Int32Array(groups + 1);
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g >= 0) offsets[g + 1]++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const members = new Int32Array(offsets[groups]);
  const next = offsets.slice(0, groups);
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g >= 0) members[next[g]++] = i;
  }
  return { groups, offsets, members };
}

/**
 * The code of a missing answer in a one-byte column (see {@link AnswerColumns}).
 */
export const MISSING_BYTE = 255;

/**
 * A column of answers: a Float64Array (NaN missing), or, for whole-number ratings from 0 to 254,
 * a Uint8Array holding the value itself and {@link MISSING_BYTE} for a missing answer: one byte
 * per answer instead of eight, so that a ratings file takes less memory than its own text.
 */
export type AnswerColumn = Float64Array | Uint8Array;

/** Observations × variables by column, each column of either {@link AnswerColumn} kind. */
export interface AnswerColumns {
  readonly length: number;
  readonly columns: readonly AnswerColumn[];
}

/** The value a column uses for a missing answer: NaN in a Float64Array (equal to nothing), 255 in a byte column. */
export function missingCode(column: AnswerColumn): number {
  return column instanceof Uint8Array ? MISSING_BYTE : NaN;
}

/** An answer column as a new Float64Array of its first `length` values, NaN for missing. */
export function answerValues(column: AnswerColumn, length: number): Float64Array {
  if (column instanceof Float64Array) return column.slice(0, length);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = column[i];
    out[i] = v === MISSING_BYTE ? NaN : v;
  }
  return out;
}
