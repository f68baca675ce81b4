import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the throwaway PostgreSQL server, or '' when PostgreSQL is not installed. */
    postgresUrl: string;
    /** Why there is no PostgreSQL server, when postgresUrl is ''. */
    postgresSkipReason: string;
    /** Set when PostgreSQL is installed but could not be started: its suites then fail with this message. */
    postgresError: string;
  }
}

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Vitest global setup: starts a throwaway PostgreSQL server for the server tests (initdb into a
 * temporary directory, pg_ctl start on a free loopback port; as the `postgres` OS user when
 * the tests run as root, since PostgreSQL refuses to run as root) and stops it afterwards.
 * Tests read its URL with `inject('postgresUrl')`; without PostgreSQL installed it is '' and
 * the PostgreSQL suites skip with the reason in `postgresSkipReason`.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const bin = postgresBin();
  if (!bin) {
    project.provide('postgresUrl', '');
    project.provide('postgresSkipReason', 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl); `.ci/run` installs it with apt-get.');
    project.provide('postgresError', '');
    return undefined;
  }
  try {
    return await startPostgres(project, bin);
  } catch (err) {
    // Installed but not startable: the PostgreSQL suites fail with this reason; the others run.
    project.provide('postgresUrl', '');
    project.provide('postgresSkipReason', '');
    project.provide('postgresError', `PostgreSQL is installed but could not be started: ${(err as Error).message}`);
    return undefined;
  }
}

async function startPostgres(project: TestProject, bin: string): Promise<() => void> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'seici-pg-'));
  const data = join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : join(bin, cmd), argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  run('pg_ctl', [
    '-D', data,
    '-l', join(dir, 'server.log'),
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    '-w', 'start',
  ]);
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  project.provide('postgresSkipReason', '');
  project.provide('postgresError', '');
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
