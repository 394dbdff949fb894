import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import rules of eslint.config.mjs, checked on code written into each zone. The files need
// not exist: only the import paths are resolved, so the type checker's rules are left out, and
// so is the cycle rule, which reads the linted file from disk (it has its own test below).
const TYPE_AWARE_RULES = [
  '@typescript-eslint/no-floating-promises',
  '@typescript-eslint/no-misused-promises',
  '@typescript-eslint/await-thenable',
  '@typescript-eslint/switch-exhaustiveness-check',
];

const root = path.resolve(import.meta.dirname, '..');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: Object.fromEntries([...TYPE_AWARE_RULES, 'import/no-cycle'].map((rule) => [rule, 'off'])),
    },
  });
});

async function importRuleErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.severity === 2 && m.ruleId && /restricted|no-cycle/.test(m.ruleId))
    .map((m) => m.ruleId!);
}

describe('import rules', () => {
  it.each([
    ['sandbox imports server', 'sandbox/new-emulator.ts', "import { x } from '@/server/logger';"],
    ['server imports sandbox outside tests', 'server/services/new-service.ts', "import { x } from '@/sandbox/main';"],
    ['lib imports server', 'lib/new-format.ts', "import { x } from '@/server/logger';"],
    ['lib imports components', 'lib/new-format.ts', "import { x } from '@/components/ui/badge';"],
    ['app imports a service', 'app/(console)/new/page.tsx', "import { x } from '@/server/services/runs/list-runs';"],
    [
      'a procedure imports a connector',
      'server/api/routers/new.ts',
      "import { x } from '@/server/connectors/connector';",
    ],
    ['a procedure imports Prisma', 'server/api/routers/new.ts', "import { x } from '@/server/db/client';"],
    ['a service imports the api', 'server/services/new/new.ts', "import { x } from '@/server/api/trpc';"],
    ['the engine imports the api', 'server/sync/new.ts', "import { x } from '@/server/api/trpc';"],
    ['a service imports Next.js', 'server/services/new/new.ts', "import { x } from 'next/headers';"],
    ['the engine imports React', 'server/sync/new.ts', "import { x } from 'react';"],
    ['a component imports a server value', 'components/new/new.tsx', "import { x } from '@/server/auth/permissions';"],
  ])('refuses: %s', async (_name, filePath, code) => {
    expect(await importRuleErrors(filePath, code)).not.toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // Two modules kept for this test (and ignored by the tree's lint) that import each other; the
    // type checker's rules, which would build the whole program, are left out.
    const cycles = new ESLint({
      cwd: root,
      ignore: false,
      overrideConfig: {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parserOptions: { projectService: false } },
        rules: Object.fromEntries(TYPE_AWARE_RULES.map((rule) => [rule, 'off'])),
      },
    });
    const results = await cycles.lintFiles(['test/fixtures/import-cycle/first.ts']);
    expect(results[0]?.messages.map((m) => m.ruleId)).toEqual(['import/no-cycle']);
  });

  it.each([
    ['a server test imports the sandbox', 'server/services/new-service.test.ts', "import { x } from '@/sandbox/main';"],
    ['a benchmark imports the sandbox', 'server/sync/bench/new-bench.ts', "import { x } from '@/sandbox/main';"],
    [
      'a component imports a server type',
      'components/new/new.tsx',
      "import type { x } from '@/server/auth/permissions';",
    ],
    ['app imports auth', 'app/(console)/new/page.tsx', "import { x } from '@/server/auth/current-user';"],
    ['a service imports the database', 'server/services/new/new.ts', "import { x } from '@/server/db/client';"],
  ])('allows: %s', async (_name, filePath, code) => {
    expect(await importRuleErrors(filePath, code)).toEqual([]);
  });
});
