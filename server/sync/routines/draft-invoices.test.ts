import { describe, expect, it } from 'vitest';
import { DraftInvoices, MAX_ITEMS_PER_INVOICE, type OpenDraft } from './draft-invoices';

const opened = (part: number, items = 0): OpenDraft => ({
  ok: true,
  customer: 'cus_1',
  draft: `in_part${part}`,
  part,
  items,
});

describe('draft invoices', () => {
  it('fills a draft to the limit, then continues on the next part, counting what a part already held', async () => {
    const drafts = new DraftInvoices();
    const opens: number[] = [];
    // Part 1 already holds 100 items from an earlier run.
    const open = async (part: number) => (opens.push(part), opened(part, part === 1 ? 100 : 0));
    const places = await Promise.all(Array.from({ length: 500 }, () => drafts.place('C1|2026-11', open)));
    const perDraft = new Map<string, number>();
    for (const place of places) if (place.ok) perDraft.set(place.draft, (perDraft.get(place.draft) ?? 0) + 1);
    expect(Object.fromEntries(perDraft)).toEqual({
      in_part1: MAX_ITEMS_PER_INVOICE - 100,
      in_part2: MAX_ITEMS_PER_INVOICE,
      in_part3: 100,
    });
    expect(opens).toEqual([1, 2, 3]);
  });

  it('passes over a part finance closed in billing, whatever it holds', async () => {
    const drafts = new DraftInvoices();
    const opens: number[] = [];
    const open = async (part: number) => (
      opens.push(part),
      { ...opened(part, part === 1 ? 3 : 0), closed: part === 1 }
    );
    const places = await Promise.all(Array.from({ length: 5 }, () => drafts.place('C1|2026-10', open)));
    expect(places.map((p) => p.ok && p.draft)).toEqual(Array.from({ length: 5 }, () => 'in_part2'));
    expect(opens).toEqual([1, 2]);
  });

  it('gives a failed opening to those waiting on it, and opens again for the next request', async () => {
    const drafts = new DraftInvoices();
    let attempts = 0;
    const open = async (
      part: number,
    ): Promise<OpenDraft | Extract<Awaited<ReturnType<DraftInvoices['place']>>, { ok: false }>> => {
      attempts += 1;
      if (attempts === 1)
        return {
          ok: false,
          idempotencyKey: 'k',
          code: 'RETRIES_EXHAUSTED',
          message: 'Stripe unavailable',
          targetCode: 'api_error',
          targetMessage: null,
        };
      return opened(part);
    };
    const first = await Promise.all([drafts.place('C1|2026-11', open), drafts.place('C1|2026-11', open)]);
    expect(first.map((p) => p.ok)).toEqual([false, false]);
    expect(await drafts.place('C1|2026-11', open)).toEqual({ ok: true, customer: 'cus_1', draft: 'in_part1' });
    expect(attempts).toBe(2);
  });
});
