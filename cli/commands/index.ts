import type { Command } from 'commander';

/** Each command module exports one `register(program)`; the program adds them in this order. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
