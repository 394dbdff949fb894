import { afterAll } from 'vitest';
import { env, setRuntimeSetting } from '@/env';

/**
 * Test files share their worker processes (vitest.config.ts: `isolate: false`), and a few point
 * the process at a database or credential keys of their own. Each file starts with the settings
 * the worker started with and leaves them so: a file's own afterAll hooks run before this one.
 */
const SHARED = ['DATABASE_URL', 'CREDENTIALS_KEYS'] as const;
const worker = globalThis as unknown as { sharedTestSettings?: Partial<Record<(typeof SHARED)[number], string>> };
const shared = (worker.sharedTestSettings ??= Object.fromEntries(SHARED.map((name) => [name, env[name]])));

function restore() {
  for (const name of SHARED) {
    const value = shared[name];
    if (value !== undefined && env[name] !== value) setRuntimeSetting(name, value);
  }
}

restore();
afterAll(restore);
