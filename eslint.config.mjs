import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// Which way imports go (README, "Layout"). Each zone: files under `target` may not import `from`.
const zone = {
  sandboxFromServer: {
    target: './sandbox',
    from: './server',
    message: 'sandbox/ plays the outside world: it imports nothing from server/.',
  },
  serverFromSandbox: {
    target: './server',
    from: './sandbox',
    message: 'server/ imports sandbox/ only from tests and benchmarks.',
  },
  libFromOurs: {
    target: './lib',
    from: ['./app', './components', './server', './sandbox', './scripts', './prisma', './test', './e2e', './env.ts'],
    message: 'lib/ is pure code for browser and server: it imports nothing of ours.',
  },
  appFromServer: {
    target: './app',
    from: './server',
    except: ['./api', './auth'],
    message: 'app/ reaches the server only through auth and the tRPC server caller.',
  },
  apiFromConnectorsOrDb: {
    target: './server/api',
    from: ['./server/connectors', './server/db'],
    message: 'Procedures call services: they never reach connectors or Prisma directly.',
  },
  servicesFromApi: {
    target: ['./server/services', './server/sync'],
    from: './server/api',
    message: 'Services and the sync engine run in the worker too: they never import server/api.',
  },
};
const allZones = Object.values(zone);

const config = [
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.data/**',
      'server/db/generated/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      // Deliberately wrong code that test/import-rules.test.ts lints.
      'test/fixtures/**',
    ],
  },
  ...nextVitals,
  ...nextTypescript,
  {
    // The cycle check reads every module a file imports; the generated Prisma client imports
    // nothing of ours, and reading its large files took most of the lint's time.
    settings: { 'import/ignore': ['node_modules', 'server/db/generated'] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through env.ts.' },
      ],
      'import/no-restricted-paths': ['error', { zones: allZones }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/*.test.ts', 'server/**/bench/**', 'test/**'],
    rules: {
      // Tests also set up and inspect the database and the sandbox directly.
      'import/no-restricted-paths': [
        'error',
        { zones: allZones.filter((z) => z !== zone.serverFromSandbox && z !== zone.apiFromConnectorsOrDb) },
      ],
    },
  },
  {
    files: ['components/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/server/*', '**/server/*'],
              allowTypeImports: true,
              message: 'components/ imports only types from server/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/services/**', 'server/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', 'react', 'react/*', 'react-dom', 'react-dom/*'],
              message: 'Services and the sync engine run in the worker: no Next.js or React here.',
            },
          ],
        },
      ],
    },
  },
  {
    // Rules that need the type checker: promises that nobody awaits, and switches that miss a case.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['env.ts', 'prisma.config.ts', 'playwright.config.ts', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
];

export default config;
