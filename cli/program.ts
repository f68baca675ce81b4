import { Command, CommanderError } from 'commander';
import { InputError } from '../analysis/errors.js';
import { commands } from './commands/index.js';

/** Exit statuses of shared/CONTRACT.md: 2 for a usage error or bad input, 1 for an internal failure. */
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 1;

/** Thrown inside an action to end with a status after printing `message` on stderr. */
export class ExitError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Builds the `seici` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('seici')
    .description('SEI Coherence Index: survey platform and psychometrics engine')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => {} });
  for (const register of commands) register(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}

/** Runs the program on `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    return reportFailure(err);
  }
}

function reportFailure(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
    process.stderr.write(`seici: ${err.message.replace(/^error: /, '')}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof InputError) {
    process.stderr.write(`seici: ${err.message}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof ExitError) {
    process.stderr.write(`seici: ${err.message}\n`);
    return err.status;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`seici: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.SEICI_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}
