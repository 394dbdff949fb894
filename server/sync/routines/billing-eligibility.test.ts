import Decimal from 'decimal.js';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { connectorFor } from '@/server/services/connections/connections';
import { activeValueMaps, mappingGovernance } from '@/server/services/mappings/field-mapping-governance';
import { pullAll } from '../pull-all';
import { runRoutine } from '../run-routine';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;

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

async function syncwrightItems() {
  const items: Stripe.InvoiceItem[] = [];
  for await (const item of stripe.invoiceItems.list({ limit: 100 })) if (item.metadata?.syncwright_id) items.push(item);
  return items;
}

describe('billing eligibility', () => {
  it('turns approved, unbilled time and due retainer fees into invoice items on monthly drafts, to the cent, and accounts for every record', async () => {
    // The US entity bills its work as billing products: every item but analysts' time is mapped,
    // so analysts' time waits for its mapping; the other entities bill each item as itself.
    const scope = { connectionId: fixture.connections.stripe, legalEntityId: 'US' };
    const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };
    const products = ['partner', 'principal', 'senior-consultant', 'consultant', 'milestone', 'retainer'];
    await mappingGovernance.saveDraft(
      scope,
      {
        mappings: [
          ...(await activeValueMaps(scope)).mappings,
          ...products.map((item) => ({ kind: 'item_price', sourceValue: item, targetValue: `prod_${item}` })),
        ],
        fieldMaps: [],
      },
      context,
    );
    await mappingGovernance.publishDraft(scope, 'US bills its work as billing products', context);
    // The retainer months due before the runs (billing then writes its invoice onto each it bills).
    const erp = await connectorFor(fixture.connections.netsuite);
    const dueFees = await pullAll(erp, 'customrecord_sw_retainer_period', { custrecord_sw_rp_billed_invoice: null });
    const summaries = [];
    for (const legalEntityId of ['US', 'UK', 'DE']) {
      summaries.push(
        await runRoutine({
          routine: 'billing_eligibility',
          connectionId: fixture.connections.netsuite,
          legalEntityId,
          trigger: 'manual',
        }),
      );
    }
    for (const summary of summaries) {
      expect(summary.error).toBeNull();
      expect(summary.status).toBe('succeeded');
      expect(summary.recordsRead).toBeGreaterThan(0);
      expect(summary.delivered + summary.noop + summary.exceptions).toBe(summary.recordsRead);
      const ledger = await db().ledgerEntry.groupBy({ by: ['outcome'], where: { runId: summary.runId }, _count: true });
      expect(Object.fromEntries(ledger.map((l) => [l.outcome, l._count]))).toEqual(
        Object.fromEntries(
          [
            ['delivered', summary.delivered],
            ['noop', summary.noop],
            ['exception', summary.exceptions],
          ].filter(([, n]) => n !== 0),
        ),
      );
    }
    const delivered = summaries.reduce((n, s) => n + s.delivered, 0);
    expect(delivered).toBeGreaterThan(0);

    const items = await syncwrightItems();
    expect(items).toHaveLength(delivered);
    // Each item is hours × rate of its time bill, rounded to the cent, on a draft of its month.
    const sample = items.filter((i) => i.metadata?.netsuite_type === 'timebill').slice(0, 25);
    for (const item of sample) {
      const match = /: ([\d.]+) h .* × ([\d.]+) ([A-Z]{3})$/.exec(item.description ?? '');
      expect(match, item.description ?? '').not.toBeNull();
      const expected = new Decimal(match![1]!)
        .times(match![2]!)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
        .times(100)
        .toNumber();
      expect(item.amount).toBe(expected);
      const invoiceId = typeof item.invoice === 'string' ? item.invoice : item.invoice?.id;
      const invoice = await stripe.invoices.retrieve(invoiceId!);
      expect(invoice.status).toBe('draft');
      expect(invoice.metadata?.period).toBe(item.metadata?.work_date?.slice(0, 7));
    }
    const partnerItems = items.filter((i) => / h partner × /.test(i.description ?? ''));
    expect(partnerItems.length).toBeGreaterThan(0);
    for (const item of partnerItems) {
      expect(item.metadata?.item).toBe(item.metadata?.legal_entity === 'US' ? 'prod_partner' : 'partner');
    }
    const analysts = items.filter((i) => / h analyst × /.test(i.description ?? ''));
    expect(analysts.length).toBeGreaterThan(0);
    expect(analysts.every((i) => i.metadata?.legal_entity !== 'US')).toBe(true);
    const unmapped = await db().syncException.findMany({
      where: { routine: 'billing_eligibility', code: 'ITEM_UNMAPPED' },
    });
    expect(unmapped.length).toBeGreaterThan(0);
    for (const e of unmapped) {
      expect(e).toMatchObject({ legalEntityId: 'US', team: 'finance', status: 'open' });
      expect(e.message).toContain('"analyst"');
    }
    // Each retainer month not yet billed in the ERP is billed its fee, on the draft of that month.
    expect(dueFees.length).toBeGreaterThan(0);
    const feeItems = new Map(
      items
        .filter((i) => i.metadata?.netsuite_type === 'customrecord_sw_retainer_period')
        .map((i) => [i.metadata!.netsuite_id, i]),
    );
    const heldFees = await db().ledgerEntry.count({
      where: { sourceType: 'customrecord_sw_retainer_period', outcome: 'exception' },
    });
    expect(feeItems.size).toBeGreaterThan(0);
    expect(feeItems.size + heldFees).toBe(dueFees.length);
    for (const fee of dueFees) {
      const item = feeItems.get(fee.externalId);
      if (!item) continue;
      expect(item.amount).toBe(new Decimal(fee.data.custrecord_sw_rp_fee as string).times(100).toNumber());
      expect(item.metadata?.item).toBe(item.metadata?.legal_entity === 'US' ? 'prod_retainer' : 'retainer');
      const draft = await stripe.invoices.retrieve(item.invoice as string);
      expect(draft.metadata?.period).toBe(fee.data.custrecord_sw_rp_period);
    }

    // Draft totals are the sums of their items.
    const byInvoice = new Map<string, number>();
    for (const item of items) {
      const id = typeof item.invoice === 'string' ? item.invoice : item.invoice!.id;
      byInvoice.set(id, (byInvoice.get(id) ?? 0) + item.amount);
    }
    for (const [id, sum] of [...byInvoice].slice(0, 10)) expect((await stripe.invoices.retrieve(id)).total).toBe(sum);
  });

  it('bills customers billing already held on those customers, never creating a second one', async () => {
    const byErpId = new Map<string, number>();
    for await (const customer of stripe.customers.list({ limit: 100 })) {
      const erpId = customer.metadata?.netsuite_customer_id;
      if (erpId) byErpId.set(erpId, (byErpId.get(erpId) ?? 0) + 1);
    }
    expect(byErpId.size).toBeGreaterThan(0);
    expect([...byErpId.values()].every((n) => n === 1)).toBe(true);
  });

  it('holds the planted problems as exceptions with their codes and owners', async () => {
    const exceptions = await db().syncException.findMany({ where: { routine: 'billing_eligibility' } });
    const codes = new Set(exceptions.map((e) => e.code));
    expect(codes).toContain('RATE_CARD_MISSING');
    expect(codes).toContain('TAX_CODE_MISSING');
    const rateCard = exceptions.find((e) => e.code === 'RATE_CARD_MISSING')!;
    expect(rateCard).toMatchObject({ team: 'operations', priority: 'high', amount: null });
    const tax = exceptions.find((e) => e.code === 'TAX_CODE_MISSING')!;
    expect(tax).toMatchObject({ kind: 'business', status: 'open' });
    expect((tax.payload as { record: { objectType: string } }).record.objectType).toBe('timebill');
  });

  it('re-running from the start writes nothing twice', async () => {
    const before = (await syncwrightItems()).length;
    await db().watermark.deleteMany({ where: { routine: 'billing_eligibility' } });
    const summary = await runRoutine({
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: 'UK',
      trigger: 'manual',
    });
    expect(summary.delivered).toBe(0);
    expect(summary.delivered + summary.noop + summary.exceptions).toBe(summary.recordsRead);
    expect((await syncwrightItems()).length).toBe(before);
  });
});
