import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { DEFAULT_ROUTING_RULES } from '@/server/domain/routing';
import { publishRoutingRules } from '@/server/services/routing/routing-rules';
import { createScratchDatabase } from '@/test/scratch-database';
import { raiseException, raiseExceptions, type RaiseExceptionInput } from './raise-exception';

let client: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
  await client.$transaction((tx) =>
    publishRoutingRules(
      tx,
      { rules: DEFAULT_ROUTING_RULES.map((rule) => ({ ...rule, enabled: true })), note: 'defaults' },
      { actor: { id: null, email: 'system:test' }, requestId: null, ip: null },
    ),
  );
});
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

function taxCodeMissing(overrides: Partial<RaiseExceptionInput> = {}): RaiseExceptionInput {
  return {
    code: 'TAX_CODE_MISSING',
    routine: 'billing_eligibility',
    legalEntityId: 'UK',
    objectType: 'TimeEntry',
    externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: '4711' }],
    message: 'Customer Acme Ltd has no tax code for UK',
    payload: { record: { id: 'x' } },
    correlationId: randomUUID(),
    amount: '1250.00',
    currency: 'GBP',
    ...overrides,
  };
}

describe('raising exceptions', () => {
  it('places a new exception by the routing rules', async () => {
    const { id, created } = await raiseException(client, taxCodeMissing());
    expect(created).toBe(true);
    const row = await client.syncException.findUniqueOrThrow({ where: { id }, include: { events: true } });
    expect(row).toMatchObject({ kind: 'business', team: 'finance', priority: 'high', status: 'open', occurrences: 1 });
    expect(row.amount?.toString()).toBe('1250');
    expect(row.events.map((e) => e.type)).toEqual(['created']);
  });

  it('folds a repeat into the open exception and counts it', async () => {
    const externalIds = [{ system: 'netsuite' as const, objectType: 'timebill', externalId: 'repeat-1' }];
    const first = await raiseException(client, taxCodeMissing({ externalIds }));
    const second = await raiseException(client, taxCodeMissing({ externalIds, message: 'still missing' }));
    expect(second).toEqual({ id: first.id, created: false });
    const row = await client.syncException.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.occurrences).toBe(2);
    expect(row.message).toBe('still missing');
    expect(row.lastSeenAt.getTime()).toBeGreaterThanOrEqual(row.firstSeenAt.getTime());
  });

  it('opens a new exception once the previous one is resolved', async () => {
    const externalIds = [{ system: 'netsuite' as const, objectType: 'timebill', externalId: 'resolved-1' }];
    const first = await raiseException(client, taxCodeMissing({ externalIds }));
    await client.syncException.update({
      where: { id: first.id },
      data: { status: 'resolved', resolvedAt: new Date() },
    });
    const again = await raiseException(client, taxCodeMissing({ externalIds }));
    expect(again.created).toBe(true);
    expect(again.id).not.toBe(first.id);
  });

  it('raises many at once as one call each would, a repeat within them included', async () => {
    const ids = (n: number) => [{ system: 'netsuite' as const, objectType: 'timebill', externalId: `many-${n}` }];
    const open = await raiseException(client, taxCodeMissing({ externalIds: ids(0) }));
    const inputs = [
      taxCodeMissing({ externalIds: ids(0), message: 'seen again' }),
      ...Array.from({ length: 40 }, (_, n) => taxCodeMissing({ externalIds: ids(n + 1), amount: `${n + 1}.50` })),
      taxCodeMissing({ externalIds: ids(7), message: 'twice in one batch' }),
      taxCodeMissing({ code: 'RETRIES_EXHAUSTED', externalIds: ids(99), amount: null, currency: null }),
    ];
    const results = await client.$transaction((tx) => raiseExceptions(tx, inputs));
    expect(results[0]).toEqual({ id: open.id, created: false });
    expect(results.slice(1, 41).every((r) => r.created)).toBe(true);
    expect(results[41]).toEqual({ id: results[7]!.id, created: false });
    expect(results[42]!.created).toBe(true);

    const rows = await client.syncException.findMany({
      where: { id: { in: results.map((r) => r.id) } },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(open.id)).toMatchObject({ occurrences: 2, message: 'seen again' });
    expect(byId.get(open.id)!.events.map((e) => e.type)).toEqual(['created', 'repeated']);
    expect(byId.get(results[7]!.id)).toMatchObject({ occurrences: 2, message: 'twice in one batch' });
    expect(byId.get(results[7]!.id)!.events.map((e) => [e.type, e.note])).toEqual([
      ['created', inputs[7]!.message],
      ['repeated', 'twice in one batch'],
    ]);
    expect(byId.get(results[12]!.id)!.amount?.toFixed(2)).toBe('12.50');
    expect(byId.get(results[42]!.id)).toMatchObject({ kind: 'technical', team: 'integration', amount: null });
    expect(rows).toHaveLength(42);
  });

  it('keeps concurrent repeats to one exception', async () => {
    const externalIds = [{ system: 'netsuite' as const, objectType: 'timebill', externalId: 'race-1' }];
    const results = await Promise.all(
      Array.from({ length: 8 }, () => client.$transaction((tx) => raiseException(tx, taxCodeMissing({ externalIds })))),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const row = await client.syncException.findUniqueOrThrow({ where: { id: results[0]!.id } });
    expect(row.occurrences).toBe(8);
  });

  it('routes technical failures to integration and lets an ownership conflict name its team', async () => {
    const technical = await raiseException(
      client,
      taxCodeMissing({
        code: 'RETRIES_EXHAUSTED',
        externalIds: [{ system: 'stripe', objectType: 'invoiceitem', externalId: 'k1' }],
      }),
    );
    expect(await client.syncException.findUniqueOrThrow({ where: { id: technical.id } })).toMatchObject({
      kind: 'technical',
      team: 'integration',
    });
    const conflict = await raiseException(
      client,
      taxCodeMissing({
        code: 'OWNERSHIP_CONFLICT',
        team: 'operations',
        externalIds: [{ system: 'salesforce', objectType: 'Opportunity', externalId: '006x' }],
      }),
    );
    expect(await client.syncException.findUniqueOrThrow({ where: { id: conflict.id } })).toMatchObject({
      team: 'operations',
    });
  });
});
