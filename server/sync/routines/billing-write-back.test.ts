import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { fromMinorUnits } from '@/server/domain/money';
import { resolveDashboardScope } from '@/server/services/dashboards/dashboard-scope';
import { unbilledWork } from '@/server/services/dashboards/unbilled-work';
import { replayExceptions } from '@/server/services/exceptions/replay-exceptions';
import { canonicalIdFor } from '@/server/sync/pipeline/identity';
import { pullAll } from '@/server/sync/pull-all';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';

/**
 * Billed means billed in the ERP: each record billing took carries the billing invoice it went
 * onto, so the ERP's unbilled view and billing's next read agree.
 */
let sandbox: BillingSandbox;
const context = { actor: { id: null, email: 'finance@syncwright.example' }, requestId: null, ip: null };

const BILLED_FIELD: Record<string, string> = {
  timebill: 'custcol_sw_billed_invoice',
  projecttask: 'custevent_sw_billed_invoice',
  customrecord_sw_retainer_period: 'custrecord_sw_rp_billed_invoice',
};

/** The API requests the NetSuite sandbox has served, by method and kind of resource. */
async function erpRequests(): Promise<Record<string, number>> {
  const health = await fetch(`${sandbox.sandbox.netsuite.baseUrl}/__sandbox/health`);
  return ((await health.json()) as { requests: Record<string, number> }).requests;
}
const sent = (before: Record<string, number>, after: Record<string, number>, kind: string) =>
  (after[kind] ?? 0) - (before[kind] ?? 0);

beforeAll(async () => {
  sandbox = await startBillingSandbox();
}, 120_000);
afterAll(() => sandbox?.stop());

describe('billing references in the ERP', () => {
  it('writes the invoice of each delivered line onto its ERP record, so that the next run reads none of them', async () => {
    const before = await erpRequests();
    const first = await sandbox.runBilling('UK');
    const after = await erpRequests();
    expect(first.status).toBe('succeeded');
    expect(first.delivered).toBeGreaterThan(0);
    const items = await sandbox.syncwrightItems({ legalEntityId: 'UK' });
    expect(items).toHaveLength(first.delivered);
    expect(items.some((i) => i.metadata!.netsuite_type === 'timebill')).toBe(true);

    for (const [objectType, billedField] of Object.entries(BILLED_FIELD)) {
      const records = new Map((await pullAll(sandbox.erp, objectType)).map((r) => [r.externalId, r]));
      for (const item of items.filter((i) => i.metadata!.netsuite_type === objectType)) {
        expect(
          records.get(item.metadata!.netsuite_id!)?.data[billedField],
          `${objectType} ${item.metadata!.netsuite_id}`,
        ).toBe(item.invoice);
      }
    }
    // The work billed is on record as billed, on its invoice; work held back as an exception is
    // unbilled, at the exception's amount.
    const billed = await db().billableWork.findMany({
      where: {
        canonicalId: {
          in: items.map((i) => canonicalIdFor('netsuite', i.metadata!.netsuite_type!, i.metadata!.netsuite_id!)),
        },
      },
    });
    expect(billed).toHaveLength(items.length);
    const invoiceOf = new Map(items.map((i) => [i.metadata!.netsuite_id!, i.invoice]));
    for (const work of billed) expect(work.billedInvoice, work.sourceId).toBe(invoiceOf.get(work.sourceId));
    expect(billed.every((w) => w.billedAt !== null && w.legalEntityId === 'UK' && w.currency === 'GBP')).toBe(true);
    const held = await db().syncException.findMany({
      where: { routine: 'billing_eligibility', legalEntityId: 'UK', amount: { not: null } },
    });
    expect(held.length).toBeGreaterThan(0);
    for (const exception of held) {
      const ref = (exception.externalIds as { system: string; objectType: string; externalId: string }[]).find(
        (r) => r.system === 'netsuite',
      )!;
      const work = await db().billableWork.findUniqueOrThrow({
        where: { canonicalId: canonicalIdFor('netsuite', ref.objectType, ref.externalId) },
      });
      expect({ billedAt: work.billedAt, amount: work.amount?.toFixed(2) }, exception.code).toEqual({
        billedAt: null,
        amount: exception.amount!.toFixed(2),
      });
    }
    // The dashboard's rollup is the records' sum, to the cent.
    const [rollup] = await db().$queryRaw<{ amount: string }[]>`
      SELECT sum(amount)::text AS amount FROM "UnbilledWorkDay" WHERE "legalEntityId" = 'UK'`;
    const [records] = await db().$queryRaw<{ amount: string }[]>`
      SELECT sum(coalesce(amount, 0))::text AS amount FROM "BillableWork" WHERE "legalEntityId" = 'UK' AND "billedAt" IS NULL`;
    expect(rollup!.amount).toBe(records!.amount);

    // Written in NetSuite batch requests, a hundred records of a type at most in each, not one
    // request per record.
    const perType = Object.keys(BILLED_FIELD).map(
      (type) => items.filter((i) => i.metadata!.netsuite_type === type).length,
    );
    expect(sent(before, after, 'PATCH batch')).toBe(perType.reduce((n, count) => n + Math.ceil(count / 100), 0));
    expect(sent(before, after, 'PATCH record')).toBe(0);

    // Every write-back is on record and in the audit log.
    const writeBacks = await db().delivery.count({
      where: { routine: 'billing_eligibility', targetSystem: 'netsuite', status: 'delivered' },
    });
    expect(writeBacks).toBe(items.length);
    expect(await db().auditEvent.count({ where: { action: 'sync.updated', targetType: 'netsuite.timebill' } })).toBe(
      items.filter((i) => i.metadata!.netsuite_type === 'timebill').length,
    );

    // The next run, from the start, reads what is still unbilled: none of the delivered records.
    await db().watermark.deleteMany({ where: { routine: 'billing_eligibility', legalEntityId: 'UK' } });
    const second = await sandbox.runBilling('UK');
    expect(second.status).toBe('succeeded');
    expect(second.recordsRead).toBe(first.recordsRead - first.delivered);
    expect(second.delivered).toBe(0);
    const delivered = new Set(items.map((i) => i.metadata!.netsuite_id));
    const read = await db().ledgerEntry.findMany({ where: { runId: second.runId }, select: { sourceId: true } });
    expect(read.filter((r) => delivered.has(r.sourceId))).toEqual([]);
  });

  it('holds a write-back the ERP refuses as an exception and makes it on replay, losing nothing', async () => {
    const { draft, items } = await draftWithTime(sandbox, 'UK');
    const late = await sandbox.approveLateTime(items[0]!.metadata!.netsuite_id!);
    sandbox.sandbox.faults.netsuite.set({ rateReject: 1 });
    let run;
    try {
      run = await sandbox.runBilling('UK', { budget: 0, baseDelayMs: 1, maxDelayMs: 1 });
    } finally {
      sandbox.sandbox.faults.netsuite.reset();
    }
    expect(run.status).toBe('succeeded');
    // Billed in billing, not yet in the ERP: held, with the ERP's refusal.
    const item = (await sandbox.syncwrightItems({ invoice: draft.id })).find((i) => i.metadata!.netsuite_id === late);
    expect(item).toBeDefined();
    expect((await sandbox.erpRecord('timebill', late)).data.custcol_sw_billed_invoice).toBeUndefined();
    const held = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', externalIds: { array_contains: [{ externalId: late }] } },
    });
    expect(held).toMatchObject({ status: 'open', code: 'TARGET_REJECTED' });
    expect(held.message).toContain(draft.id);
    // On the invoice, so no longer unbilled work, though the ERP does not know yet.
    const work = await db().billableWork.findUniqueOrThrow({
      where: { canonicalId: canonicalIdFor('netsuite', 'timebill', late) },
    });
    expect(work.billedInvoice).toBe(draft.id);

    const replayed = await replayExceptions({ exceptionIds: [held.id] }, context);
    expect(replayed).toEqual([
      {
        exceptionId: held.id,
        outcome: 'delivered',
        reason: `billing reference ${draft.id} written back`,
        resolved: true,
      },
    ]);
    expect((await sandbox.erpRecord('timebill', late)).data.custcol_sw_billed_invoice).toBe(draft.id);
    // Still one line in billing.
    expect(
      (await sandbox.syncwrightItems({ invoice: draft.id })).filter((i) => i.metadata!.netsuite_id === late),
    ).toHaveLength(1);
  });

  it('moves the unbilled figure down by exactly what a run bills, as soon as the run commits', async () => {
    const resolved = await resolveDashboardScope(db(), { entity: 'UK', currency: 'GBP' }, new Date());
    if (!resolved.ok) throw new Error(resolved.message);
    const unbilledUk = async () =>
      (await unbilledWork({ scope: resolved.scope, now: new Date() })).byEntity.find((e) => e.legalEntityId === 'UK')
        ?.amount.amount ?? '0';
    const before = await unbilledUk();

    // The UK client without a VAT number gets a tax code: its held time can now be billed.
    const held = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', legalEntityId: 'UK', code: 'TAX_CODE_MISSING', status: 'open' },
    });
    const ref = (held.externalIds as { system: string; externalId: string }[]).find((r) => r.system === 'netsuite')!;
    const job = await sandbox.erpRecord(
      'job',
      String((await sandbox.erpRecord('timebill', ref.externalId)).data.customer),
    );
    const taxDefault = await db().fieldMapping.findFirstOrThrow({
      where: {
        connectionId: sandbox.connections.stripe,
        legalEntityId: 'UK',
        kind: 'tax_code',
        sourceValue: 'default',
      },
    });
    await db().fieldMapping.create({
      data: { ...taxDefault, id: undefined, sourceValue: `customer:${String(job.data.parent)}` },
    });
    const earlier = new Set((await sandbox.syncwrightItems({ legalEntityId: 'UK' })).map((i) => i.id));
    await db().watermark.deleteMany({ where: { routine: 'billing_eligibility', legalEntityId: 'UK' } });
    expect((await sandbox.runBilling('UK')).status).toBe('succeeded');

    const billed = (await sandbox.syncwrightItems({ legalEntityId: 'UK' })).filter((i) => !earlier.has(i.id));
    expect(billed.length).toBeGreaterThan(0);
    const billedAmount = billed.reduce(
      (sum, item) => sum.plus(fromMinorUnits(item.amount, item.currency.toUpperCase()).amount),
      new Decimal(0),
    );
    expect(new Decimal(before).minus(await unbilledUk()).toFixed(2)).toBe(billedAmount.toFixed(2));
  });
});
