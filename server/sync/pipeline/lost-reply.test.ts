import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { replayExceptions } from '@/server/services/exceptions/replay-exceptions';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from '../run-routine';

/**
 * Stripe carries out an invoice-item create and its reply is lost; the line is held, and only
 * replayed after Stripe has forgotten the idempotency key (24 hours). Syncwright must then find
 * the item it made instead of making a second one.
 */
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
}, 120_000);
afterAll(() => fixture?.stop());

async function control(path: string, body: unknown) {
  const response = await fetch(`${fixture.sandbox.stripe.baseUrl}/__sandbox/${path}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function itemsOf(canonicalId: string): Promise<Stripe.InvoiceItem[]> {
  const items: Stripe.InvoiceItem[] = [];
  for await (const item of stripe.invoiceItems.list({ limit: 100 }))
    if (item.metadata?.syncwright_id === canonicalId) items.push(item);
  return items;
}

describe('a write whose reply was lost, replayed after Stripe forgot its key', () => {
  it('links the invoice item Stripe made instead of making a second, and makes the one that never arrived', async () => {
    // The next two invoice-item creates are carried out and their replies lost. With no retries
    // the run holds both lines, their writes still pending.
    await control('lost-replies', { path: '/v1/invoiceitems', count: 2 });
    const run = await runRoutine({
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: 'UK',
      trigger: 'manual',
      retryPolicy: { budget: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(run.status).toBe('succeeded');
    expect(run.delivered).toBeGreaterThan(0);
    const held = await db().syncException.findMany({
      where: { routine: 'billing_eligibility', code: 'RETRIES_EXHAUSTED', status: 'open' },
      orderBy: { firstSeenAt: 'asc' },
    });
    expect(held).toHaveLength(2);
    for (const exception of held) {
      expect(exception).toMatchObject({ kind: 'technical', targetCode: 'CONNECTION_RESET' });
      const delivery = await db().delivery.findUniqueOrThrow({ where: { idempotencyKey: exception.idempotencyKey! } });
      expect(delivery).toMatchObject({ status: 'pending', targetType: 'invoiceitem', targetId: null });
      expect(delivery.parentId).toMatch(/^in_/);
    }
    const canonicalOf = async (exception: (typeof held)[number]) =>
      (await db().delivery.findUniqueOrThrow({ where: { idempotencyKey: exception.idempotencyKey! } })).canonicalId;
    const [reached, lost] = held;
    const reachedId = await canonicalOf(reached!);
    const lostId = await canonicalOf(lost!);
    // Stripe made both items although Syncwright never heard.
    const made = await itemsOf(reachedId);
    expect(made).toHaveLength(1);
    expect(await itemsOf(lostId)).toHaveLength(1);
    // The second stands for a request that never got through: nothing of it is left in Stripe.
    await stripe.invoiceItems.del((await itemsOf(lostId))[0]!.id);

    // A day and an hour pass, for Stripe (which forgets the keys) and for Syncwright's records.
    await control('clock', { offsetSeconds: 25 * 3600 });
    await db().$executeRaw`UPDATE "Delivery" SET "createdAt" = "createdAt" - interval '25 hours'`;

    const replayed = await replayExceptions(
      { exceptionIds: held.map((e) => e.id), retryPolicy: { budget: 0, baseDelayMs: 1, maxDelayMs: 1 } },
      context,
    );
    expect(replayed).toEqual(
      expect.arrayContaining(
        held.map((e) => ({ exceptionId: e.id, outcome: 'delivered', reason: null, resolved: true })),
      ),
    );
    // Exactly one invoice item for each line: the one Stripe made, linked; the missing one, made.
    expect((await itemsOf(reachedId)).map((i) => i.id)).toEqual([made[0]!.id]);
    expect(await itemsOf(lostId)).toHaveLength(1);
    const reachedDelivery = await db().delivery.findUniqueOrThrow({
      where: { idempotencyKey: reached!.idempotencyKey! },
    });
    expect(reachedDelivery).toMatchObject({ status: 'delivered', targetId: made[0]!.id });
    expect(
      await db().externalRef.findFirst({
        where: { canonicalId: reachedId, system: 'stripe', objectType: 'invoiceitem' },
      }),
    ).toMatchObject({ externalId: made[0]!.id });
    expect(await db().syncException.count({ where: { id: { in: held.map((e) => e.id) }, status: 'resolved' } })).toBe(
      2,
    );
    // The audit log says the item was found at the target, not made: by the Deliverer's look-up by
    // key (sync.linked) or by billing's own look on the draft it was sent to (sync.found).
    const recorded = await db().auditEvent.findFirstOrThrow({ where: { targetId: made[0]!.id } });
    expect(['sync.linked', 'sync.found']).toContain(recorded.action);

    // Reading everything again later writes neither line a second time.
    await db().watermark.deleteMany({ where: { routine: 'billing_eligibility', legalEntityId: 'UK' } });
    const again = await runRoutine({
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: 'UK',
      trigger: 'manual',
    });
    expect(again.delivered).toBe(0);
    expect(await itemsOf(reachedId)).toHaveLength(1);
    expect(await itemsOf(lostId)).toHaveLength(1);
  }, 120_000);
});
