/**
 * `npm run admin:create -- --email you@firm.example --name "Your Name"`: the first admin of an
 * installation that is not a demo, with a one-time password printed once, here and nowhere else.
 */
import { parseArgs } from 'node:util';
import { db } from '@/server/db/client';
import { resolveDatabase } from '@/server/db/database-url';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { createFirstAdmin } from '@/server/services/users/create-first-admin';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
if (!values.email || !values.name) {
  console.error('Usage: npm run admin:create -- --email you@firm.example --name "Your Name"');
  process.exit(2);
}

const database = await resolveDatabase();
try {
  await prepareDatabase(database);
  const { password } = await createFirstAdmin({ email: values.email, name: values.name });
  console.log(`Admin ${values.email} created. One-time password (shown only now): ${password}`);
  console.log('Sign in with it and choose your own password.');
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await db().$disconnect();
  await database.stop();
}
