import type { Command } from 'commander';
import type { Services } from '../../server/services.js';
import { InputError } from '../../analysis/errors.js';
import { parseNumber } from '../io/args.js';
import { readServerConfig } from '../io/server_config.js';
import { emit, table } from '../output.js';

interface StoreFlags {
  dataDir?: string;
  json?: boolean;
}

/** Opens the configured database (migrating it), runs `action` with the server's services, and closes it. */
async function withServices<T>(flags: StoreFlags, action: (s: Services, handlers: typeof import('../../server/handlers/admin.js')) => Promise<T>): Promise<T> {
  // The server's modules load only when an admin command runs, so analysis commands start fast.
  const { createApp } = await import('../../server/app.js');
  const { migrateToLatest, openDatabase } = await import('../../server/db.js');
  const { HttpError } = await import('../../server/errors.js');
  const handlers = await import('../../server/handlers/admin.js');
  const config = await readServerConfig(flags);
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    return await action(createApp({ db, config }).services, handlers);
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) throw new InputError('id', err.message);
    throw err;
  } finally {
    await db.destroy();
  }
}

/** `seici admin create-token|list-tokens|revoke-token`: admin bearer tokens, stored hashed in the server's database. */
export function register(program: Command): void {
  const admin = program.command('admin').description('Administer the survey server\'s database (SEICI_DATA_DIR or DATABASE_URL)');
  admin
    .command('create-token')
    .description('Create a named admin bearer token; prints it once (only its hash is stored)')
    .requiredOption('--name <name>', 'a name for the token, shown in the audit log')
    .option('--data-dir <dir>', 'the data directory (default SEICI_DATA_DIR or ./data)')
    .option('--json', 'print one JSON object')
    .action(async (flags: StoreFlags & { name: string }) => {
      const name = flags.name.trim();
      if (name.length === 0 || name.length > 100) throw new InputError('name', '--name must have 1 to 100 characters.');
      const created = await withServices(flags, (s, h) => h.createAdminToken(s, 'cli', name));
      emit(created, Boolean(flags.json), (t) => `${t.token}\n(admin token "${t.name}", id ${t.id}; it is shown only now)`);
    });
  admin
    .command('list-tokens')
    .description('List admin tokens (names and dates; the tokens themselves are not stored)')
    .option('--data-dir <dir>', 'the data directory (default SEICI_DATA_DIR or ./data)')
    .option('--json', 'print one JSON object')
    .action(async (flags: StoreFlags) => {
      const tokens = await withServices(flags, (s, h) => h.listTokens(s));
      emit({ tokens }, Boolean(flags.json), (r) => table(['id', 'name', 'created', 'revoked'], r.tokens.map((t: { id: number; name: string; createdAt: string; revokedAt: string | null }) => [t.id, t.name, t.createdAt, t.revokedAt ?? ''])));
    });
  admin
    .command('revoke-token')
    .description('Revoke an admin token by id')
    .requiredOption('--id <id>', 'the token\'s id (from list-tokens)')
    .option('--data-dir <dir>', 'the data directory (default SEICI_DATA_DIR or ./data)')
    .option('--json', 'print one JSON object')
    .action(async (flags: StoreFlags & { id: string }) => {
      const id = parseNumber(flags.id, '--id', { integer: true, min: 1 });
      const revoked = await withServices(flags, (s, h) => h.revokeToken(s, 'cli', id));
      emit(revoked, Boolean(flags.json), (t) => `revoked admin token "${t.name}" (id ${t.id})`);
    });
}
