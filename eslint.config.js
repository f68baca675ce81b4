// Lint for the TypeScript sources, tests, benchmarks and scripts: `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-output/', 'test/fixtures/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a deliberately unused binding: an Express error handler's
      // fourth parameter, or a field destructured away to omit it from a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read R's fixtures and CLI --json output, parsed JSON of many shapes, and index it freely.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The respondent page's and the console's scripts run in the browser, with SurveyJS loaded before them.
    files: ['views/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Survey: 'readonly', SurveyUI: 'readonly' } },
  },
  {
    // The browser analysis page (web/analyse/): its main thread and its Web Worker.
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    // analysis/ is a library that runs in Node and in the browser (the analysis page bundles it):
    // no Node built-in module and no Node-only global. test/analysis/no_node_builtins.test.ts checks the same by bundling.
    files: ['analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: `^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`, message: 'analysis/ runs in the browser too: no Node built-in modules.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({ name, message: 'analysis/ runs in the browser too: no Node-only globals.' })),
      ],
    },
  },
);
