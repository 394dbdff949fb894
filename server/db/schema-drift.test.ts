import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { newestSchemaSnapshot, schemaDiffSql } from './schema-diff';

const SCHEMA = 'prisma/schema.prisma';
const databaseUrl = () => env.DATABASE_URL!;

describe('the schema and its migrations', () => {
  it('agree: prisma/schema.prisma describes the database the newest migration leaves', async () => {
    const sql = await schemaDiffSql({ from: newestSchemaSnapshot(), to: SCHEMA, databaseUrl: databaseUrl() });
    expect(
      sql,
      'prisma/schema.prisma differs from the newest migration: run `npm run db:new-migration -- <name>`',
    ).toBeNull();
  });

  it('are told apart when a model is added without a migration', async () => {
    const changed = path.join(mkdtempSync(path.join(tmpdir(), 'schema-drift-')), 'schema.prisma');
    writeFileSync(changed, `${readFileSync(SCHEMA, 'utf8')}\nmodel DriftProbe {\n  id Int @id\n}\n`);
    const sql = await schemaDiffSql({ from: newestSchemaSnapshot(), to: changed, databaseUrl: databaseUrl() });
    expect(sql).toContain('CREATE TABLE "DriftProbe"');
  });
});
