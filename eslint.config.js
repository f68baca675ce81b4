// Lint for the TypeScript sources, tests, benchmarks and scripts: `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
);
