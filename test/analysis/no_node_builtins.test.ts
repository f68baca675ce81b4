import { resolve } from 'node:path';
import { build, type Message } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * analysis/ runs in the browser as well as in Node (the analysis page bundles it for a Web
 * Worker), so nothing it imports, directly or through instrument/, may be a Node built-in.
 * Bundling it for the browser as the page's build does is the check: esbuild cannot resolve a
 * built-in module there and fails naming it. (eslint.config.js also forbids Node-only globals
 * such as process and Buffer in analysis/.)
 */
const root = resolve(__dirname, '../..');

async function bundleForBrowser(contents: string): Promise<{ errors: Message[]; inputs: string[] }> {
  try {
    const result = await build({
      stdin: { contents, resolveDir: root, sourcefile: 'probe.ts', loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    return { errors: result.errors, inputs: Object.keys(result.metafile!.inputs) };
  } catch (err) {
    return { errors: (err as { errors: Message[] }).errors, inputs: [] };
  }
}

describe('analysis/ has no Node-only dependency', () => {
  it('bundles for the browser from analysis/index.ts, reaching only analysis/ and instrument/', async () => {
    const { errors, inputs } = await bundleForBrowser("export * from './analysis/index.js';");
    expect(errors.map((e) => e.text)).toEqual([]);
    const outside = inputs.filter((f) => f !== 'probe.ts' && !/^(analysis|instrument)\//.test(f));
    expect(outside).toEqual([]);
    expect(inputs.filter((f) => f.startsWith('analysis/')).length).toBeGreaterThan(100);
  });

  it('bundles the browser CSV reader and the analyses the page runs', async () => {
    const { errors } = await bundleForBrowser("export * from './web/analyse/compute.js';");
    expect(errors.map((e) => e.text)).toEqual([]);
  });

  it('would fail on a Node built-in (the check can fail)', async () => {
    const { errors } = await bundleForBrowser("import { readFileSync } from 'node:fs'; export * from './analysis/index.js'; export { readFileSync };");
    expect(errors.map((e) => e.text).join('\n')).toMatch(/node:fs/);
  });
});
