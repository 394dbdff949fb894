import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMigrations } from 'graphile-worker';
import { setRuntimeSetting } from '@/env';
import { seed } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { connectSandbox } from '@/server/services/connections/connect-sandbox';
import { startSandbox, type Sandbox } from '@/sandbox/start-sandbox';
import { createScratchDatabase } from './scratch-database';

/**
 * A database of this test file's own (test files run in separate processes, so the process-wide
 * client can point at it), seeded, with the sandbox in its own schemas and connections to it:
 * what sync tests run against. The firm is small so tests stay quick.
 */
export async function startConnectedSandbox(options: { scale?: number } = {}) {
  const database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  await runMigrations({ connectionString: database.url });
  await seed({ demoPassword: 'sandbox-fixture-password' });
  const sandbox: Sandbox = await startSandbox({
    databaseUrl: database.url,
    dataDir: mkdtempSync(path.join(tmpdir(), 'syncwright-sandbox-')),
    ports: { salesforce: 0, netsuite: 0, stripe: 0 },
    scale: options.scale ?? 2_000,
    asOf: '2026-11-20',
    simulate: false,
  });
  // Stripe's test-mode rate limit (emulated, and honoured by the connector) would only make the
  // tests wait; the fault tests inject 429s explicitly.
  await fetch(`${sandbox.stripe.baseUrl}/__sandbox/rate-limit`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ perSecond: null }),
  });
  const connections = await connectSandbox(sandbox, { stripeLimits: { maxConcurrent: 10, perSecond: null } });
  return {
    sandbox,
    connections,
    databaseUrl: database.url,
    async stop() {
      await sandbox.stop();
      await db().$disconnect();
      await database.drop();
    },
  };
}
