import { parse as csvParser } from 'csv-parse';
import { iso } from '../clock.js';
import type { Db } from '../db.js';
import { echo, HttpError } from '../errors.js';
import { audit } from '../handlers/audit.js';
import { findUnitsByKeys, listUnits, type UnitRecord } from '../queries/units.js';
import { UnitCreate } from '../schemas.js';
import type { Services } from '../services.js';
import { describeIssue } from '../validation.js';

const KNOWN_COLUMNS = new Set(['key', 'name', 'parentKey', 'parent_key', 'context']);

/** Rows written per transaction: small enough that an answer waiting for the store waits a few milliseconds, not the whole import. */
const ROWS_PER_TRANSACTION = 200;
/** Characters of CSV parsed, or rows validated, between two turns of the event loop. */
const PARSE_SLICE = 64 * 1024;
const VALIDATE_SLICE = 1000;

/** Lets the event loop serve other requests (answers) between two slices of an import. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

interface ImportRow {
  readonly line: number;
  readonly key: string;
  readonly name: string;
  readonly parentKey?: string;
  readonly context: string | null;
  readonly attributes: Record<string, unknown>;
}

/**
 * Reads CSV text into rows of cells, a slice at a time with the streaming csv-parse, so that a
 * 5 MB file never holds the event loop for long. Refuses a header that names a column twice.
 */
async function readCsv(csv: string): Promise<{ header: string[]; rows: string[][] }> {
  const parser = csvParser({ skip_empty_lines: true, trim: true, bom: true });
  const rows: string[][] = [];
  const done = new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      let record: string[] | null;
      while ((record = parser.read()) !== null) rows.push(record);
    });
    parser.on('error', reject);
    parser.on('end', () => resolve());
  });
  done.catch(() => undefined);
  for (let i = 0; i < csv.length; ) {
    let end = Math.min(csv.length, i + PARSE_SLICE);
    // Never cut a surrogate pair in two.
    if (end < csv.length && /[\ud800-\udbff]/.test(csv[end - 1])) end++;
    parser.write(csv.slice(i, end));
    i = end;
    await breathe();
  }
  parser.end();
  try {
    await done;
  } catch (err) {
    throw new HttpError(400, `The CSV could not be read: ${(err as Error).message.split('\n')[0].slice(0, 200)}`);
  }
  const [header, ...body] = rows;
  if (!header) throw new HttpError(400, 'The CSV has no unit rows; it needs a header row with key and name, then one row per unit.');
  const seen = new Map<string, number>();
  header.forEach((column, i) => {
    if (seen.has(column)) throw new HttpError(400, `The CSV header names the column ${echo(column)} twice (columns ${seen.get(column)! + 1} and ${i + 1}); each column needs its own name.`);
    seen.set(column, i);
  });
  return { header, rows: body };
}

/** Checks every row (a unit's fields, unique keys) before anything is stored; the first bad row is named by its line. */
async function checkRows(header: string[], cells: string[][]): Promise<ImportRow[]> {
  if (cells.length === 0) throw new HttpError(400, 'The CSV has no unit rows; it needs a header row with key and name, then one row per unit.');
  for (const required of ['key', 'name']) {
    if (!header.includes(required)) {
      const columns = header.join(', ');
      throw new HttpError(400, `The CSV has no "${required}" column; its columns are ${columns.length > 80 ? `${columns.slice(0, 79)}…` : columns}.`);
    }
  }
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    if (i % VALIDATE_SLICE === VALIDATE_SLICE - 1) await breathe();
    const line = i + 2;
    const record: Record<string, string> = Object.create(null);
    header.forEach((column, c) => {
      record[column] = cells[i][c] ?? '';
    });
    const attributes: Record<string, string> = Object.create(null);
    for (const column of header) {
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
    rows.push({ line, key: unit.key, name: unit.name, parentKey: unit.parentKey, context: unit.context ?? null, attributes: unit.attributes ?? {} });
  }
  return rows;
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
  for (const row of rows) {
    if (row.parentKey !== undefined && !parentOf.has(row.parentKey)) {
      throw new HttpError(400, `Line ${row.line}: parentKey names no unit: ${echo(row.parentKey)}.`);
    }
  }
  for (const row of rows) {
    const chain = new Set<string>([row.key]);
    for (let at = parentOf.get(row.key) ?? null; at !== null; at = parentOf.get(at) ?? null) {
      if (chain.has(at)) throw new HttpError(400, `Line ${row.line}: parentKey ${echo(row.parentKey ?? '')} would make unit ${echo(row.key)} its own ancestor.`);
      chain.add(at);
    }
  }
}

async function writeChunk(trx: Db, chunk: readonly ImportRow[], ids: Map<string, number>, now: string): Promise<{ created: number; updated: number }> {
  const fresh = chunk.filter((r) => !ids.has(r.key));
  let created = 0;
  let updated = 0;
  if (fresh.length > 0) {
    const inserted = await trx('units')
      .insert(fresh.map((r) => ({ key: r.key, name: r.name, parent_id: null, context: r.context, attributes: JSON.stringify(r.attributes), created_at: now })))
      .returning(['id', 'key']);
    for (const row of inserted as { id: number; key: string }[]) ids.set(row.key, Number(row.id));
    created = fresh.length;
  }
  for (const r of chunk) {
    if (fresh.includes(r)) continue;
    await trx('units').where({ id: ids.get(r.key)! }).update({ name: r.name, context: r.context, attributes: JSON.stringify(r.attributes) });
    updated++;
  }
  return { created, updated };
}

/**
 * Creates or updates units from CSV: columns `key`, `name`, optional `parentKey` (or
 * `parent_key`) and `context`; every other column becomes an attribute (empty cells are left
 * out). Parents may be defined anywhere in the file.
 *
 * The whole file is read and checked first (each row, unique keys, a header without repeated
 * names, the resulting hierarchy); the first bad row is reported by its line number and nothing
 * is stored. Only then is it written, in transactions of ROWS_PER_TRANSACTION rows with a turn
 * of the event loop between them, so that answers submitted meanwhile wait for one small
 * transaction rather than the whole import (SQLite has one writer; before, a 4.8 MB import held
 * answers for 39 s). Should the store fail midway, the rows written so far stay, and the same
 * file can be imported again: an import creates or updates by key.
 */
export async function importUnits(s: Services, actor: string, csv: string): Promise<{ created: number; updated: number; units: UnitRecord[] }> {
  const { header, rows: cells } = await readCsv(csv);
  const rows = await checkRows(header, cells);
  const stored = await listUnits(s.db);
  checkHierarchy(rows, stored);
  const ids = new Map(stored.map((u) => [u.key, u.id]));
  const now = iso(s.clock());
  let created = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
    const chunk = rows.slice(i, i + ROWS_PER_TRANSACTION);
    const written = await s.db.transaction((trx) => writeChunk(trx, chunk, ids, now));
    created += written.created;
    updated += written.updated;
    await breathe();
  }
  const parented = rows.filter((r) => r.parentKey !== undefined);
  for (let i = 0; i < parented.length; i += ROWS_PER_TRANSACTION) {
    const chunk = parented.slice(i, i + ROWS_PER_TRANSACTION);
    await s.db.transaction(async (trx) => {
      for (const r of chunk) await trx('units').where({ id: ids.get(r.key)! }).update({ parent_id: ids.get(r.parentKey!)! });
    });
    await breathe();
  }
  await audit(s, actor, 'unit.import', null, { created, updated, rows: rows.length, keys: rows.slice(0, 100).map((r) => r.key) });
  const units: UnitRecord[] = [];
  const keys = rows.map((r) => r.key);
  for (let i = 0; i < keys.length; i += 500) {
    units.push(...(await findUnitsByKeys(s.db, keys.slice(i, i + 500))));
    await breathe();
  }
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { created, updated, units };
}
