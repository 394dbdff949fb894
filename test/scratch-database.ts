import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { env } from '@/env';
import { migrate, MIGRATIONS_DIR } from '@/server/db/migrate';

/**
 * A new, empty database on the test server (next to the shared test database), for tests that
 * must own the whole database: migration runs, audit-chain tampering.
 */
export async function createScratchDatabase(options: { migrated: boolean }) {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set; run the tests through vitest.');
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  const adminUrl = withDatabase(env.DATABASE_URL, 'postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(env.DATABASE_URL, name);
  if (options.migrated) await migrate(url);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        // A pool stopped just before (graphile-worker ends its own after `stop()` returns) may
        // still be closing its connections; cutting one off then is an error nobody listens for.
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (err) {
            if ((err as { code?: string }).code !== IN_USE) throw err;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A scratch database with the migrations before `migration` applied, as a running firm has them
 * before that one ships: a test writes what the firm had, then `migrateRest()` applies the rest.
 */
export async function createScratchDatabaseBefore(migration: string) {
  const before = mkdtempSync(path.join(tmpdir(), 'migrations-before-'));
  for (const name of readdirSync(MIGRATIONS_DIR)) {
    if (name < migration) cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
  }
  const database = await createScratchDatabase({ migrated: false });
  await migrate(database.url, before);
  return {
    url: database.url,
    migrateRest: () => migrate(database.url),
    async drop() {
      rmSync(before, { recursive: true, force: true });
      await database.drop();
    },
  };
}

/** PostgreSQL's "database is being accessed by other users". */
const IN_USE = '55006';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
