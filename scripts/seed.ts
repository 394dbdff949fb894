/** `npm run db:seed`: the legal entities and demo users (idempotent). */
import path from 'node:path';
import { env } from '@/env';
import { seed } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { resolveDatabase } from '@/server/db/database-url';
import { migrate } from '@/server/db/migrate';
import { localSecrets } from './local-secrets';

const database = await resolveDatabase();
try {
  await migrate(database.url);
  const result = await seed({ demoPassword: localSecrets(path.resolve(env.SYNCWRIGHT_DATA_DIR)).demoPassword });
  console.log(
    result.created.length ? `Created: ${result.created.join(', ')}` : 'Nothing to do: the seed was already in place.',
  );
  await db().$disconnect();
} finally {
  await database.stop();
}
