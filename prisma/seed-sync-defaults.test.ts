import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { BILLING_REFERENCE_RULES, checkOwnership, DEFAULT_OWNERSHIP_RULES } from '@/server/domain/ownership';
import { activeOwnershipRules, publishOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { createScratchDatabase } from '@/test/scratch-database';
import { seedSyncDefaults } from './seed-sync-defaults';

let client: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
});
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

const billingMayWriteReferences = (rules: Awaited<ReturnType<typeof activeOwnershipRules>>['rules']) =>
  ['TimeEntry', 'Milestone', 'RetainerFee'].every(
    (objectType) =>
      checkOwnership(rules, { objectType, source: 'stripe', attributes: ['billedInvoice'] }).conflicts.length === 0,
  );

describe('sync defaults', () => {
  it('gives rules seeded before billing wrote its references back those rules once, as a new version', async () => {
    const before = DEFAULT_OWNERSHIP_RULES.filter((r) => !BILLING_REFERENCE_RULES.includes(r));
    await client.$transaction((tx) =>
      publishOwnershipRules(
        tx,
        { rules: before, note: 'seeded earlier' },
        { actor: { id: null, email: 'system:seed' }, requestId: null, ip: null },
      ),
    );
    expect(billingMayWriteReferences((await activeOwnershipRules(client)).rules)).toBe(false);

    expect(await client.$transaction((tx) => seedSyncDefaults(tx))).toEqual(['ownership rules v2', 'routing rules']);
    const active = await activeOwnershipRules(client);
    expect(active.version).toBe(2);
    expect(billingMayWriteReferences(active.rules)).toBe(true);
    // Billing still owns nothing else of the work it bills.
    expect(
      checkOwnership(active.rules, { objectType: 'TimeEntry', source: 'stripe', attributes: ['hours'] }).conflicts,
    ).toHaveLength(1);

    expect(await client.$transaction((tx) => seedSyncDefaults(tx))).toEqual([]);
    expect((await activeOwnershipRules(client)).version).toBe(2);
  });
});
