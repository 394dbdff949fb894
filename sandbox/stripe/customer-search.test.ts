import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { setUpHarness } from '@/test/stripe-emulator-harness';

const h = setUpHarness();

describe('customer search', () => {
  it('matches metadata, e-mail and name exactly, pages with next_page, and refuses what it cannot read', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await h.stripe.customers.create({ name: `Client ${i}`, metadata: { netsuite_customer_id: 'C-9' } })).id,
      );
    await h.stripe.customers.create({
      name: 'Other',
      email: 'ap@other.example',
      metadata: { netsuite_customer_id: 'C-10' },
    });

    const found: string[] = [];
    for await (const customer of h.stripe.customers.search({
      query: "metadata['netsuite_customer_id']:'C-9'",
      limit: 2,
    }))
      found.push(customer.id);
    expect(found).toEqual([...ids].reverse());

    const first = await h.stripe.customers.search({ query: "metadata['netsuite_customer_id']:'C-9'", limit: 2 });
    expect(first).toMatchObject({ object: 'search_result', has_more: true, url: '/v1/customers/search' });
    expect(first.next_page).toEqual(expect.any(String));

    const byEmail = await h.stripe.customers.search({
      query: "email:'ap@other.example' AND metadata['netsuite_customer_id']:'C-10'",
    });
    expect(byEmail.data.map((c) => c.name)).toEqual(['Other']);
    expect((await h.stripe.customers.search({ query: "name:'Client 1' OR name:'Other'" })).data).toHaveLength(2);

    await expect(h.stripe.customers.search({ query: "name~'Client'" })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });
});
