import path from 'node:path';
import { env, setRuntimeSetting } from '@/env';
import { startEmbeddedPostgres } from './embedded-postgres';

/** The role the console and the worker connect as on the embedded database. */
export const APPLICATION_ROLE = 'syncwright_app';

export interface InstanceDatabase {
  /** What the console and the worker connect with: the least-privilege application role. */
  url: string;
  /** What migrations run as: the owner of the tables. */
  ownerUrl: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL (with DATABASE_OWNER_URL for migrations, when the firm gives the application a role
 * of its own) when set; otherwise the embedded PostgreSQL under the data folder, started (or
 * joined) here. The application's address is then set for this process and those it starts.
 */
export async function resolveDatabase(log?: (line: string) => void): Promise<InstanceDatabase> {
  if (env.DATABASE_URL) {
    return {
      url: env.DATABASE_URL,
      ownerUrl: env.DATABASE_OWNER_URL ?? env.DATABASE_URL,
      owned: false,
      stop: async () => {},
    };
  }
  const database = await startInstanceDatabase({ dataDir: path.resolve(env.SYNCWRIGHT_DATA_DIR), log });
  setRuntimeSetting('DATABASE_URL', database.url);
  return database;
}

/**
 * The embedded database with its two roles: the cluster's superuser owns the tables and runs the
 * migrations; the application connects as `APPLICATION_ROLE`, granted what it needs after them.
 */
export async function startInstanceDatabase(options: {
  dataDir: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<InstanceDatabase> {
  const database = await startEmbeddedPostgres({
    ...options,
    database: 'syncwright',
    applicationRole: APPLICATION_ROLE,
  });
  return { url: database.applicationUrl!, ownerUrl: database.url, owned: database.owned, stop: database.stop };
}
