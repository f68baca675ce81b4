import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'seici-memory-'));
const ROWS = 100_000;
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9', 'i10'];
const lines = [['unit', ...ITEMS].join(',')];
for (let r = 0; r < ROWS; r++) lines.push([`u${r % 500}`, ...ITEMS.map((_, j) => 1 + ((r * 7 + j * 3) % 5))].join(','));
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
