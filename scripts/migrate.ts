/** `npm run db:migrate`: applies pending migrations to DATABASE_URL or the embedded database. */
import { resolveDatabase } from '@/server/db/database-url';
import { migrate } from '@/server/db/migrate';

const database = await resolveDatabase();
try {
  const result = await migrate(database.url);
  console.log(`Applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} already in place.`);
  for (const name of result.applied) console.log(`  + ${name}`);
} finally {
  await database.stop();
}
