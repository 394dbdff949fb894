import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { runRoutine } from '@/server/sync/run-routine';
import { opportunityTraceKey } from '@/server/sync/pipeline/trace-keys';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';

/** One trace key follows a deal from the CRM through its project and billed time to its invoice. */
let sandbox: BillingSandbox;

beforeAll(async () => {
  sandbox = await startBillingSandbox();
}, 120_000);
afterAll(() => sandbox?.stop());

const run = (routine: 'project_activation' | 'invoice_status', connection: 'salesforce' | 'stripe') =>
  runRoutine({ routine, connectionId: sandbox.connections[connection], legalEntityId: 'UK', trigger: 'manual' });

describe('trace keys', () => {
  it('gives the opportunity, its project, its time entries, their invoice items and the invoice one key', async () => {
    expect((await run('project_activation', 'salesforce')).status).toBe('succeeded');
    expect((await sandbox.runBilling('UK')).status).toBe('succeeded');
    const { draft, items } = await draftWithTime(sandbox, 'UK');
    const timebill = items[0]!.metadata!.netsuite_id!;
    const projectId = String((await sandbox.erpRecord('timebill', timebill)).data.customer);
    const opportunity = String((await sandbox.erpRecord('job', projectId)).data.custentity_sw_opportunity_id);
    const key = opportunityTraceKey(opportunity);

    await sandbox.stripe.invoices.finalizeInvoice(draft.id);
    await sandbox.stripe.invoices.pay(draft.id);
    expect((await run('invoice_status', 'stripe')).status).toBe('succeeded');

    const ledger = (where: object) => db().ledgerEntry.findMany({ where, select: { traceKey: true, outcome: true } });
    // The deal and the project written from it.
    const deal = await ledger({ routine: 'project_activation', sourceId: opportunity });
    expect(deal.length).toBeGreaterThan(0);
    expect(deal.map((r) => r.traceKey)).toEqual(deal.map(() => key));
    // Every time entry billed on the draft, and the invoice item written from it, carries its deal's key.
    const keys = new Set<string>();
    for (const item of items) {
      const entry = item.metadata!.netsuite_id!;
      const project = String((await sandbox.erpRecord('timebill', entry)).data.customer);
      const dealOf = String((await sandbox.erpRecord('job', project)).data.custentity_sw_opportunity_id);
      keys.add(opportunityTraceKey(dealOf));
      const rows = await ledger({ routine: 'billing_eligibility', sourceType: 'timebill', sourceId: entry });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.traceKey)).toEqual(rows.map(() => opportunityTraceKey(dealOf)));
      const written = await ledger({ targetSystem: 'stripe', targetType: 'invoiceitem', targetId: item.id });
      expect(written.map((r) => r.traceKey)).toEqual([opportunityTraceKey(dealOf)]);
    }
    expect(keys.has(key)).toBe(true);
    // The invoice, finalized and paid.
    const invoice = await ledger({ routine: 'invoice_status', sourceId: draft.id });
    expect(invoice.length).toBeGreaterThan(0);
    // One deal's invoice carries its key; one billing several deals, the first of theirs.
    expect(new Set(invoice.map((r) => r.traceKey)).size).toBe(1);
    expect(keys.has(invoice[0]!.traceKey!)).toBe(true);
    if (keys.size === 1) expect(invoice[0]!.traceKey).toBe(key);
  });
});
