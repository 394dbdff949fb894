import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@/server/db/embedded-postgres';
import { migrate } from '@/server/db/migrate';
import { installJobQueue } from '@/server/jobs/install-job-queue';
import { env, setRuntimeSetting } from '@/env';
import { generateCredentialKey } from '@/server/services/connections/credentials-cipher';

/**
 * Tests run on a real PostgreSQL: DATABASE_URL when it is set, otherwise a throw-away embedded
 * cluster. Test files run in parallel and share the database, so they create what they need
 * under unique names and never assume it is empty.
 */
export default async function setup() {
  if (!env.CREDENTIALS_KEYS) setRuntimeSetting('CREDENTIALS_KEYS', generateCredentialKey('test'));
  if (env.DATABASE_URL) {
    await migrate(env.DATABASE_URL);
    // The pipeline and the run services enqueue with graphile_worker.add_job in SQL.
    await installJobQueue(env.DATABASE_URL);
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'syncwright-test-'));
  const database = await startEmbeddedPostgres({ dataDir, database: 'syncwright_test', persistent: false });
  setRuntimeSetting('DATABASE_URL', database.url);
  await migrate(database.url);
  await installJobQueue(database.url);
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
