import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { FieldMappings } from '@/server/sync/field-mappings';
import { createScratchDatabaseBefore } from '@/test/scratch-database';

const VERSIONING = '20261204065901_field_mapping_versions';

let database: Awaited<ReturnType<typeof createScratchDatabaseBefore>>;
let client: Db;
const stripe = randomUUID();
const netsuite = randomUUID();

beforeAll(async () => {
  database = await createScratchDatabaseBefore(VERSIONING);
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await sql.query(
    `INSERT INTO "FieldMapping" ("connectionId", "legalEntityId", kind, "sourceValue", "targetValue", "updatedAt") VALUES
      ($1, 'DE', 'tax_code', 'default', 'txcd_20030000', now()),
      ($1, 'DE', 'tax_code', 'customer:7', 'txcd_10000000', now()),
      ($1, 'UK', 'tax_code', 'default', 'txcd_20030000', now()),
      ($2, 'DE', 'currency', '4', 'EUR', now())`,
    [stripe, netsuite],
  );
  await sql.end();
  await database.migrateRest();
  client = createPrismaClient(database.url);
}, 60_000);
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

it('carries the mappings in force into version 1 of each connection and entity', async () => {
  const versions = await client.fieldMappingVersion.findMany({
    orderBy: [{ connectionId: 'asc' }, { legalEntityId: 'asc' }],
  });
  expect(versions.map((v) => [v.connectionId, v.legalEntityId, v.version]).sort()).toEqual(
    [
      [stripe, 'DE', 1],
      [stripe, 'UK', 1],
      [netsuite, 'DE', 1],
    ].sort(),
  );
  const de = await FieldMappings.load(stripe, 'DE', client);
  expect(de.get('tax_code', 'customer:7')).toBe('txcd_10000000');
  expect(de.get('tax_code', 'default')).toBe('txcd_20030000');
  expect((await FieldMappings.load(netsuite, 'DE', client)).get('currency', '4')).toBe('EUR');
});
