import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { env } from '@/env';
import { startSandboxDatabase } from './start-sandbox';

export interface ThrowAwayDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database for one benchmark, dropped afterwards: a new database `<prefix>_<random>` on
 * DATABASE_URL's server when it is set, else an embedded PostgreSQL in a temporary folder.
 */
export async function throwAwayDatabase(prefix: string): Promise<ThrowAwayDatabase> {
  const adminUrl = env.DATABASE_URL;
  if (adminUrl) {
    const name = `${prefix}_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `syncwright-${prefix.replace(/_/g, '-')}-`));
  // The embedded server runs as the unprivileged postgres user when this process is root.
  chmodSync(dir, 0o755);
  const server = await startSandboxDatabase({ dir: path.join(dir, 'db'), database: prefix, persistent: false });
  return {
    url: server.url,
    async drop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
