import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(PROJECT_ROOT, 'test/fixtures');
export const CLI = resolve(PROJECT_ROOT, 'dist/cli/main.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  json: any;
}

/** Runs the built `seici` command (npm test builds it first) in `cwd`. */
export function seici(args: readonly string[], cwd = FIXTURES): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

/** A contract case from test/fixtures/cases: its command split into arguments and R's expected values. */
export function contractCase(name: string): { args: string[]; expected: any } {
  const c = JSON.parse(readFileSync(resolve(FIXTURES, 'cases', `${name}.json`), 'utf8'));
  return { args: splitCommand(c.command), expected: c.expected };
}

function splitCommand(command: string): string[] {
  return command.match(/"[^"]*"|\S+/g)!.map((t) => t.replace(/^"|"$/g, ''));
}

/** What a child process printed and how it ended. */
export interface ChildRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a spawned child's stdout and stderr (both piped) until it closes. */
export function collected(child: ChildProcess): Promise<ChildRun> {
  return new Promise((ok, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', fail);
    child.on('close', (status) => ok({ status, stdout, stderr }));
  });
}
