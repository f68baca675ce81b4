import { InputError } from '../../analysis/errors.js';
import type { Config } from '../../server/config.js';

/**
 * The survey server's configuration as `serve`, `migrate` and `admin` read it: the environment,
 * with `--port` / `--data-dir` overriding it. A bad variable is an input error naming it. The
 * server's modules load only here, when a server command runs, so analysis commands start fast.
 */
export async function readServerConfig(flags: { port?: string; dataDir?: string }): Promise<Config> {
  const { ConfigError, readConfig } = await import('../../server/config.js');
  try {
    return readConfig({
      ...process.env,
      ...(flags.port !== undefined ? { PORT: flags.port } : {}),
      ...(flags.dataDir ? { SEICI_DATA_DIR: flags.dataDir } : {}),
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new InputError('environment', err.message);
    throw err;
  }
}
