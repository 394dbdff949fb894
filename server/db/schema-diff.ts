import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnvironment } from '@/env';
import { MIGRATIONS_DIR } from './migrate';

/** The schema snapshot kept beside the newest migration, the base of the next one. */
export function newestSchemaSnapshot(): string | undefined {
  return readdirSync(MIGRATIONS_DIR)
    .sort()
    .map((dir) => path.join(MIGRATIONS_DIR, dir, 'schema.prisma'))
    .filter((file) => existsSync(file))
    .at(-1);
}

/**
 * The SQL that takes a database from one Prisma schema to another (`prisma migrate diff`), or
 * null when they describe the same database. The schema engine reaches a database through the
 * adapter even to compare two schema files, hence the URL.
 */
export async function schemaDiffSql(options: {
  from: string | undefined;
  to: string;
  databaseUrl: string;
}): Promise<string | null> {
  const { stdout } = await promisify(execFile)(
    'npx',
    [
      'prisma',
      'migrate',
      'diff',
      ...(options.from ? ['--from-schema-datamodel', options.from] : ['--from-empty']),
      '--to-schema-datamodel',
      options.to,
      '--script',
    ],
    { env: childEnvironment({ DATABASE_URL: options.databaseUrl }), encoding: 'utf8' },
  );
  return stdout.includes('empty migration') ? null : stdout;
}
