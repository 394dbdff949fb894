import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { routingRules } from '@/server/services/exceptions/raise-exception';
import { createScratchDatabaseBefore } from '@/test/scratch-database';
import { activeRoutingRules } from './routing-rules';

const VERSIONING = '20261204035636_routing_rule_versions';

let database: Awaited<ReturnType<typeof createScratchDatabaseBefore>>;
let client: Db;

beforeAll(async () => {
  database = await createScratchDatabaseBefore(VERSIONING);
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  // Two rules sharing a position, a disabled one, and an amount rule from before ranges had a currency.
  await sql.query(`
    INSERT INTO "RoutingRule" (position, routine, code, "minAmount", team, priority, "dueHours", enabled, "updatedAt") VALUES
      (30, NULL, 'AUTH_FAILED', NULL, 'integration', 'urgent', 8, true, now()),
      (10, 'billing_eligibility', NULL, 10000, 'finance', 'urgent', 24, true, now()),
      (10, NULL, 'CONFIG_ERROR', NULL, 'integration', 'high', 24, false, now())`);
  await sql.end();
  await database.migrateRest();
  client = createPrismaClient(database.url);
}, 60_000);
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe('the routing rule versions migration', () => {
  it('carries the rules in force into version 1, in the same order', async () => {
    const active = await activeRoutingRules(client);
    expect(active.version).toBe(1);
    expect(
      active.rules.map((r) => [r.position, r.code ?? r.routine, r.enabled, r.minAmount, r.amountCurrency]),
    ).toEqual([
      [1, 'billing_eligibility', true, '10000', null],
      [2, 'CONFIG_ERROR', false, null, null],
      [3, 'AUTH_FAILED', true, null, null],
    ]);
    expect((await client.$transaction((tx) => routingRules(tx))).map((r) => r.code ?? r.routine)).toEqual([
      'billing_eligibility',
      'AUTH_FAILED',
    ]);
  });
});
