import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

/** The R script of every bundle (server/bundles/recompute.R): it recomputes the numbers of checks.json and says whether R agrees. */
export const RECOMPUTE_R: string = readFileSync(join(PROJECT_ROOT, 'server', 'bundles', 'recompute.R'), 'utf8');
