import { beforeAll, describe, expect, it } from 'vitest';
import { setUpHarness } from '@/test/stripe-emulator-harness';
import { bulkInsertObjects, stripeId } from './bulk-load';

const CUSTOMERS = 260;
const h = setUpHarness();
beforeAll(async () => {
  // Several customers share each second, so ordering must not rely on `created` alone.
  const base = 1_760_000_000;
  await bulkInsertObjects(
    h.pool,
    'customer',
    Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: stripeId('cus', i + 1),
      created: base + Math.floor(i / 7),
      name: `Client ${i + 1}`,
    })),
  );
});

describe('list pagination', () => {
  it('autoPagingEach visits every one of ≥ 250 customers exactly once, newest first', async () => {
    const seen: string[] = [];
    await h.stripe.customers.list({ limit: 100 }).autoPagingEach((customer) => {
      seen.push(customer.id);
    });
    expect(seen).toHaveLength(CUSTOMERS);
    expect(new Set(seen).size).toBe(CUSTOMERS);
    expect(seen[0]).toBe(stripeId('cus', CUSTOMERS));
    expect(seen[CUSTOMERS - 1]).toBe(stripeId('cus', 1));
  });

  it('pages by hand with starting_after and has_more', async () => {
    const ids: string[] = [];
    let startingAfter: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await h.stripe.customers.list({ limit: 40, starting_after: startingAfter });
      pages++;
      expect(page.object).toBe('list');
      expect(page.url).toBe('/v1/customers');
      ids.push(...page.data.map((c) => c.id));
      if (!page.has_more) break;
      startingAfter = page.data[page.data.length - 1]?.id;
    }
    expect(pages).toBe(Math.ceil(CUSTOMERS / 40));
    expect(new Set(ids).size).toBe(CUSTOMERS);
  });

  it('pages backwards with ending_before', async () => {
    const middle = stripeId('cus', 100);
    const page = await h.stripe.customers.list({ limit: 3, ending_before: middle });
    expect(page.data.map((c) => c.id)).toEqual([stripeId('cus', 103), stripeId('cus', 102), stripeId('cus', 101)]);
    expect(page.has_more).toBe(true);
    const seen: string[] = [];
    await h.stripe.customers.list({ limit: 50, ending_before: stripeId('cus', 200) }).autoPagingEach((c) => {
      seen.push(c.id);
    });
    expect(seen).toHaveLength(CUSTOMERS - 200);
    expect(seen[0]).toBe(stripeId('cus', 201));
  });

  it('defaults to 10 and bounds limit to 1–100', async () => {
    expect((await h.stripe.customers.list()).data).toHaveLength(10);
    await expect(h.stripe.customers.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    await expect(h.stripe.customers.list({ limit: 0 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    await expect(h.stripe.customers.list({ starting_after: 'cus_unknown' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'starting_after',
    });
  });

  it('filters by created range', async () => {
    const page = await h.stripe.customers.list({ created: { gte: 1_760_000_000, lt: 1_760_000_002 }, limit: 100 });
    expect(page.data).toHaveLength(14);
  });
});
