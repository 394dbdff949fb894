import path from 'node:path';
import { env, setRuntimeSetting } from '@/env';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under the data folder, started (or
 * joined) here. The address is then set for this process and the processes it starts.
 */
export async function resolveDatabase(log?: (line: string) => void): Promise<EmbeddedDatabase> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, owned: false, stop: async () => {} };
  }
  const database = await startEmbeddedPostgres({
    dataDir: path.resolve(env.SYNCWRIGHT_DATA_DIR),
    database: 'syncwright',
    log,
  });
  setRuntimeSetting('DATABASE_URL', database.url);
  return database;
}
