/**
 * `npm run credentials:rotate`: re-encrypts every connection's credentials under the first key of
 * CREDENTIALS_KEYS (or, as `npm start` does, the data folder's local key when it is not set), on
 * DATABASE_URL or the embedded database. Afterwards the keys after the first can be dropped.
 */
import path from 'node:path';
import { env, setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { resolveDatabase } from '@/server/db/database-url';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { rotateConnectionCredentials } from '@/server/services/connections/rotate-credentials';
import { localSecrets } from './local-secrets';

const database = await resolveDatabase();
try {
  await prepareDatabase(database);
  if (!env.CREDENTIALS_KEYS)
    setRuntimeSetting('CREDENTIALS_KEYS', localSecrets(path.resolve(env.SYNCWRIGHT_DATA_DIR)).credentialsKey);
  const result = await rotateConnectionCredentials();
  console.log(`Active key: ${result.keyId}`);
  console.log(`Re-encrypted: ${result.rotated} connection(s)`);
  console.log(`Already under the active key: ${result.unchanged} connection(s)`);
} catch (err) {
  console.error(`Rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db().$disconnect();
  await database.stop();
}
