/** Shared timing helpers for the benchmarks: repeated measurement and medians. */
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';

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

/** One whole-process run: wall time, CPU time (user + system) and peak resident memory, and its output. */
export interface ProcessTiming {
  /** Wall-clock milliseconds. */
  readonly wall: number;
  /** User + system CPU milliseconds of the process (NaN without /usr/bin/time). */
  readonly cpu: number;
  /** Peak resident set size in bytes (NaN without /usr/bin/time). */
  readonly peak: number;
  readonly stdout: string;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * The environment of every process a benchmark measures: this process's, without
 * NODE_EXTRA_CA_CERTS. With that variable set, Node reads and parses the whole certificate bundle it
 * names as it starts, before any script runs (≈ 45 ms of CPU per process with Debian's bundle on the
 * development machine, whose sandbox sets it); a fresh machine does not set it and no command the
 * benchmarks time opens a TLS connection. big_files.ts reports start-up with and without it.
 */
export const CHILD_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/** Runs a command to completion under /usr/bin/time (when there) and measures it; throws when it fails. */
export function timedProcess(cmd: string, args: readonly string[]): ProcessTiming {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'SEICI_TIME %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: CHILD_ENV })
    : spawnSync(cmd, [...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: CHILD_ENV });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.split('\n')[0]}`);
  const m = /SEICI_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, peak: m ? Number(m[3]) * 1024 : NaN, stdout: r.stdout };
}

/** Medians of wall, CPU and peak memory, and the output of the last run. */
export function medianTiming(runs: readonly ProcessTiming[]): ProcessTiming {
  return {
    wall: median(runs.map((x) => x.wall)),
    cpu: median(runs.map((x) => x.cpu)),
    peak: median(runs.map((x) => x.peak)),
    stdout: runs[runs.length - 1].stdout,
  };
}

/**
 * `repeats` runs of `ours` and, when given, of `theirs`, alternating run by run so that a change in
 * the machine's load during the benchmark affects both sides alike; their medians.
 */
export function interleaved(repeats: number, ours: () => ProcessTiming, theirs?: () => ProcessTiming): { ours: ProcessTiming; theirs: ProcessTiming | null } {
  const a: ProcessTiming[] = [];
  const b: ProcessTiming[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(ours());
    if (theirs) b.push(theirs());
  }
  return { ours: medianTiming(a), theirs: theirs ? medianTiming(b) : null };
}

/** The machine's load averages (1, 5, 15 minutes) as text, for the record next to the times. */
export function loadAverage(): string {
  return loadavg().map((v) => v.toFixed(1)).join(' / ');
}
