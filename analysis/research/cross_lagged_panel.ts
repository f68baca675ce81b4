import { InputError } from '../errors.js';
import { fitSem, type SemResult } from '../sem/index.js';
import { requireUniqueUnitWaves, type LongPanel } from './research_panel.js';

export interface CrossLaggedPanelResult extends SemResult {
  /** The lavaan syntax fitted. */
  readonly syntax: string;
  /** The waves in order: k in `<column>_k` is the position in this list (1-based). */
  readonly waves: readonly string[];
  readonly units: number;
}

/**
 * The cross-lagged panel model (CLPM) of x and y over consecutive waves (Finkel, 1995, Causal
 * Analysis with Panel Data; Hamaker, Kuiper & Grasman, 2015, doi:10.1037/a0038889 on its limits):
 * for every wave k > 1, `x_k ~ x_{k-1} + y_{k-1}` and `y_k ~ y_{k-1} + x_{k-1}`, and the x–y
 * covariance within every wave (at wave 1 the covariance of the exogenous pair, later waves the
 * residual covariance). The panel is reshaped to one row per unit with the variables named
 * `<column>_<k>`, k = 1, 2, … in wave order (numeric order when every wave is a number, else the
 * order of first appearance), written as lavaan syntax and fitted by the SEM engine by maximum
 * likelihood, listwise, as `seici cfa` fits it. Wave 1's variances are written out: lavaan frees
 * them anyway once their covariance is written (a variable named in a user `~~` is not a fixed.x
 * covariate), so the model and its fit equal `lavaan::sem()` on the syntax without them.
 */
export function crossLaggedPanel(panel: LongPanel, x: string, y: string): CrossLaggedPanelResult {
  const source = panel.source ?? 'the panel';
  for (const [flag, v] of [['--x', x], ['--y', y]] as const) {
    if (!panel.columns[v]) throw new InputError(flag, `${flag} names column "${v}", which ${source} does not have.`);
  }
  if (x === y) throw new InputError('--x', '--x and --y must name different columns for --model clpm.');
  const first = [...new Set(panel.wave)];
  const waves = first.every((w) => Number.isFinite(Number(w))) ? [...first].sort((a, b) => Number(a) - Number(b)) : first;
  if (waves.length < 2) throw new InputError('--wave', `${source} has ${waves.length} wave; a cross-lagged panel model needs at least 2.`);
  const units = [...new Set(panel.unit)];
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const waveIndex = new Map(waves.map((w, k) => [w, k]));
  const K = waves.length;
  const names = [...waves.map((_, k) => `${x}_${k + 1}`), ...waves.map((_, k) => `${y}_${k + 1}`)];
  const rows = units.map(() => new Array<number>(2 * K).fill(NaN));
  requireUniqueUnitWaves(panel);
  for (let r = 0; r < panel.unit.length; r++) {
    const u = unitIndex.get(panel.unit[r])!;
    const k = waveIndex.get(panel.wave[r])!;
    rows[u][k] = panel.columns[x][r];
    rows[u][K + k] = panel.columns[y][r];
  }
  const v = (name: string, k: number) => `${name}_${k}`;
  const lines: string[] = [];
  for (let k = 2; k <= K; k++) {
    lines.push(`${v(x, k)} ~ ${v(x, k - 1)} + ${v(y, k - 1)}`);
    lines.push(`${v(y, k)} ~ ${v(y, k - 1)} + ${v(x, k - 1)}`);
  }
  lines.push(`${v(x, 1)} ~~ ${v(x, 1)}`, `${v(y, 1)} ~~ ${v(y, 1)}`);
  for (let k = 1; k <= K; k++) lines.push(`${v(x, k)} ~~ ${v(y, k)}`);
  const syntax = lines.join('\n');
  const result = fitSem({ columns: names, rows }, syntax, { missing: 'listwise' });
  const out = { ...result, syntax, waves, units: units.length };
  Object.defineProperty(out, 'internal', { value: result.internal, enumerable: false });
  return out as CrossLaggedPanelResult;
}
