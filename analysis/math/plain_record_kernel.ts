import { kernelModule } from './kernel_modules.js';
import { cat, instantiate, moduleBytes, op, I32, type WasmFunction } from './wasm_assembly.js';

/**
 * Reads the plain records of a CSV piece into one-byte rating columns: the CSV reader's fast path
 * for one-digit answers (analysis/data/csv_columns.ts) as a WebAssembly loop. A record is plain
 * when it has exactly the header's number of fields, separated by the delimiter and ended by a
 * line feed, with no quote and no carriage return in it, and each selected column's field is one
 * digit; the digit is stored as a byte at its row of its column (column k at k × capacity, the
 * layout the reader's compact columns and the cross-products kernel use). An unselected field is
 * skipped to its delimiter. The loop stops before the first record that is not plain and leaves it
 * to the general tokenizer, which reads it (and reports what is wrong with it) as always.
 *
 * Why: `seici efa` runs its JavaScript without V8's optimising compiler, where the same loop costs
 * ≈ 60 ns a field (36 items × 2,000 rows: ≈ 5 ms of a 52 ms process, issue 15).
 */
export interface PlainRecordReader {
  /** The columns, `columnCount` × `capacity` bytes in the kernel's memory (the caller's compact column store). */
  readonly columns: Uint8Array;
  /** Records read by the last {@link PlainRecordReader.read}. */
  readonly records: number;
  /**
   * Reads the plain records of `bytes[p … to)` from its record at `p` on, storing them as rows
   * `row`, `row + 1`, …; returns the offset after the last one's line feed, or −1 when the record at
   * `p` is not plain (or not complete before `to`). `piece` tells a new content of `bytes` from
   * the one last read (the kernel keeps a copy of the piece while it is the same).
   */
  read(bytes: Uint8Array, p: number, to: number, delimiter: number, row: number, piece: number): number;
}

/** The module's bytes as the assembler makes them (analysis/math/kernel_bytes.ts holds them pre-built). */
export function plainRecordModuleBytes(): Uint8Array {
  return moduleBytes([readFunction()]);
}

/** Bytes of a piece copied into the kernel's memory at a time. */
const WINDOW = 1 << 20;
/** Above this much memory (columns and window), the JavaScript loop does the work. */
const MAX_MEMORY = 1 << 30;

/**
 * A reader for records of `fieldColumn.length` fields, field f going to column `fieldColumn[f]`
 * (−1: skipped) of `columnCount` columns of `capacity` rows; null where WebAssembly is missing or
 * the columns would be too large for one memory. `window` (bytes copied at a time) is for tests.
 */
export function plainRecordReader(fieldColumn: Int32Array, capacity: number, columnCount: number, window = WINDOW): PlainRecordReader | null {
  const fields = fieldColumn.length;
  // memory: 0 the result (end offset, records), 16 each field's column offset or −1, then the columns, then the window
  const tableAt = 16;
  const columnsAt = (tableAt + 4 * fields + 15) & ~15;
  const windowAt = (columnsAt + capacity * columnCount + 15) & ~15;
  const size = windowAt + window + 16;
  if (fields === 0 || size > MAX_MEMORY) return null;
  const compiled = kernelModule('plainRecords');
  if (compiled === null) return null;
  const { memory, exports } = instantiate(compiled, size);
  const run = exports.r as (p: number, end: number, delimiter: number, row: number, fields: number, table: number, rows: number) => void;
  const heap = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer, 0, tableAt / 4 + fields);
  for (let f = 0; f < fields; f++) words[tableAt / 4 + f] = fieldColumn[f] < 0 ? -1 : columnsAt + capacity * fieldColumn[f];
  let copied: Uint8Array | null = null;
  let copiedPiece = -1;
  let copyFrom = 0;
  let copyTo = 0;
  const reader = {
    columns: heap.subarray(columnsAt, columnsAt + capacity * columnCount),
    records: 0,
    read(bytes: Uint8Array, p: number, to: number, delimiter: number, row: number, piece: number): number {
      for (;;) {
        if (copied !== bytes || copiedPiece !== piece || p < copyFrom || p >= copyTo) {
          copyFrom = p;
          copyTo = Math.min(to, p + window);
          heap.set(bytes.subarray(copyFrom, copyTo), windowAt);
          copied = bytes;
          copiedPiece = piece;
        }
        run(windowAt + p - copyFrom, windowAt + copyTo - copyFrom, delimiter, row, fields, tableAt, capacity);
        reader.records = words[1];
        if (words[1] > 0) return words[0] - windowAt + copyFrom;
        // the record at p runs past the window's end: copy from p and look again
        if (copyTo >= to || copyFrom === p) return -1;
        copied = null;
      }
    },
  };
  return reader;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * r(p, end, delimiter, row, fields, table, rows): reads plain records from offset p while they end
 * before `end` and `row` < `rows` (the columns' capacity), storing field f's digit at i32 table[f]
 * + row (table[f] < 0: the field is skipped);
 * stores at offset 0 the offset after the last record read and at 4 the number of records read.
 */
function readFunction(): WasmFunction {
  // parameters 0 p, 1 end, 2 delimiter, 3 row, 4 fields, 5 table, 6 rows; i32 locals 7 f, 8 column, 9 c, 10 record start, 11 records, 12 field end byte
  const [P, END, DELIMITER, ROW, FIELDS, TABLE, ROWS, F, COLUMN, C, START, RECORDS, ENDS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const advance = (l: number, by: number) => cat(op.get(l), op.i32(by), op.add, op.set(l));
  // depths inside the `if` of a selected field: 0 if, 1 field loop, 2 stop block, 3 record loop, 4 done block
  const selected = cat(
    // p + 1 < end, so that the digit and the byte after it are in the window
    op.get(P), op.i32(1), op.add, op.get(END), op.geU, op.brIf(2),
    op.get(P), op.load8U, op.i32(48), op.sub, op.set(C),
    op.get(C), op.i32(10), op.geU, op.brIf(2),
    op.get(P), op.i32(1), op.add, op.load8U, op.get(ENDS), op.ne, op.brIf(2),
    op.get(COLUMN), op.get(ROW), op.add, op.get(C), op.store8,
    advance(P, 2),
  );
  // depths inside the scan loop of a skipped field: 0 scan loop, 1 scan block, 2 else, 3 field loop, 4 stop block
  const skipped = cat(
    op.block, op.loop,
    op.get(P), op.get(END), op.geU, op.brIf(1),
    op.get(P), op.load8U, op.set(C),
    op.get(C), op.get(DELIMITER), op.eq, op.brIf(1),
    op.get(C), op.i32(LF), op.eq, op.brIf(1),
    op.get(C), op.i32(QUOTE), op.eq, op.brIf(1),
    op.get(C), op.i32(CR), op.eq, op.brIf(1),
    advance(P, 1),
    op.br(0),
    op.end, op.end,
    // depths here: 0 else, 1 field loop, 2 stop block
    op.get(P), op.get(END), op.geU, op.brIf(2),
    op.get(C), op.get(ENDS), op.ne, op.brIf(2),
    advance(P, 1),
  );
  const body = cat(
    op.i32(0), op.set(RECORDS),
    op.block, op.loop, op.block,
    op.get(P), op.set(START),
    // no room for another row (a file grown since its lines were counted): the general path reads on
    op.get(ROW), op.get(ROWS), op.geU, op.brIf(0),
    op.i32(0), op.set(F),
    op.loop,
    // the last field ends with the line feed, the others with the delimiter
    op.i32(LF), op.get(DELIMITER), op.get(F), op.get(FIELDS), op.i32(1), op.sub, op.eq, op.select, op.set(ENDS),
    op.get(TABLE), op.get(F), op.i32(4), op.mul, op.add, op.load, op.set(COLUMN),
    op.get(COLUMN), op.i32(0), op.geS, op.ifThen,
    selected,
    op.else,
    skipped,
    op.end,
    advance(F, 1),
    op.get(F), op.get(FIELDS), op.ltS, op.brIf(0),
    op.end,
    // a whole record: depths 0 stop block, 1 record loop, 2 done block
    advance(ROW, 1),
    advance(RECORDS, 1),
    op.get(P), op.get(END), op.ltU, op.brIf(1),
    op.br(2),
    op.end,
    // not plain: back to its start (depths 0 record loop, 1 done block)
    op.get(START), op.set(P),
    op.br(1),
    op.end, op.end,
    op.i32(0), op.get(P), op.store,
    op.i32(4), op.get(RECORDS), op.store,
  );
  return { name: 'r', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32], body };
}
