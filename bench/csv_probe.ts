/**
 * A child process for bench/big_files.ts: reads a respondent CSV's 72 items as numbers and its
 * unit and wave as labels, either with seici's streaming reader or with csv-parse in streaming
 * mode (one array of strings per record, then `Number`), and prints the rows read. Run alone:
 * `node dist/bench/csv_probe.js seici|csv-parse FILE`. Importing it does nothing.
 */
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import { openCsv, readCsv } from '../cli/io/csv.js';

async function withCsvParse(path: string): Promise<number> {
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | null = null;
  let items: number[] = [];
  let capacity = 1 << 16;
  let columns: Float64Array[] = [];
  let rows = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (header === null) {
      header = record;
      items = header.flatMap((h, i) => (h !== 'unit' && h !== 'wave' ? [i] : []));
      columns = items.map(() => new Float64Array(capacity));
      continue;
    }
    if (rows === capacity) {
      capacity *= 2;
      columns = columns.map((c) => {
        const bigger = new Float64Array(capacity);
        bigger.set(c);
        return bigger;
      });
    }
    for (let k = 0; k < items.length; k++) {
      const f = record[items[k]].trim();
      columns[k][rows] = f === '' || f === 'NA' ? NaN : Number(f);
    }
    rows++;
  }
  return rows;
}

function withSeici(path: string): number {
  const items = openCsv(path).columns.filter((h) => h !== 'unit' && h !== 'wave');
  return readCsv(path, { numbers: [{ names: items, argument: '--csv' }], texts: [{ names: ['unit', 'wave'], argument: '--csv' }] }).length;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, path] = process.argv.slice(2);
  const rows = mode === 'csv-parse' ? await withCsvParse(path) : withSeici(path);
  process.stdout.write(`${rows}\n`);
}
