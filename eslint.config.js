import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'scripts/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test registers these synchronously; their returned promises are the runner's business.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Migrations are frozen in time and take Kysely<any>, not today's table types.
    files: ['src/db/migrations/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Imports point down only: server → app → modules → plugins → db/lib → config/errors (see docs/architecture.md).
  // scripts/check-imports.mjs checks the same from the import graph, plus cycles and file sizes.
  {
    files: ['src/plugins/**/*.ts', 'src/db/**/*.ts', 'src/lib/**/*.ts', 'src/config.ts', 'src/errors.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)modules/', message: 'Plumbing never imports a feature: app.ts hands a plugin what it needs.' },
            { regex: '(^|/)(app|server)\\.js$', message: 'Imports point down only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts', 'src/lib/**/*.ts', 'src/config.ts', 'src/errors.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)(modules|plugins)/', message: 'db/ and lib/ sit below plugins and modules.' },
            { regex: '(^|/)(app|server)\\.js$', message: 'Imports point down only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)',
              message: 'Another module is imported only through its index.ts.',
            },
            { regex: '^\\.\\./\\.\\./(app|server)\\.js$', message: 'Imports point down only.' },
          ],
        },
      ],
    },
  },
)
