import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { pullAll } from '@/server/sync/pull-all';
import { ReferenceCache } from '@/server/sync/reference-cache';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';
import { CUSTOMERS, PROJECTS, RATE_CARDS } from './billing-reference';

/**
 * Billing's reference data (projects, customers, rate cards) is kept per connection and read from
 * NetSuite by what changed since the last run: a run after the first reads only the change, and a
 * correction at the source is what the next run prices with.
 */
let sandbox: BillingSandbox;

beforeAll(async () => {
  sandbox = await startBillingSandbox();
  expect((await sandbox.runBilling('UK')).status).toBe('succeeded');
}, 120_000);
afterAll(() => sandbox?.stop());

const minorUnits = (hours: string, rate: string) =>
  new Decimal(hours).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).times(100).toNumber();

describe('billing reference data', () => {
  it('is read whole once, then only what changed since', async () => {
    const cache = new ReferenceCache(sandbox.connections.netsuite, sandbox.erp);
    for (const type of [PROJECTS, CUSTOMERS, RATE_CARDS]) {
      const stored = await db().referenceRecord.count({
        where: { connectionId: sandbox.connections.netsuite, objectType: type.objectType },
      });
      expect(stored).toBe((await pullAll(sandbox.erp, type.objectType)).length);
      // Nothing changed since the first run: at most the look-back's few seconds are read again.
      expect(await cache.refresh(type)).toBeLessThan(Math.max(5, stored / 10));
    }
  });

  it('prices the next run with a rate card corrected at the source, and misses a card made inactive', async () => {
    const { items } = await draftWithTime(sandbox, 'UK');
    const timebill = await sandbox.erpRecord('timebill', items[0]!.metadata!.netsuite_id!);
    const [rateCard] = await pullAll(sandbox.erp, 'customrecord_sw_ratecard', {
      custrecord_sw_rc_project: String(timebill.data.customer),
      custrecord_sw_rc_role: String(timebill.data.custcol_sw_role),
    });
    const setCard = (fields: Record<string, unknown>, key: string) =>
      sandbox.erp.upsert('customrecord_sw_ratecard', { key: '', targetId: rateCard!.externalId, fields }, key);

    const corrected = new Decimal(String(rateCard!.data.custrecord_sw_rc_rate)).plus('17.5').toFixed();
    await setCard({ custrecord_sw_rc_rate: corrected }, 'rate-corrected');
    const late = await sandbox.approveLateTime(timebill.externalId, '2.5');
    expect((await sandbox.runBilling('UK')).status).toBe('succeeded');
    const [item] = (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).filter(
      (i) => i.metadata!.netsuite_id === late,
    );
    expect(item?.amount).toBe(minorUnits('2.5', corrected));
    expect(item?.description).toContain(`× ${corrected} GBP`);

    // Retired at the source: later time on that role has no rate, and says so.
    await setCard({ isInactive: true }, 'rate-retired');
    const later = await sandbox.approveLateTime(timebill.externalId, '3.25');
    const run = await sandbox.runBilling('UK');
    expect(run.status).toBe('succeeded');
    expect(
      (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).some((i) => i.metadata!.netsuite_id === later),
    ).toBe(false);
    const missing = await db().syncException.findFirst({
      where: {
        code: 'RATE_CARD_MISSING',
        externalIds: { array_contains: [{ system: 'netsuite', externalId: later }] },
      },
    });
    expect(missing).not.toBeNull();
  });
});
