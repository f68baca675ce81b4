/**
 * A caller's mistake: the input does not meet an analysis's preconditions.
 * The message is one readable sentence that names the argument at fault
 * (`items must name at least 2 columns; got 1.`). Numerical trouble is never an
 * InputError: it goes to a result's `diagnostics`.
 */
export class InputError extends Error {
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.argument = argument;
  }
}

/** Throws an InputError for `argument` unless `condition` holds. */
export function requireInput(condition: unknown, argument: string, message: string): asserts condition {
  if (!condition) throw new InputError(argument, message);
}
