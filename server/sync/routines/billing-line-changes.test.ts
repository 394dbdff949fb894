import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { pullAll } from '@/server/sync/pull-all';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';

/**
 * A rate-card correction after a line was delivered: on a draft the line is corrected in place;
 * once the invoice is finalized the difference is a finance exception, never a silent skip and
 * never a second line.
 */
let sandbox: BillingSandbox;

beforeAll(async () => {
  sandbox = await startBillingSandbox();
  expect((await sandbox.runBilling('UK')).status).toBe('succeeded');
}, 120_000);
afterAll(() => sandbox?.stop());

/** hours × rate in minor units, rounded to the cent as billing lines are. */
const minorUnits = (hours: string, rate: string) =>
  new Decimal(hours).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).times(100).toNumber();

describe('a rate-card correction after delivery', () => {
  it('updates the line in place on its draft, and after finalizing raises DELIVERED_LINE_CHANGED with both amounts', async () => {
    const { draft, items } = await draftWithTime(sandbox, 'UK');
    const item = items[0]!;
    const before = await sandbox.syncwrightItems({ invoice: draft.id });
    const timebill = await sandbox.erpRecord('timebill', item.metadata!.netsuite_id!);
    const hours = String(timebill.data.hours);
    const [rateCard] = await pullAll(sandbox.erp, 'customrecord_sw_ratecard', {
      custrecord_sw_rc_project: String(timebill.data.customer),
      custrecord_sw_rc_role: String(timebill.data.custcol_sw_role),
    });
    const oldRate = String(rateCard!.data.custrecord_sw_rc_rate);
    const setRate = (rate: string) =>
      sandbox.erp.upsert(
        'customrecord_sw_ratecard',
        { key: '', targetId: rateCard!.externalId, fields: { custrecord_sw_rc_rate: rate } },
        `rate-${rate}`,
      );

    // Corrected while the draft is open: the same item now bills the new rate.
    const corrected = new Decimal(oldRate).plus('12.5').toFixed();
    await setRate(corrected);
    const first = await sandbox.runBilling('UK');
    expect(first.status).toBe('succeeded');
    const updated = await sandbox.stripe.invoiceItems.retrieve(item.id);
    expect(updated.amount).toBe(minorUnits(hours, corrected));
    expect(updated.amount).not.toBe(item.amount);
    expect(updated.invoice).toBe(draft.id);
    expect(updated.description).toContain(`× ${corrected} GBP`);
    const onDraft = await sandbox.syncwrightItems({ invoice: draft.id });
    expect(onDraft.filter((i) => i.metadata!.syncwright_id === item.metadata!.syncwright_id)).toHaveLength(1);
    expect(onDraft).toHaveLength(before.length);
    expect((await sandbox.stripe.invoices.retrieve(draft.id)).total).toBe(
      onDraft.reduce((sum, i) => sum + i.amount, 0),
    );

    // Corrected again after finance finalized the invoice: billing is left as it is and finance
    // is told what was billed and what it comes to now.
    await sandbox.stripe.invoices.finalizeInvoice(draft.id);
    const again = new Decimal(corrected).plus('7.25').toFixed();
    await setRate(again);
    const second = await sandbox.runBilling('UK');
    expect(second.status).toBe('succeeded');
    expect((await sandbox.stripe.invoiceItems.retrieve(item.id)).amount).toBe(updated.amount);
    expect(
      (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).filter(
        (i) => i.metadata!.syncwright_id === item.metadata!.syncwright_id,
      ),
    ).toHaveLength(1);
    const exception = await db().syncException.findFirstOrThrow({
      where: {
        code: 'DELIVERED_LINE_CHANGED',
        externalIds: { array_contains: [{ system: 'netsuite', externalId: timebill.externalId }] },
      },
    });
    const delivered = new Decimal(updated.amount).div(100).toFixed(2);
    const now = new Decimal(minorUnits(hours, again)).div(100).toFixed(2);
    expect(exception).toMatchObject({ status: 'open', team: 'finance', currency: 'GBP' });
    expect(exception.message).toContain(`${delivered} GBP`);
    expect(exception.message).toContain(`${now} GBP`);
    expect(exception.externalIds).toContainEqual({ system: 'stripe', objectType: 'invoiceitem', externalId: item.id });
    expect(
      await db().ledgerEntry.count({ where: { runId: second.runId, reason: { startsWith: 'TARGET_REJECTED' } } }),
    ).toBe(0);
  });
});
