import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { readServerConfig } from '../io/server_config.js';

interface ServeFlags {
  port?: string;
  dataDir?: string;
}

/** `seici serve`: the survey server, as `npm start` runs it (configuration from the environment, flags override). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the survey server (PORT, SEICI_DATA_DIR, DATABASE_URL, SEICI_ADMIN_TOKEN, SEICI_MIN_GROUP, SEICI_PROCESSES, SMTP_*)')
    .option('--port <port>', 'the port to listen on (default PORT or 3000)')
    .option('--data-dir <dir>', 'the data directory for the SQLite database (default SEICI_DATA_DIR or ./data)')
    .action(async (flags: ServeFlags) => {
      const config = await readServerConfig(flags);
      const { ConfigError } = await import('../../server/config.js');
      const { loadResponseKey } = await import('../../server/response_key.js');
      try {
        loadResponseKey(config);
      } catch (err) {
        if (err instanceof ConfigError) throw new InputError('environment', err.message);
        throw err;
      }
      const { runServer } = await import('../../server/cluster.js');
      await runServer(config);
    });
}
