import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { setUpStripeTestHarness } from '@/test/stripe-connector-harness';
import { ConnectorError, type PulledRecord, type PullFilter } from '../connector';

/** `h.stripe` plays the firm's customers and Stripe's own processes: payments, voids. */
const h = setUpStripeTestHarness();

/** A finalized invoice of `amount` minor units for a new customer, written through the connector. */
async function openInvoice(key: string, amount: number, metadata: Record<string, string> = {}): Promise<string> {
  const customer = await h.connector.upsert(
    'customer',
    { key: `cust-${key}`, fields: { name: key } },
    `idem-cust-${key}`,
  );
  await h.connector.createInvoiceItem(
    `line-${key}`,
    { customer: customer.externalId, currency: 'usd', amount },
    `idem-line-${key}`,
  );
  const draft = await h.connector.createDraftInvoice(key, { customer: customer.externalId, metadata }, `idem-${key}`);
  const id = draft.object.id ?? '';
  await h.connector.finalizeInvoice(id, `finalize-${key}`);
  return id;
}

/** Pulls until the source says there is no more, as the pipeline does in one run. */
async function pullAll(
  cursor: string | null,
  limit: number,
  filter?: PullFilter,
): Promise<{ records: PulledRecord[]; cursor: string | null; calls: number }> {
  const records: PulledRecord[] = [];
  let calls = 0;
  for (;;) {
    const page = await h.connector.pull('invoice', cursor, limit, filter);
    calls += 1;
    records.push(...page.records);
    cursor = page.nextCursor;
    if (!page.hasMore) return { records, cursor, calls };
    if (calls > 50) throw new Error('the pull never ended');
  }
}

const statusOf = (records: PulledRecord[], id: string) =>
  records.filter((r) => r.externalId === id).map((r) => r.data.status);

describe('pull invoices', () => {
  it('lists the existing invoices first, then follows what changed meanwhile from the events', async () => {
    const existing = [
      await openInvoice('inv-a', 10_000),
      await openInvoice('inv-b', 20_000),
      await openInvoice('inv-c', 30_000),
    ];

    const first = await h.connector.pull('invoice', null, 2);
    expect(first.hasMore).toBe(true);
    expect(first.records).toHaveLength(2);
    // A payment lands while the listing is under way.
    await h.stripe.invoices.pay(existing[2] ?? '');
    const rest = await pullAll(first.nextCursor, 2);

    const all = [...first.records, ...rest.records];
    for (const id of existing) expect(all.some((r) => r.externalId === id)).toBe(true);
    expect(statusOf(all, existing[2] ?? '').at(-1)).toBe('paid');
    const record = all.find((r) => r.externalId === existing[0]);
    expect(record).toMatchObject({
      objectType: 'invoice',
      data: { id: existing[0], status: 'open', amount_due: 10_000, currency: 'usd' },
    });
    expect(record?.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);

    // Caught up: nothing more until something changes.
    const idle = await h.connector.pull('invoice', rest.cursor, 10);
    expect(idle).toMatchObject({ records: [], hasMore: false, nextCursor: rest.cursor });
  });

  it('returns a pay and a void once each from a saved cursor', async () => {
    const paid = await openInvoice('inv-paid', 45_000);
    const voided = await openInvoice('inv-voided', 12_345);
    const saved = (await pullAll(null, 100)).cursor;

    await h.stripe.invoices.pay(paid);
    await h.stripe.invoices.voidInvoice(voided);

    const changes = await h.connector.pull('invoice', saved, 100);
    expect(changes.hasMore).toBe(false);
    expect(changes.records.map((r) => r.externalId).sort()).toEqual([paid, voided].sort());
    expect(changes.records.find((r) => r.externalId === paid)?.data).toMatchObject({
      status: 'paid',
      amount_paid: 45_000,
      amount_remaining: 0,
    });
    const voidRecord = changes.records.find((r) => r.externalId === voided)?.data;
    expect(voidRecord).toMatchObject({ status: 'void' });
    expect((voidRecord?.status_transitions as { voided_at: number | null }).voided_at).toBeTypeOf('number');

    expect((await h.connector.pull('invoice', changes.nextCursor, 100)).records).toEqual([]);
    // The saved cursor still reads the same changes: a run that failed after pulling can repeat.
    expect((await h.connector.pull('invoice', saved, 100)).records.map((r) => r.externalId).sort()).toEqual(
      [paid, voided].sort(),
    );
  });

  it('continues by time when the cursor’s event is no longer kept by Stripe', async () => {
    const id = await openInvoice('inv-aged', 5_000);
    const { cursor } = await pullAll(null, 100);
    const { created } = JSON.parse(cursor ?? '{}') as { created: number };
    await h.stripe.invoices.markUncollectible(id);
    const aged = JSON.stringify({ event: 'evt_expiredlongago', created });
    const page = await h.connector.pull('invoice', aged, 100);
    expect(statusOf(page.records, id)).toEqual(['uncollectible']);
  });

  it('tells how far a cursor has read, and never reads events again: they would bring back old states', async () => {
    await openInvoice('inv-read-again', 6_000);
    const { cursor } = await pullAll(null, 100);
    const reached = h.connector.cursorTime('invoice', cursor!);
    expect(Math.abs(reached.getTime() - Date.now())).toBeLessThan(60_000);
    expect(h.connector.rewind('invoice', cursor!, new Date(reached.getTime() - 60_000))).toBe(cursor);
    const listing = await h.connector.pull('invoice', null, 1);
    expect(listing.hasMore).toBe(true);
    expect(h.connector.rewind('invoice', listing.nextCursor!, new Date(0))).toBe(listing.nextCursor);
  });

  it('keeps to a filter, in the listing and in the tail', async () => {
    const uk = await openInvoice('inv-uk', 7_000, { legal_entity: 'UK' });
    const de = await openInvoice('inv-de', 8_000, { legal_entity: 'DE' });
    const byEntity = { 'metadata.legal_entity': 'UK' };
    const listed = await pullAll(null, 100, byEntity);
    expect(listed.records.map((r) => r.externalId)).toEqual([uk]);

    const ukCustomer = String((await h.connector.get('invoice', uk))?.customer);
    const byCustomer = await pullAll(null, 100, { customer: ukCustomer });
    expect(byCustomer.records.map((r) => r.externalId)).toEqual([uk]);

    await h.stripe.invoices.pay(de);
    await h.stripe.invoices.pay(uk);
    for (const [filter, cursor] of [
      [byEntity, listed.cursor],
      [{ customer: ukCustomer }, byCustomer.cursor],
    ] as const) {
      const changes = await h.connector.pull('invoice', cursor, 100, filter);
      expect(changes.records.map((r) => [r.externalId, r.data.status])).toEqual([[uk, 'paid']]);
    }
  });

  it('reads invoices again by id as they are now, in the shape a pull gives, leaving out those gone', async () => {
    const paid = await openInvoice('inv-reread-paid', 3_000);
    const draft = await h.connector.createDraftInvoice(
      'inv-reread-draft',
      { customer: String((await h.connector.get('invoice', paid))?.customer) },
      'idem-inv-reread-draft',
    );
    await h.stripe.invoices.pay(paid);
    await h.stripe.invoices.del(draft.object.id!);

    const current = await h.connector.readCurrent('invoice', [paid, draft.object.id!, 'in_neverexisted']);
    expect(current.map((r) => r.externalId)).toEqual([paid]);
    const pulled = (await pullAll(null, 100)).records.find((r) => r.externalId === paid);
    expect(current[0]).toEqual(pulled);
    expect(current[0]?.data).toMatchObject({ status: 'paid', amount_paid: 3_000 });
  });

  it('refuses a cursor it did not write and object types it does not pull', async () => {
    const bad = await h.connector.pull('invoice', 'yesterday', 10).catch((e: unknown) => e);
    expect((bad as ConnectorError).classified).toMatchObject({ class: 'config', code: 'CURSOR_INVALID' });
    const customers = await h.connector.pull('customer', null, 10).catch((e: unknown) => e);
    expect((customers as ConnectorError).classified).toMatchObject({ class: 'config', code: 'PULL_NOT_SUPPORTED' });
    const reread = await h.connector.readCurrent('customer', ['cus_1']).catch((e: unknown) => e);
    expect((reread as ConnectorError).classified).toMatchObject({ class: 'config', code: 'PULL_NOT_SUPPORTED' });
  });
});

describe('listEventsSince', () => {
  it('reads events of the given types oldest first, page by page', async () => {
    const start = await h.connector.listEventsSince(null, { types: ['customer.created'] });
    const customer = await h.connector.upsert(
      'customer',
      { key: 'cust-events', fields: { name: 'Evented' } },
      'idem-cust-events',
    );
    await h.stripe.customers.update(customer.externalId, { name: 'Evented 2' });
    await h.stripe.customers.update(customer.externalId, { name: 'Evented 3' });

    const created = await h.connector.listEventsSince(start.nextCursor, { types: ['customer.created'] });
    expect(created.events.map((e) => (e.data.object as Stripe.Customer).id)).toEqual([customer.externalId]);

    const first = await h.connector.listEventsSince(created.nextCursor, { types: ['customer.*'], limit: 1 });
    const second = await h.connector.listEventsSince(first.nextCursor, { types: ['customer.*'], limit: 1 });
    expect(first.hasMore).toBe(true);
    expect([first, second].map((p) => (p.events[0]?.data.object as Stripe.Customer).name)).toEqual([
      'Evented 2',
      'Evented 3',
    ]);
    expect(second.hasMore).toBe(false);
  });
});
