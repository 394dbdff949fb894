import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { pullAll } from '@/server/sync/pull-all';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { dryRunReplay, replayExceptions } from './replay-exceptions';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
const context = { actor: { id: null, email: 'finance@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  await runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId: 'UK',
    trigger: 'manual',
  });
}, 120_000);
afterAll(() => fixture?.stop());

async function itemCount() {
  let n = 0;
  for await (const item of stripe.invoiceItems.list({ limit: 100 })) if (item.metadata?.syncwright_id) n += 1;
  return n;
}

describe('replay', () => {
  it('after the mapping is fixed, a dry run shows one invoice item to create, the replay creates it, a second creates nothing', async () => {
    const exception = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', status: 'open' },
      orderBy: { firstSeenAt: 'asc' },
    });

    // Unfixed, the dry run says the record would fail again and plans no write.
    const unfixed = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(unfixed.outcomes).toEqual([
      { exceptionId: exception.id, outcome: 'exception', reason: expect.stringContaining('TAX_CODE_MISSING') },
    ]);
    expect(unfixed.writes).toEqual([]);

    // The fix: a tax code for this customer in the UK entity, on the billing connection.
    const projectId = String((exception.payload as { record: { data: Record<string, string> } }).record.data.customer);
    const projects = await pullAll(await connectorFor(fixture.connections.netsuite), 'job');
    const erpCustomer = projects.find((p) => p.externalId === projectId)!.data.parent;
    await db().fieldMapping.create({
      data: {
        connectionId: fixture.connections.stripe,
        legalEntityId: 'UK',
        kind: 'tax_code',
        sourceValue: `customer:${erpCustomer}`,
        targetValue: 'txcd_20030000',
      },
    });

    const before = await itemCount();
    const plan = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(plan.outcomes[0]?.outcome).toBe('delivered');
    expect(plan.summary.filter((s) => s.objectType === 'invoiceitem')).toEqual([
      { system: 'stripe', objectType: 'invoiceitem', action: 'create', count: 1 },
    ]);
    expect(await itemCount()).toBe(before); // the dry run wrote nothing

    const replayed = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(replayed).toEqual([{ exceptionId: exception.id, outcome: 'delivered', reason: null, resolved: true }]);
    expect(await itemCount()).toBe(before + 1);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
    });

    const again = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(again[0]?.outcome).toBe('noop');
    expect(await itemCount()).toBe(before + 1);
    expect(await db().auditEvent.count({ where: { action: 'exception.replayed', targetId: exception.id } })).toBe(2);
  });
});
