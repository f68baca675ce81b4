import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, type CommandEntry } from '../../cli/commands/index.js';
import { captureOutput } from '../../cli/output.js';
import { keepsRunning, runCli } from '../../cli/program.js';
import { FIXTURES } from '../helpers/cli.js';

/** Runs the program in-process, capturing what it writes. */
async function run(argv: string[], table: readonly CommandEntry[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  captureOutput((fd, text) => {
    if (fd === 1) stdout += text;
    else stderr += text;
  });
  try {
    const status = await runCli(argv, table);
    return { status, stdout, stderr };
  } finally {
    captureOutput(undefined);
  }
}

afterEach(() => captureOutput(undefined));

describe('the command table', () => {
  it('names each command as its module registers it, with the same description', async () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    for (const entry of commands) {
      const program = new Command('seici');
      (await entry.load()).register(program);
      expect(program.commands.map((c) => c.name()), entry.name).toEqual([entry.name]);
      expect(program.commands[0].description(), entry.name).toBe(entry.summary);
    }
  });

  it('prints the overall help without loading any command module', async () => {
    const loads: string[] = [];
    const table = commands.map((c) => ({ ...c, load: () => (loads.push(c.name), c.load()) }));
    const r = await run(['--help'], table);
    expect(r.status).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(c.name);
    expect(loads).toEqual([]);
  });

  it('loads only the command that runs, and gives its full help', async () => {
    const loads: string[] = [];
    const table = commands.map((c) => ({ ...c, load: () => (loads.push(c.name), c.load()) }));
    const r = await run(['agreement', '--help'], table);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--scale-points <A>');
    expect(loads).toEqual(['agreement']);
    const h = await run(['help', 'score'], table);
    expect(h.stdout).toContain('--map <file>');
  });

  it('keeps working when one command module is broken; that command fails alone, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-broken-'));
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, "import { register as nothing } from './no-such-module.mjs';\nexport const register = nothing;\n");
    const throws = join(dir, 'throws.mjs');
    writeFileSync(throws, "throw new Error('this module is broken');\n");
    const table: CommandEntry[] = [
      ...commands,
      { name: 'broken', summary: 'a module whose import fails', load: () => import(pathToFileURL(broken).href) },
      { name: 'throws', summary: 'a module that throws when loaded', load: () => import(pathToFileURL(throws).href) },
    ];
    const help = await run(['--help'], table);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('broken');

    for (const name of ['broken', 'throws']) {
      const r = await run([name, '--anything'], table);
      expect(r.status, name).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^seici: internal error: the ${name} command cannot be loaded \\(.+\\); the other commands are unaffected\\.\\n$`));
    }

    const csv = resolve(FIXTURES, 'cohesion.csv');
    const ok = await run(['agreement', '--csv', csv, '--items', 'COH01,COH02', '--group', 'UNIT', '--scale-points', '5', '--json'], table);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).n).toBeGreaterThan(0);
  });

  it('lets only the server go on after its command returns: the bin ends every other command at once', () => {
    expect(commands.filter((e) => keepsRunning([e.name])).map((e) => e.name)).toEqual(['serve']);
    expect(keepsRunning(['serve', '--port', '0'])).toBe(true);
    expect(keepsRunning(['efa', '--help'])).toBe(false);
    expect(keepsRunning(['--help'])).toBe(false);
    expect(keepsRunning([])).toBe(false);
  });

  it('still answers an unknown command with exit 2 and one line', async () => {
    const r = await run(['nosuch'], commands);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("seici: unknown command 'nosuch'\n");
  });
});
