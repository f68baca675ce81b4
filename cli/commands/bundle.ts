import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { parseNumber } from '../io/args.js';
import { readServerConfig } from '../io/server_config.js';
import { emit } from '../output.js';

interface BundleFlags {
  out?: string;
  dataDir?: string;
  json?: boolean;
}

/**
 * `seici bundle ANALYSIS_ID [--out FILE]`: writes the reproducibility bundle of a stored analysis
 * run (the same archive as `GET /api/v1/analyses/:id/bundle`) from the server's database
 * (SEICI_DATA_DIR or DATABASE_URL). An unknown, unfinished or unbundlable run exits 2 with the
 * server's sentence; the file appears whole or not at all (written aside, then renamed).
 */
export function register(program: Command): void {
  program
    .command('bundle')
    .description("Write the reproducibility bundle of a stored analysis run: its anonymised data, models, options, results and an R script that checks every number")
    .argument('<analysis>', 'the analysis run\'s id (GET /api/v1/waves/:id/analyses lists them)')
    .option('--out <file>', 'the archive to write (default seici-analysis-<id>.tar.gz)')
    .option('--data-dir <dir>', 'the data directory (default SEICI_DATA_DIR or ./data)')
    .option('--json', 'print one JSON object')
    .action(async (analysis: string, flags: BundleFlags) => {
      const id = parseNumber(analysis, 'analysis', { integer: true, min: 1 });
      const { createApp } = await import('../../server/app.js');
      const { migrateToLatest, openDatabase } = await import('../../server/db.js');
      const { HttpError } = await import('../../server/errors.js');
      const { buildAnalysisBundle } = await import('../../server/bundles/build_bundle.js');
      const config = await readServerConfig(flags);
      const db = openDatabase(config);
      let bundle;
      try {
        await migrateToLatest(db);
        bundle = await buildAnalysisBundle(createApp({ db, config }).services, id);
      } catch (err) {
        if (err instanceof HttpError && err.status < 500) throw new InputError('analysis', err.message);
        throw err;
      } finally {
        await db.destroy();
      }
      const out = resolve(flags.out ?? bundle.filename);
      const partial = `${out}.partial-${process.pid}`;
      try {
        writeFileSync(partial, bundle.archive);
        renameSync(partial, out);
      } catch (err) {
        throw new InputError('out', `--out ${out} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
      }
      emit({ analysis: id, file: out, bytes: bundle.archive.length, files: bundle.manifest }, Boolean(flags.json), (r) =>
        `wrote ${r.file} (${r.bytes} bytes, ${Object.keys(r.files).length + 1} files); check it with: tar xzf ${r.file} && Rscript ${bundle.filename.replace(/\.tar\.gz$/, '')}/recompute.R`,
      );
    });
}
