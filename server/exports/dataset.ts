/**
 * A labelled rectangular data set, the one form every export file is written from (CSV with its
 * codebook, SPSS .sav, Stata .dta, the R loader): variables with their labels, value labels and
 * user-missing codes, and rows of numbers, text or null (empty: no value).
 */

/** A cell of a data set: a number, a text, or null for "no value" (SPSS's system-missing, Stata's `.`, R's NA). */
export type DatasetValue = number | string | null;

export interface ValueLabel {
  readonly value: number;
  readonly label: string;
}

/** How a variable is written: whole numbers, numbers with a fixed number of decimals, or text. */
export type VariableKind = 'integer' | 'decimal' | 'text';

export interface DatasetVariable {
  /** Column name: a letter, then letters, digits or `_` (valid in R, SPSS and Stata). */
  readonly name: string;
  /** What the column holds, in words (the item's text for an item). */
  readonly label: string;
  readonly kind: VariableKind;
  /** Decimals written for a `decimal` variable (0 otherwise): the stated precision of its kind. */
  readonly decimals: number;
  readonly measure: 'nominal' | 'ordinal' | 'scale';
  /** Labels of coded values: the anchors of the item's scale and its missing codes. */
  readonly valueLabels: readonly ValueLabel[];
  /** Codes that stand for a missing answer of a known kind (declared user-missing in SPSS, `.a` in Stata). */
  readonly missingCodes: readonly number[];
  /** The name of the value-label set, shared by every variable with the same labels (Stata's label name). */
  readonly labelSet: string | null;
}

export interface Dataset {
  /** File name stem (`wave-3-responses`). */
  readonly name: string;
  /** One line saying what the data set is. */
  readonly label: string;
  readonly variables: readonly DatasetVariable[];
  readonly rows: readonly (readonly DatasetValue[])[];
}

/** A column name every format accepts: starts with a letter; letters, digits and `_`; at most 32 characters (Stata's limit). */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
