import type { Command } from 'commander';
import { readServerConfig } from '../io/server_config.js';

interface ServeFlags {
  port?: string;
  dataDir?: string;
}

/** `seici serve`: the survey server, as `npm start` runs it (configuration from the environment, flags override). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the survey server (PORT, SEICI_DATA_DIR, DATABASE_URL, SEICI_ADMIN_TOKEN, SEICI_MIN_GROUP, SMTP_*)')
    .option('--port <port>', 'the port to listen on (default PORT or 3000)')
    .option('--data-dir <dir>', 'the data directory for the SQLite database (default SEICI_DATA_DIR or ./data)')
    .action(async (flags: ServeFlags) => {
      const config = await readServerConfig(flags);
      const { startServer } = await import('../../server/start.js');
      const running = await startServer(config);
      await new Promise<void>((resolve) => {
        const stop = () => running.close().then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
