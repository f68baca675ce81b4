/**
 * Runs the benchmarks: every module in this folder that exports `run(): Promise<string>`
 * (a Markdown section with its medians). `npm run bench` runs them all; `npm run bench -- efa sem`
 * only those named. The sections are printed and written to test-output/bench-latest.md; the
 * numbers worth keeping are recorded by hand in bench/RESULTS.md.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const names = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .map((f) => f.replace(/\.js$/, ''))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();

const unknown = wanted.filter((w) => !names.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`bench: no benchmark named ${unknown.join(', ')}.\n`);
  process.exit(2);
}

const header = `# Benchmark run ${new Date().toISOString()}\n\nNode ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}).\n`;
const sections: string[] = [header];
process.stdout.write(header + '\n');
let failed = false;
for (const name of names) {
  const mod = (await import(pathToFileURL(join(here, `${name}.js`)).href)) as { run?: () => Promise<string> };
  if (typeof mod.run !== 'function') continue;
  process.stdout.write(`## ${name} …\n`);
  try {
    const section = await mod.run();
    sections.push(section);
    process.stdout.write(section + '\n\n');
  } catch (err) {
    failed = true;
    const message = `## ${name}\n\nFAILED: ${(err as Error).message}\n`;
    sections.push(message);
    process.stdout.write(message + '\n');
  }
}
const out = resolve(here, '../../test-output/bench-latest.md');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, sections.join('\n'));
process.stdout.write(`Written to ${out}\n`);
process.exitCode = failed ? 1 : 0;
