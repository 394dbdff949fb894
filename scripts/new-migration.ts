/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql: the difference between the schema
 * snapshot kept with the newest migration and prisma/schema.prisma (`prisma migrate diff`), and
 * keeps the new snapshot beside it for the next one.
 * Usage: npm run db:new-migration -- <name>
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveDatabase } from '@/server/db/database-url';
import { MIGRATIONS_DIR } from '@/server/db/migrate';
import { newestSchemaSnapshot, schemaDiffSql } from '@/server/db/schema-diff';

const SCHEMA = 'prisma/schema.prisma';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:new-migration -- <name in snake_case>');
  process.exit(2);
}

const previous = newestSchemaSnapshot();
const database = await resolveDatabase();
try {
  const sql = await schemaDiffSql({ from: previous, to: SCHEMA, databaseUrl: database.ownerUrl });
  if (sql === null) {
    // Comments or layout only: the snapshot follows, so the drift test compares like with like.
    if (previous) copyFileSync(SCHEMA, previous);
    console.log('The schema matches the newest migration; nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    copyFileSync(SCHEMA, path.join(dir, 'schema.prisma'));
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await database.stop();
}
