import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', '.data/**', 'e2e/**'],
    globalSetup: ['test/global-setup.ts'],
    // Files share their worker processes rather than each loading the application anew, which took
    // a third of the run; test/shared-worker-settings.ts keeps one file's settings from the next.
    isolate: false,
    setupFiles: ['test/shared-worker-settings.ts'],
    // Guards against a hang, with room for files that share the cores with others.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest leaves one core free by default, which on a 2-core machine runs one file at a time;
    // these tests spend much of their time waiting on the database and the sandbox.
    maxWorkers: os.availableParallelism(),
  },
});
