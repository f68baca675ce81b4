import { Command, CommanderError } from 'commander';
import { InputError } from '../analysis/errors.js';
import { commands, type CommandEntry, type RegisterCommand } from './commands/index.js';
import { MEMORY_LIMIT_ENV, parseSize } from './io/memory_limit.js';
import { writeStderr, writeStdout } from './output.js';

/** Exit statuses of shared/CONTRACT.md: 2 for a usage error or bad input, 1 for an internal failure. */
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 1;

/** The width help is wrapped to: $COLUMNS if set to a sensible number, else 80. */
function helpWidth(): number {
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : 80;
}

/** Thrown inside an action to end with a status after printing `message` on stderr. */
export class ExitError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The `seici` program without commands: name, version, the options every command shares. */
function baseProgram(): Command {
  return new Command('seici')
    .description('SEI Coherence Index: survey platform and psychometrics engine')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--memory-limit <size>', `memory a command may use for its data, e.g. 4GB (default: ${MEMORY_LIMIT_ENV}, else the memory available)`)
    .hook('preAction', (program) => {
      const limit = program.opts<{ memoryLimit?: string }>().memoryLimit;
      if (limit !== undefined) process.env[MEMORY_LIMIT_ENV] = String(parseSize(limit, '--memory-limit'));
    })
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput(output);
}

/**
 * Where commander writes help, version and errors: our own writers (no `process.stdout` stream,
 * see {@link writeStdout}); errors are reported by {@link reportFailure} instead. Help is wrapped
 * at $COLUMNS when the shell exports it, else at 80 columns: asking the terminal its width would
 * load node:tty and with it every stream module, the cost the writers avoid.
 */
const output = {
  writeOut: writeStdout,
  writeErr: writeStderr,
  outputError: () => {},
  getOutHelpWidth: helpWidth,
  getErrHelpWidth: helpWidth,
  // seici's help has no colours of its own to keep or strip
  getOutHasColors: () => false,
  getErrHasColors: () => false,
};

function quiet(program: Command): Command {
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}

/**
 * The program as `seici --help` shows it: every command of `table` by name and summary, none of
 * their modules loaded. Each stands in for its command: it accepts any arguments and, when
 * chosen, reports itself through `chosen`.
 */
export function buildProgram(table: readonly CommandEntry[] = commands, chosen: (entry: CommandEntry) => void = () => {}): Command {
  // Options after a command name belong to that command here (its own `--version` is not the program's);
  // the full program parses them again against the command's definition.
  const program = baseProgram().enablePositionalOptions();
  for (const entry of table) {
    program
      .command(entry.name)
      .description(entry.summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => chosen(entry));
  }
  return quiet(program);
}

/** The program with one command registered in full by its module. */
function fullProgram(entry: CommandEntry, register: RegisterCommand): Command {
  const program = baseProgram();
  register(program);
  const names = program.commands.map((c) => c.name());
  if (names.length !== 1 || names[0] !== entry.name) {
    throw new Error(`the module of command ${entry.name} registered ${names.length === 0 ? 'nothing' : names.join(', ')}`);
  }
  return quiet(program);
}

/**
 * Runs the program on `argv` (without node and script) and returns the exit status. Commander
 * first finds the command among the table's stand-ins (or prints the overall help, the version
 * or a usage error); then only that command's module is imported and the arguments are parsed
 * again against its full definition. A module that cannot be loaded fails its own command
 * (status 1, one line) and no other.
 */
export async function runCli(argv: readonly string[], table: readonly CommandEntry[] = commands): Promise<number> {
  // `seici help <command>` is `seici <command> --help`, so that the help comes from the full definition
  if (argv[0] === 'help' && argv.length === 2 && table.some((e) => e.name === argv[1])) argv = [argv[1], '--help'];
  // a command's name first (the usual call) chooses it as the stand-ins would; anything else
  // (program options, a misspelt or missing command, --help, --version) goes through them
  let chosen: CommandEntry | undefined = table.find((e) => e.name === argv[0]);
  try {
    if (chosen === undefined) await buildProgram(table, (entry) => (chosen = entry)).parseAsync(argv as string[], { from: 'user' });
    if (chosen === undefined) return 0;
    const entry: CommandEntry = chosen;
    let program: Command;
    try {
      program = fullProgram(entry, (await entry.load()).register);
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new ExitError(EXIT_INTERNAL, `internal error: the ${entry.name} command cannot be loaded (${why}); the other commands are unaffected.`);
    }
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    return reportFailure(err);
  }
}

/** True when `argv` runs a command that goes on after runCli resolves (`seici serve`). */
export function keepsRunning(argv: readonly string[], table: readonly CommandEntry[] = commands): boolean {
  return table.find((e) => e.name === argv[0])?.keepsRunning === true;
}

function reportFailure(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
    writeStderr(`seici: ${err.message.replace(/^error: /, '')}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof InputError) {
    writeStderr(`seici: ${err.message}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof ExitError) {
    writeStderr(`seici: ${err.message}\n`);
    return err.status;
  }
  const message = err instanceof Error ? err.message : String(err);
  writeStderr(`seici: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.SEICI_DEBUG) writeStderr(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}
