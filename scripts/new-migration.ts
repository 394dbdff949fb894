/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql: the difference between the schema
 * snapshot kept with the newest migration and prisma/schema.prisma (`prisma migrate diff`), and
 * keeps the new snapshot beside it for the next one.
 * Usage: npm run db:new-migration -- <name>
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { childEnvironment } from '@/env';
import { resolveDatabase } from '@/server/db/database-url';
import { MIGRATIONS_DIR } from '@/server/db/migrate';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:new-migration -- <name in snake_case>');
  process.exit(2);
}

const previous = readdirSync(MIGRATIONS_DIR)
  .sort()
  .map((dir) => path.join(MIGRATIONS_DIR, dir, 'schema.prisma'))
  .filter((file) => existsSync(file))
  .at(-1);

// The schema engine reaches the database through the adapter even to compare two schemas.
const database = await resolveDatabase();
try {
  const sql = execFileSync(
    'npx',
    [
      'prisma',
      'migrate',
      'diff',
      ...(previous ? ['--from-schema-datamodel', previous] : ['--from-empty']),
      '--to-schema-datamodel',
      'prisma/schema.prisma',
      '--script',
    ],
    { env: childEnvironment({ DATABASE_URL: database.url }), encoding: 'utf8' },
  );
  if (sql.includes('empty migration')) {
    console.log('The schema matches the newest migration; nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    copyFileSync('prisma/schema.prisma', path.join(dir, 'schema.prisma'));
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await database.stop();
}
