import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { replayExceptions } from '@/server/services/exceptions/replay-exceptions';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';

/**
 * Finance finalizes, voids or deletes a month's draft in billing, outside Syncwright. Work of that
 * customer and month approved later goes onto a new part of the month, never onto the invoice
 * finance closed.
 */
let sandbox: BillingSandbox;
const used: string[] = [];
const context = { actor: { id: null, email: 'finance@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  sandbox = await startBillingSandbox();
  const first = await sandbox.runBilling('UK');
  expect(first.status).toBe('succeeded');
}, 120_000);
afterAll(() => sandbox?.stop());

/** A draft of the UK entity holding time, of a customer no other test uses. */
async function pickDraft() {
  const picked = await draftWithTime(sandbox, 'UK', used);
  used.push(picked.draft.customer as string);
  return picked;
}

/** Where billing put the late time bill, and what the run recorded for it. */
async function placedLate(timebill: string, runId: string) {
  const ledger = await db().ledgerEntry.findMany({ where: { runId, sourceType: 'timebill', sourceId: timebill } });
  const item = (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).find(
    (i) => i.metadata?.netsuite_type === 'timebill' && i.metadata.netsuite_id === timebill,
  );
  return { ledger, item };
}

async function expectOnNextPart(item: Stripe.InvoiceItem | undefined, closed: Stripe.Invoice) {
  expect(item).toBeDefined();
  expect(item!.invoice).not.toBe(closed.id);
  const part = await sandbox.stripe.invoices.retrieve(item!.invoice as string);
  expect(part).toMatchObject({
    status: 'draft',
    customer: closed.customer,
    currency: closed.currency,
    metadata: { period: closed.metadata!.period, part: '2' },
  });
  // The new part holds what Syncwright put on it, nothing the closed draft had.
  expect((await sandbox.syncwrightItems({ invoice: part.id })).map((i) => i.id)).toEqual([item!.id]);
}

async function rejections(runId: string) {
  return db().ledgerEntry.count({ where: { runId, reason: { startsWith: 'TARGET_REJECTED' } } });
}

describe('a month whose draft finance closed', () => {
  it('bills late work of a finalized month on the next part of that month, never onto the finalized invoice', async () => {
    const { draft, items } = await pickDraft();
    const finalized = await sandbox.stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized.status).toBe('open');
    const late = await sandbox.approveLateTime(items[0]!.metadata!.netsuite_id!);

    const run = await sandbox.runBilling('UK');
    expect(run.status).toBe('succeeded');
    const { ledger, item } = await placedLate(late, run.runId);
    expect(ledger.map((l) => l.outcome)).toEqual(['delivered']);
    expect(await rejections(run.runId)).toBe(0);
    await expectOnNextPart(item, finalized);
    // The finalized invoice is as finance left it.
    expect((await sandbox.stripe.invoices.retrieve(draft.id)).total).toBe(finalized.total);
  });

  it('does the same for a month whose invoice was voided, and one whose draft was deleted', async () => {
    const voided = await pickDraft();
    await sandbox.stripe.invoices.finalizeInvoice(voided.draft.id);
    const voidInvoice = await sandbox.stripe.invoices.voidInvoice(voided.draft.id);
    const deleted = await pickDraft();
    await sandbox.stripe.invoices.del(deleted.draft.id);
    const lateOnVoided = await sandbox.approveLateTime(voided.items[0]!.metadata!.netsuite_id!);
    const lateOnDeleted = await sandbox.approveLateTime(deleted.items[0]!.metadata!.netsuite_id!);

    const run = await sandbox.runBilling('UK');
    expect(run.status).toBe('succeeded');
    expect(await rejections(run.runId)).toBe(0);
    const afterVoid = await placedLate(lateOnVoided, run.runId);
    expect(afterVoid.ledger.map((l) => l.outcome)).toEqual(['delivered']);
    await expectOnNextPart(afterVoid.item, voidInvoice);
    const afterDelete = await placedLate(lateOnDeleted, run.runId);
    expect(afterDelete.ledger.map((l) => l.outcome)).toEqual(['delivered']);
    await expectOnNextPart(afterDelete.item, deleted.draft);
  });

  it('sends an item tried before on a draft finalized since to the next part, not back to that draft', async () => {
    const { draft, items } = await pickDraft();
    const late = await sandbox.approveLateTime(items[0]!.metadata!.netsuite_id!, '2.25');
    // Billing refuses the first try: the item is left pending on this draft.
    sandbox.sandbox.faults.stripe.set({ rateReject: 1 });
    let held: { id: string };
    try {
      const refused = await sandbox.runBilling('UK', { budget: 0, baseDelayMs: 1, maxDelayMs: 1 });
      expect(refused.status).toBe('succeeded');
      held = await db().syncException.findFirstOrThrow({
        where: { routine: 'billing_eligibility', externalIds: { array_contains: [{ externalId: late }] } },
      });
    } finally {
      sandbox.sandbox.faults.stripe.reset();
    }
    const finalized = await sandbox.stripe.invoices.finalizeInvoice(draft.id);

    const replayed = await replayExceptions({ exceptionIds: [held.id] }, context);
    expect(replayed).toEqual([{ exceptionId: held.id, outcome: 'delivered', reason: null, resolved: true }]);
    const item = (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).find((i) => i.metadata?.netsuite_id === late);
    await expectOnNextPart(item, finalized);
  });
});
