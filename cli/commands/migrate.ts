import type { Command } from 'commander';
import { readServerConfig } from '../io/server_config.js';
import { emit } from '../output.js';

interface MigrateFlags {
  down?: boolean;
  dataDir?: string;
  json?: boolean;
}

/** `seici migrate [--down]`: brings the server's database to the newest schema, or undoes every migration. */
export function register(program: Command): void {
  program
    .command('migrate')
    .description('Migrate the survey server\'s database (SEICI_DATA_DIR or DATABASE_URL) to the newest schema')
    .option('--down', 'undo every migration instead (drops all seici tables and their data)')
    .option('--data-dir <dir>', 'the data directory (default SEICI_DATA_DIR or ./data)')
    .option('--json', 'print one JSON object')
    .action(async (flags: MigrateFlags) => {
      const config = await readServerConfig(flags);
      const { migrateDownAll, migrateToLatest, openDatabase } = await import('../../server/db.js');
      const db = openDatabase(config);
      try {
        const names = flags.down ? await migrateDownAll(db) : await migrateToLatest(db);
        const result = { direction: flags.down ? 'down' : 'up', migrations: names };
        emit(result, Boolean(flags.json), (r) =>
          r.migrations.length === 0 ? 'nothing to do' : `${r.direction === 'down' ? 'undid' : 'applied'}:\n${r.migrations.join('\n')}`,
        );
      } finally {
        await db.destroy();
      }
    });
}
