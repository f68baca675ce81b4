import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';

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
      const { ConfigError, readConfig } = await import('../../server/config.js');
      const { startServer } = await import('../../server/start.js');
      let config;
      try {
        config = readConfig({
          ...process.env,
          ...(flags.port !== undefined ? { PORT: flags.port } : {}),
          ...(flags.dataDir ? { SEICI_DATA_DIR: flags.dataDir } : {}),
        });
      } catch (err) {
        if (err instanceof ConfigError) throw new InputError('environment', err.message);
        throw err;
      }
      const running = await startServer(config);
      await new Promise<void>((resolve) => {
        const stop = () => running.close().then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
