import { Worker } from 'node:worker_threads';
import { iso } from '../clock.js';
import type { Db } from '../db.js';
import { echo, HttpError } from '../errors.js';
import { audit } from '../handlers/audit.js';
import { findUnitsByKeys, listUnits, type UnitRecord } from '../queries/units.js';
import { UnitCreate } from '../schemas.js';
import { compiledModule } from '../paths.js';
import type { Services } from '../services.js';
import { describeIssue } from '../validation.js';
import { CsvImportStream } from './csv_import_stream.js';
import { readUpload, type UnreadUpload } from './csv_upload.js';
import { badLines } from './line_errors.js';

const KNOWN_COLUMNS = new Set(['key', 'name', 'parentKey', 'parent_key', 'context']);

/** Rows written per transaction: small enough that an answer waiting for the store waits a few milliseconds, not the whole import. */
const ROWS_PER_TRANSACTION = 200;

export interface ImportRow {
  readonly line: number;
  readonly key: string;
  readonly name: string;
  readonly parentKey?: string;
  readonly context: string | null;
  readonly attributes: Record<string, unknown>;
}

/** The rows of a unit import checked as the upload streams in (see {@link unitRowChecker}). */
export interface UnitRowChecker {
  write(chunk: Uint8Array): void;
  /** The checked rows; throws the 400 naming every bad row, or the file's one problem. */
  finish(): ImportRow[];
}

/**
 * Checks every row of an upload (a unit's fields, unique keys, a header without repeated names)
 * as its bytes arrive (CsvImportStream), keeping only the checked units, never the file nor a
 * table of cells; every bad row is named by its line (badLines), up to LISTED_LINES of them,
 * and nothing is kept.
 */
export function unitRowChecker(): UnitRowChecker {
  let header: string[] | null = null;
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  const stream = new CsvImportStream('The CSV', 'csv', {
    header: (h) => {
      const columns = new Map<string, number>();
      h.forEach((column, i) => {
        if (columns.has(column)) throw new HttpError(400, `The CSV header names the column ${echo(column)} twice (columns ${columns.get(column)! + 1} and ${i + 1}); each column needs its own name.`);
        columns.set(column, i);
      });
      for (const required of ['key', 'name']) {
        if (!h.includes(required)) {
          const names = h.join(', ');
          throw new HttpError(400, `The CSV has no "${required}" column; its columns are ${names.length > 80 ? `${names.slice(0, 79)}…` : names}.`);
        }
      }
      header = h;
    },
    row: (fields, line) => {
      const record: Record<string, string> = Object.create(null);
      header!.forEach((column, c) => {
        record[column] = (fields[c] ?? '').trim();
      });
      const attributes: Record<string, string> = Object.create(null);
      for (const column of header!) {
        if (!KNOWN_COLUMNS.has(column) && record[column] !== '') attributes[column] = record[column];
      }
      const candidate = {
        key: record.key,
        name: record.name,
        parentKey: (record.parentKey ?? record.parent_key) || undefined,
        context: record.context || undefined,
        attributes: { ...attributes },
      };
      const parsed = UnitCreate.safeParse(candidate);
      if (!parsed.success) throw new HttpError(400, `Line ${line}: ${describeIssue(parsed.error.issues[0], candidate, 'the row')}`);
      const unit = parsed.data;
      if (seen.has(unit.key)) throw new HttpError(400, `Line ${line}: the key ${echo(unit.key)} appears already on line ${seen.get(unit.key)}.`);
      seen.set(unit.key, line);
      if (stream.refused === 0) rows.push({ line, key: unit.key, name: unit.name, parentKey: unit.parentKey, context: unit.context ?? null, attributes: unit.attributes ?? {} });
    },
  });
  return {
    write: (chunk) => stream.write(chunk),
    finish: () => {
      try {
        stream.end();
      } catch (err) {
        // an empty file is answered below
        if (!(err instanceof HttpError) || header !== null || !err.message.endsWith('it needs a header row.')) throw err;
      }
      if (header === null || rows.length === 0) {
        throw new HttpError(400, 'The CSV has no unit rows; it needs a header row with key and name, then one row per unit.');
      }
      return rows;
    },
  };
}

/**
 * Checks the hierarchy the import would leave: every parentKey names a unit (in the file or
 * stored), and no unit becomes its own ancestor. Done in memory on the stored hierarchy, so
 * that nothing is written when it fails.
 */
function checkHierarchy(rows: readonly ImportRow[], stored: readonly UnitRecord[]): void {
  const parentOf = new Map<string, string | null>(stored.map((u) => [u.key, u.parentKey]));
  for (const row of rows) {
    // A row without parentKey keeps a stored unit's parent, as before.
    parentOf.set(row.key, row.parentKey ?? (parentOf.has(row.key) ? parentOf.get(row.key)! : null));
  }
  const problems: string[] = [];
  for (const row of rows) {
    if (row.parentKey !== undefined && !parentOf.has(row.parentKey)) {
      problems.push(`Line ${row.line}: parentKey names no unit: ${echo(row.parentKey)}.`);
    }
  }
  if (problems.length > 0) throw badLines(problems);
  for (const row of rows) {
    const chain = new Set<string>([row.key]);
    for (let at = parentOf.get(row.key) ?? null; at !== null; at = parentOf.get(at) ?? null) {
      if (chain.has(at)) {
        problems.push(`Line ${row.line}: parentKey ${echo(row.parentKey ?? '')} would make unit ${echo(row.key)} its own ancestor.`);
        break;
      }
      chain.add(at);
    }
  }
  if (problems.length > 0) throw badLines(problems);
}

/** Inserts new units whose parents (if any) are stored already; records their ids. */
async function insertChunk(trx: Db, chunk: readonly ImportRow[], ids: Map<string, number>, now: string): Promise<void> {
  const inserted = await trx('units')
    .insert(
      chunk.map((r) => ({
        key: r.key,
        name: r.name,
        parent_id: r.parentKey === undefined ? null : ids.get(r.parentKey)!,
        context: r.context,
        attributes: JSON.stringify(r.attributes),
        created_at: now,
      })),
    )
    .returning(['id', 'key']);
  for (const row of inserted as { id: number; key: string }[]) ids.set(row.key, Number(row.id));
}

/** Updates stored units (a row without parentKey keeps the stored parent). */
async function updateChunk(trx: Db, chunk: readonly ImportRow[], ids: Map<string, number>): Promise<void> {
  for (const r of chunk) {
    const fields: Record<string, unknown> = { name: r.name, context: r.context, attributes: JSON.stringify(r.attributes) };
    if (r.parentKey !== undefined) fields.parent_id = ids.get(r.parentKey)!;
    await trx('units').where({ id: ids.get(r.key)! }).update(fields);
  }
}

/**
 * The new rows in levels: first those whose parent is stored (or absent), then their children
 * in the file, and so on, so that every unit is inserted with its parent's id (the hierarchy
 * was checked to have no cycle).
 */
function levels(fresh: readonly ImportRow[]): ImportRow[][] {
  const byKey = new Map(fresh.map((r) => [r.key, r]));
  const depth = new Map<string, number>();
  const depthOf = (r: ImportRow): number => {
    const known = depth.get(r.key);
    if (known !== undefined) return known;
    const chain: ImportRow[] = [];
    for (let at: ImportRow | undefined = r; at && !depth.has(at.key); at = at.parentKey === undefined ? undefined : byKey.get(at.parentKey)) chain.push(at);
    const top = chain[chain.length - 1];
    const d = top.parentKey !== undefined && depth.has(top.parentKey) ? depth.get(top.parentKey)! + 1 : 0;
    for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i].key, d + (chain.length - 1 - i));
    return depth.get(r.key)!;
  };
  const out: ImportRow[][] = [];
  for (const r of fresh) (out[depthOf(r)] ??= []).push(r);
  return out.filter((level) => level !== undefined);
}

/** What the import thread reports: the counts and keys, or the caller's mistake as status and sentence. */
export type ImportOutcome =
  | { readonly ok: true; readonly created: number; readonly updated: number; readonly keys: string[] }
  | { readonly ok: false; readonly status: number; readonly message: string };

/**
 * The import itself, on its own database connection (run by imports/unit_import_thread.ts).
 * The whole upload is read through the CSV tokenizer and checked first (each row, unique keys, a
 * header without repeated names, the resulting hierarchy); every bad row is reported by its line number (up to
 * LISTED_LINES of them) and nothing is stored. A file may be comma-, semicolon- or
 * tab-separated (a spreadsheet's paste), see detectCsvDialect. Only then is it written, in transactions of ROWS_PER_TRANSACTION rows, so that an
 * answer waiting for the store's write lock waits for one small transaction, not the import.
 */
export async function runUnitImport(db: Db, checked: () => ImportRow[], now: string, answersFirst: () => Promise<void> = async () => undefined): Promise<ImportOutcome> {
  try {
    const rows = checked();
    const stored = await listUnits(db);
    checkHierarchy(rows, stored);
    const ids = new Map(stored.map((u) => [u.key, u.id]));
    const fresh = rows.filter((r) => !ids.has(r.key));
    const existing = rows.filter((r) => ids.has(r.key));
    for (const level of levels(fresh)) {
      for (let i = 0; i < level.length; i += ROWS_PER_TRANSACTION) {
        await answersFirst();
        await db.transaction((trx) => insertChunk(trx, level.slice(i, i + ROWS_PER_TRANSACTION), ids, now));
      }
    }
    for (let i = 0; i < existing.length; i += ROWS_PER_TRANSACTION) {
      await answersFirst();
      await db.transaction((trx) => updateChunk(trx, existing.slice(i, i + ROWS_PER_TRANSACTION), ids));
    }
    return { ok: true, created: fresh.length, updated: existing.length, keys: rows.map((r) => r.key) };
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) return { ok: false, status: err.status, message: err.message };
    throw err;
  }
}

/**
 * Creates or updates units from CSV: columns `key`, `name`, optional `parentKey` (or
 * `parent_key`) and `context`; every other column becomes an attribute (empty cells are left
 * out). Parents may be defined anywhere in the file.
 *
 * Imports never stall answers: the file is parsed, checked and written in a worker thread with
 * its own database connection (parsing and checking 5 MB takes seconds of CPU, and SQLite
 * writes block the thread that makes them), in bounded transactions (runUnitImport). Before,
 * a 4.8 MB import held answer submissions for 39 s. Should the store fail midway, the rows
 * written so far stay, and the same file can be imported again: an import creates or updates
 * by key.
 */
export async function importUnits(s: Services, actor: string, csv: string | UnreadUpload): Promise<{ created: number; updated: number; units: UnitRecord[] }> {
  const outcome = await importInThread(s, csv);
  if (!outcome.ok) throw new HttpError(outcome.status, outcome.message);
  const { created, updated, keys } = outcome;
  await audit(s, actor, 'unit.import', null, { created, updated, rows: keys.length, keys: keys.slice(0, 100) });
  const units: UnitRecord[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    units.push(...(await findUnitsByKeys(s.db, keys.slice(i, i + 500))));
    // Let answers in between the reads of a large import's units.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { created, updated, units };
}

/** What the import thread is sent: the upload's pieces as they arrive, then its end (or that the upload was refused). */
export type ImportMessage = { readonly chunk: Uint8Array } | { readonly end: true };

/**
 * Runs the import in its thread, handing it the upload's pieces as they arrive (each copied into
 * a buffer of its own and transferred), so the thread checks the rows while the body streams in
 * and the main thread keeps none of it. An upload refused on its way (413, an aborted request)
 * stops the thread before anything is written.
 */
async function importInThread(s: Services, csv: string | UnreadUpload): Promise<ImportOutcome> {
  const { dataDir, databaseUrl, sqliteSynchronous } = s.config;
  const worker = new Worker(compiledModule('imports/unit_import_thread.ts'), {
    workerData: { now: iso(s.clock()), config: { dataDir, databaseUrl, sqliteSynchronous }, answersWaiting: s.responses.answersWaiting },
  });
  let stopped = false;
  const outcome = new Promise<ImportOutcome>((resolve, reject) => {
    let settled = false;
    worker.once('message', (result: ImportOutcome) => {
      settled = true;
      resolve(result);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled && !stopped) reject(new Error(`the unit import thread stopped with code ${code}`));
    });
  });
  // the thread may fail while the body is still streaming: the caller sees it once it awaits the outcome
  outcome.catch(() => undefined);
  const send = (piece: Uint8Array) => {
    const copy = new Uint8Array(piece);
    worker.postMessage({ chunk: copy } satisfies ImportMessage, [copy.buffer]);
  };
  try {
    if (typeof csv === 'string') send(Buffer.from(csv, 'utf8'));
    else await readUpload(csv, 'the CSV', send);
  } catch (err) {
    stopped = true;
    await worker.terminate();
    throw err;
  }
  worker.postMessage({ end: true } satisfies ImportMessage);
  return outcome;
}
