import type { Command } from 'commander';

/** What a command module exports: `register(program)` adds the command with its options and action. */
export type RegisterCommand = (program: Command) => void;

/**
 * One command of `seici`: its name and the one-line summary `seici --help` lists, and the module
 * that registers it in full, imported only when the command runs (or its own help is asked for).
 * So `seici --help` loads no command module, a command loads only its own, and a module that
 * fails to load breaks only its command.
 */
export interface CommandEntry {
  readonly name: string;
  /** The command's description, as its module's `register` gives it (a test keeps the two equal). */
  readonly summary: string;
  readonly load: () => Promise<{ readonly register: RegisterCommand }>;
  /** The command goes on after its action returns (the server); every other command is done then. */
  readonly keepsRunning?: true;
}

/**
 * The command table, in the order `seici --help` lists it. To add a command, write
 * `cli/commands/<name>.ts` exporting `register(program)` and add one line here.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'agreement', summary: 'Within-unit agreement (rwg(j), awg, AD) and ICC(1)/ICC(2) for aggregating a scale to units', load: () => import('./agreement.js') },
  { name: 'score', summary: 'SEI-CI unit scores per wave: cells, dimensions, levers, SEI-CI, z, misalignment, drift, rwg(j)', load: () => import('./score.js') },
  { name: 'screen', summary: 'Careless-response screens per respondent: long strings, intra-individual SD, Mahalanobis distance, completion time', load: () => import('./screen.js') },
  { name: 'simulate', summary: 'Seeded SEI-CI panel from a population model: respondent CSV, item map, and the truth', load: () => import('./simulate.js') },
  { name: 'reliability', summary: 'Item analysis and internal consistency: alpha (raw, standardized, Feldt CI), average r, omega total, item statistics', load: () => import('./reliability.js') },
  { name: 'instrument', summary: 'show, export and compare SEI-CI instrument versions', load: () => import('./instrument.js') },
  { name: 'efa', summary: 'Exploratory factor analysis as psych::fa: loadings, communalities, phi, eigenvalues, KMO, Bartlett, fit, item retention', load: () => import('./efa.js') },
  { name: 'breakpoints', summary: 'Breakpoint signals from coordination events: per-unit period signals, baselines, persistent threshold crossings, change points', load: () => import('./breakpoints.js') },
  { name: 'diagnose', summary: 'Per-unit diagnosis: cells against the organisation, drift of M, breakpoints, and exemplar interventions ranked by evidence', load: () => import('./diagnose.js') },
  { name: 'omega', summary: "Omega hierarchical and total from psych::omega's Schmid-Leiman solution (minres, oblimin, listwise)", load: () => import('./omega.js') },
  { name: 'cfa', summary: 'Confirmatory factor analysis / SEM by maximum likelihood from a lavaan model file', load: () => import('./cfa.js') },
  { name: 'serve', summary: 'Run the survey server (PORT, SEICI_DATA_DIR, DATABASE_URL, SEICI_ADMIN_TOKEN, SEICI_MIN_GROUP, SEICI_PROCESSES, SMTP_*)', load: () => import('./serve.js'), keepsRunning: true },
  { name: 'migrate', summary: "Migrate the survey server's database (SEICI_DATA_DIR or DATABASE_URL) to the newest schema", load: () => import('./migrate.js') },
  { name: 'admin', summary: "Administer the survey server's database (SEICI_DATA_DIR or DATABASE_URL)", load: () => import('./admin.js') },
  { name: 'factors', summary: "How many factors: Horn's parallel analysis (psych::fa.parallel), Velicer's MAP (psych::VSS), item retention", load: () => import('./factors.js') },
  { name: 'invariance', summary: 'Measurement invariance across groups: configural, metric, scalar, strict (lavaan group.equal), LR tests and Chen (2007) decisions', load: () => import('./invariance.js') },
  { name: 'validity', summary: 'Convergent and discriminant validity from a CFA: AVE, composite reliability, HTMT, Fornell-Larcker', load: () => import('./validity.js') },
  { name: 'content-validity', summary: 'expert-panel content validity: I-CVI, S-CVI, Lawshe CVR with exact critical values, item-sort p_sa and c_sv, verdicts', load: () => import('./content_validity.js') },
  { name: 'hypotheses', summary: "Test the SEI model's hypotheses H1–H7 on a unit-wave panel (three-wave design)", load: () => import('./hypotheses.js') },
  { name: 'panel', summary: 'Panel designs: unit fixed effects, difference-in-differences, event study, cross-lagged panel model', load: () => import('./panel.js') },
  { name: 'panel-data', summary: 'The unit-wave research panel from responses, traces and PQ: the file seici hypotheses and seici panel read', load: () => import('./panel_data.js') },
  { name: 'verify', summary: 'Verify a pre-registration receipt (chain, hashes and signatures) without the server', load: () => import('./verify.js') },
  { name: 'bundle', summary: "Write the reproducibility bundle of a stored analysis run: its anonymised data, models, options, results and an R script that checks every number", load: () => import('./bundle.js') },
];
