import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'seici-memory-'));
const ROWS = 100_000;
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9', 'i10'];
const lines = [['unit', ...ITEMS].join(',')];
for (let r = 0; r < ROWS; r++) lines.push([`u${r % 500}`, ...ITEMS.map((_, j) => 1 + ((r * 7 + j * 3) % 5))].join(','));
// the same respondents with a wave column, for the commands that need one (agreement's file stays as it was)
const waved = join(dir, 'panel.csv');
writeFileSync(waved, ['unit,wave,' + ITEMS.join(','), ...lines.slice(1).map((l, r) => l.replace(',', `,W${1 + (r % 3)},`))].join('\n') + '\n');
const map = join(dir, 'map.json');
const CELL_NAMES = ['SxA', 'SxC', 'SxV', 'RxA', 'RxC', 'RxV', 'TxA', 'TxC', 'TxV'];
writeFileSync(map, JSON.stringify({ scaleMin: 1, scaleMax: 5, items: Object.fromEntries(ITEMS.map((name, j) => [name, { cell: CELL_NAMES[j % 9], reverse: false }])) }));
const model = join(dir, 'model.lav');
writeFileSync(model, 'f =~ i1 + i2 + i3 + i4\n');
const twoLevel = join(dir, 'two_level.lav');
writeFileSync(twoLevel, 'level: 1\nfw =~ i1 + i2 + i3\nlevel: 2\nfb =~ i1 + i2 + i3\n');
const ratings = join(dir, 'ratings.csv');
writeFileSync(ratings, ['expert,item,relevance', ...Array.from({ length: ROWS }, (_, r) => `E${r % 400},i${1 + (r % 10)},${1 + (r % 4)}`)].join('\n') + '\n');
const csv = join(dir, 'respondents.csv');
writeFileSync(csv, lines.join('\n') + '\n');
const args = [CLI, 'agreement', '--csv', csv, '--items', ITEMS.join(','), '--group', 'unit', '--scale-points', '5', '--json'];

function seici(extra: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...args, ...extra], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a file larger than the memory limit', () => {
  // (10 items × 8 + 4 for the unit) × 1.5 = 126 bytes a row beyond the fixed 200 MB: 5 MB more hold 41,610 rows
  // (the line count, 100,001 with the header, bounds the rows before they are read)
  const sentence = new RegExp(
    `^seici: --csv ${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is too large: its up to 100,001 rows × 11 columns need about 212 MB, ` +
      `but the memory limit \\(SEICI_MEMORY_LIMIT or --memory-limit\\) is 205 MB, enough for about 41,610 rows\\.\\n$`,
  );

  it('is refused with exit 2 and one sentence (SEICI_MEMORY_LIMIT)', () => {
    const r = seici([], { SEICI_MEMORY_LIMIT: '205MB' });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(sentence);
    expect(r.status).toBe(2);
  });

  it('is refused the same way with --memory-limit, and read once the limit allows it', () => {
    const r = seici(['--memory-limit', '205MB']);
    expect(r.stderr).toMatch(sentence);
    expect(r.status).toBe(2);
    const ok = seici(['--memory-limit', '215MB']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).n).toBe(ROWS);
  });

  it('a limit that is not a size is a usage error naming it', () => {
    const r = seici([], { SEICI_MEMORY_LIMIT: 'plenty' });
    expect(r.stderr).toBe('seici: SEICI_MEMORY_LIMIT must be a size such as 2GB, 500MB or a number of bytes; got "plenty".\n');
    expect(r.status).toBe(2);
  });
});

/** Runs seici without blocking the test worker (a loaded machine may take seconds per command). */
function seiciAsync(argv: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...argv], { encoding: 'utf8', env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('every command that reads a CSV checks the memory limit before reading it', () => {
  // 200.5 MB leaves less than a row's worth of columns beyond the fixed 200 MB for 100,000 rows,
  // even for the command that reads fewest columns (hypotheses: unit and wave only, 12 bytes a row)
  const limit = { SEICI_MEMORY_LIMIT: '200.5MB' };
  const items = ITEMS.join(',');
  const cases: [string, string, string[]][] = [
    ['reliability', csv, ['reliability', '--csv', csv, '--items', items]],
    ['efa', csv, ['efa', '--csv', csv, '--items', items, '--nfactors', '1']],
    ['omega', csv, ['omega', '--csv', csv, '--items', items, '--nfactors', '1']],
    ['factors', csv, ['factors', '--csv', csv, '--items', items]],
    ['screen', csv, ['screen', '--csv', csv, '--items', items]],
    ['cfa', csv, ['cfa', '--csv', csv, '--model', model]],
    ['cfa --cluster', csv, ['cfa', '--csv', csv, '--model', twoLevel, '--cluster', 'unit']],
    ['invariance', waved, ['invariance', '--csv', waved, '--model', model, '--group', 'wave']],
    ['validity', csv, ['validity', '--csv', csv, '--model', model]],
    ['score', waved, ['score', '--csv', waved, '--map', map, '--unit', 'unit', '--wave', 'wave']],
    ['diagnose', waved, ['diagnose', '--csv', waved, '--map', map, '--unit', 'unit', '--wave', 'wave']],
    ['panel-data', waved, ['panel-data', '--csv', waved, '--map', map, '--unit', 'unit', '--wave', 'wave']],
    ['panel', waved, ['panel', '--csv', waved, '--unit', 'unit', '--wave', 'wave', '--model', 'fe', '--y', 'i1', '--x', 'i2']],
    ['hypotheses', waved, ['hypotheses', '--csv', waved, '--unit', 'unit', '--wave', 'wave']],
    ['content-validity', ratings, ['content-validity', '--csv', ratings, '--map', map]],
  ];
  for (const [name, file, argv] of cases) {
    it(`${name}: exit 2 and one sentence that says what would fit`, async () => {
      const r = await seiciAsync([...argv, '--json'], limit);
      expect(r.stdout).toBe('');
      const path = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(r.stderr).toMatch(new RegExp(`^seici: --csv ${path} is too large: its up to 100,001 rows × \\d+ columns? need about [\\d,.]+ MB, but the memory limit \\(SEICI_MEMORY_LIMIT or --memory-limit\\) is 201 MB, enough for about [\\d,]+ rows\\.\\n$`));
      expect(r.status).toBe(2);
    }, 60_000);
  }
});
