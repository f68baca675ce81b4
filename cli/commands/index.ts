import type { Command } from 'commander';
import { register as reliability } from './reliability.js';
import { register as agreement } from './agreement.js';
import { register as score } from './score.js';
import { register as screen } from './screen.js';
import { register as efa } from './efa.js';
import { register as omega } from './omega.js';
import { register as factors } from './factors.js';
import { register as simulate } from './simulate.js';
import { register as instrument } from './instrument.js';
import { register as breakpoints } from './breakpoints.js';
import { register as diagnose } from './diagnose.js';
import { register as cfa } from './cfa.js';
import { register as invariance } from './invariance.js';
import { register as validity } from './validity.js';
import { register as serve } from './serve.js';
import { register as migrate } from './migrate.js';
import { register as admin } from './admin.js';
import { register as contentValidity } from './content_validity.js';
import { register as verify } from './verify.js';

/** Each command module exports one `register(program)`; the program adds them in this order. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [agreement, score, screen, simulate, reliability, instrument, efa, breakpoints, diagnose, omega, cfa, serve, migrate, admin, factors, invariance, validity, contentValidity, verify];
