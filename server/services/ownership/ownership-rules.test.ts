import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { DEFAULT_OWNERSHIP_RULES } from '@/server/domain/ownership';
import { verifyAuditChain } from '@/server/services/audit/verify-audit-chain';
import { createScratchDatabase } from '@/test/scratch-database';
import { activeOwnershipRules, publishOwnershipRules } from './ownership-rules';

let client: Db;
let drop: () => Promise<void>;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
});
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

describe('ownership rule versions', () => {
  it('publishes numbered versions, keeps the old ones, and audits each change with its diff', async () => {
    expect(await activeOwnershipRules(client)).toEqual({ version: 0, rules: [] });
    await client.$transaction((tx) =>
      publishOwnershipRules(tx, { rules: DEFAULT_OWNERSHIP_RULES, note: 'defaults' }, context),
    );
    const changed = DEFAULT_OWNERSHIP_RULES.map((r) =>
      r.objectType === 'Invoice' && r.attribute === 'status' ? { ...r, owner: 'netsuite' as const } : r,
    );
    await Promise.all([
      client.$transaction((tx) =>
        publishOwnershipRules(tx, { rules: changed, note: 'ERP owns invoice status' }, context),
      ),
      client.$transaction((tx) => publishOwnershipRules(tx, { rules: DEFAULT_OWNERSHIP_RULES, note: 'back' }, context)),
    ]);
    const versions = await client.ownershipRuleVersion.findMany({
      orderBy: { version: 'asc' },
      include: { rules: true },
    });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[0]!.rules).toHaveLength(DEFAULT_OWNERSHIP_RULES.length);
    expect((await activeOwnershipRules(client)).version).toBe(3);

    const audit = await client.auditEvent.findMany({
      where: { action: 'ownership.published' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.targetId)).toEqual(['1', '2', '3']);
    expect((audit[1]!.before as { version: number }).version).toBe(1);
    expect((await verifyAuditChain(client)).intact).toBe(true);
  });
});
