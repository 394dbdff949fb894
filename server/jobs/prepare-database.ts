import { grantApplicationRole, roleOf } from '@/server/db/application-role';
import type { InstanceDatabase } from '@/server/db/database-url';
import { migrate, type MigrationResult } from '@/server/db/migrate';
import { installJobQueue } from './install-job-queue';

/**
 * Brings a database up to date before anything serves from it, as its owner: the job queue's
 * schema, the migrations, then the application role's grants over both. With one role for both
 * (a DATABASE_URL without DATABASE_OWNER_URL) there is nothing to grant; and a process holding
 * only the application role (the worker `npm start` runs) finds nothing to apply.
 */
export async function prepareDatabase(database: Pick<InstanceDatabase, 'url' | 'ownerUrl'>): Promise<MigrationResult> {
  await installJobQueue(database.ownerUrl);
  const migrations = await migrate(database.ownerUrl);
  const role = roleOf(database.url);
  if (role !== roleOf(database.ownerUrl)) await grantApplicationRole(database.ownerUrl, role);
  return migrations;
}
