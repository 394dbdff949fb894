/** `npm run db:migrate`: applies pending migrations to the embedded database, or to DATABASE_URL
 * as DATABASE_OWNER_URL when it is set, and grants the application role what it needs. */
import { resolveDatabase } from '@/server/db/database-url';
import { prepareDatabase } from '@/server/jobs/prepare-database';

const database = await resolveDatabase();
try {
  const result = await prepareDatabase(database);
  console.log(`Applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} already in place.`);
  for (const name of result.applied) console.log(`  + ${name}`);
} finally {
  await database.stop();
}
