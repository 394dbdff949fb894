/** `npm run db:seed`: the legal entities, sync defaults and, in demo mode, the demo users (idempotent). */
import path from 'node:path';
import { demoMode, env } from '@/env';
import { seed } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { resolveDatabase } from '@/server/db/database-url';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { localSecrets } from './local-secrets';

// Decided before the embedded database sets DATABASE_URL for this process.
const demo = demoMode();
const database = await resolveDatabase();
try {
  await prepareDatabase(database);
  const result = await seed({
    demoPassword: demo ? localSecrets(path.resolve(env.SYNCWRIGHT_DATA_DIR)).demoPassword : null,
  });
  console.log(
    result.created.length ? `Created: ${result.created.join(', ')}` : 'Nothing to do: the seed was already in place.',
  );
  await db().$disconnect();
} finally {
  await database.stop();
}
