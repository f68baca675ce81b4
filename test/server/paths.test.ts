import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledModule, packageDir, PROJECT_ROOT, VIEWS_DIR } from '../../server/paths.js';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('server/paths finds the project and its worker modules', () => {
  it('the root is the folder of seici\'s package.json, with its views and node_modules', () => {
    expect(PROJECT_ROOT).toBe(repository);
    expect((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string }).name).toBe('seici');
    expect(existsSync(join(VIEWS_DIR, 'console'))).toBe(true);
    expect(existsSync(join(packageDir('survey-core'), 'package.json'))).toBe(true);
  });

  it("worker modules are tsc's output under dist/server, whoever asks", () => {
    expect(compiledModule('queries/sqlite_writer_thread.ts')).toBe(join(repository, 'dist', 'server', 'queries', 'sqlite_writer_thread.js'));
    // npm test builds before the tests run
    expect(existsSync(compiledModule('queries/sqlite_writer_thread.ts'))).toBe(true);
    expect(existsSync(compiledModule('jobs/analysis_worker.ts'))).toBe(true);
  });
});
