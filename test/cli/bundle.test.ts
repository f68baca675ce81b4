import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index.js';
import { captureOutput } from '../../cli/output.js';
import { runCli } from '../../cli/program.js';
import { collected, FIXTURES, PROJECT_ROOT, type ChildRun } from '../helpers/cli.js';

/** The `seici` bin of package.json: the CommonJS bundle of scripts/build-cli.mjs (`npm test` builds it). */
const BIN = resolve(PROJECT_ROOT, 'dist/seici/main.cjs');

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return collected(spawn(process.execPath, [BIN, ...args], { cwd: FIXTURES, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The files Node loaded (NODE_DEBUG=module), relative to the project, and whether its ES module loader ever spoke. */
function loaded(r: ChildRun): { files: string[]; esm: boolean } {
  const files = [...r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)].map((m) => m[1].replace(`${PROJECT_ROOT}/`, ''));
  return { files, esm: /^ESM \d+:/m.test(r.stderr) };
}

const agreement = ['agreement', '--csv', 'cohesion.csv', '--items', 'COH01,COH02,COH03', '--group', 'UNIT', '--scale-points', '5', '--json'];

describe('the bundled seici (dist/seici)', () => {
  it('--help reads two files, main.cjs and core.cjs, and never starts the ES module loader', async () => {
    const r = await run(['--help'], { NODE_DEBUG: 'module,esm' });
    expect(r.status).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(c.name);
    expect(loaded(r)).toEqual({ files: ['dist/seici/main.cjs', 'dist/seici/core.cjs'], esm: false });
  });

  it('a command reads its own bundle besides those two, and nothing from node_modules', async () => {
    const r = await run(agreement, { NODE_DEBUG: 'module,esm' });
    expect(r.status).toBe(0);
    expect(loaded(r)).toEqual({ files: ['dist/seici/main.cjs', 'dist/seici/core.cjs', 'dist/seici/agreement.cjs'], esm: false });
    expect(JSON.parse(r.stdout).units.length).toBeGreaterThan(0);
  });

  it('writes byte for byte what the program run in-process from the sources writes', async () => {
    const r = await run(agreement);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    let out = '';
    captureOutput((fd, text) => {
      if (fd === 1) out += text;
    });
    try {
      expect(await runCli(agreement.map((a) => (a === 'cohesion.csv' ? resolve(FIXTURES, a) : a)))).toBe(0);
    } finally {
      captureOutput(undefined);
    }
    expect(r.stdout).toBe(out);
  });

  it("loads every command's bundle: each answers --help with its own usage", async () => {
    const failures: string[] = [];
    for (let i = 0; i < commands.length; i += 4) {
      const batch = commands.slice(i, i + 4);
      const runs = await Promise.all(batch.map((c) => run([c.name, '--help'])));
      runs.forEach((r, k) => {
        if (r.status !== 0 || !r.stdout.startsWith(`Usage: seici ${batch[k].name} `)) failures.push(`${batch[k].name}: ${r.status} ${r.stderr.split('\n')[0]}`);
      });
    }
    expect(failures).toEqual([]);
  });
});
