/** Shared timing helpers for the benchmarks: repeated measurement and medians. */
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `repeats` times and returns the wall times in milliseconds. */
export async function timeRuns(repeats: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** True when `Rscript` is on the PATH and can load every package named. */
export function rAvailable(packages: readonly string[] = []): boolean {
  const expr = packages.map((p) => `suppressMessages(library(${p}))`).join(';') || 'invisible(0)';
  const r = spawnSync('Rscript', ['-e', expr], { encoding: 'utf8' });
  return r.status === 0;
}
