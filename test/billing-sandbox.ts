import Stripe from 'stripe';
import type { PulledRecord } from '@/server/connectors/connector';
import { connectorFor } from '@/server/services/connections/connections';
import { pullAll } from '@/server/sync/pull-all';
import type { RetryPolicy } from '@/server/sync/retry';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from './sandbox-fixture';

/**
 * The connected sandbox as billing tests use it: the Stripe SDK and the ERP connector standing in
 * for finance and the project managers, and billing runs of one entity.
 */
export async function startBillingSandbox() {
  const fixture = await startConnectedSandbox();
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  const stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  const erp = await connectorFor(fixture.connections.netsuite);

  /** The one record of a type with this internal id, as SuiteQL reads it. */
  async function erpRecord(objectType: string, id: string): Promise<PulledRecord> {
    const [record] = await pullAll(erp, objectType, { id });
    if (!record) throw new Error(`NetSuite has no ${objectType} ${id}`);
    return record;
  }

  return {
    ...fixture,
    stripe,
    erp,
    erpRecord,

    runBilling(legalEntityId: string, retryPolicy?: RetryPolicy) {
      return runRoutine({
        routine: 'billing_eligibility',
        connectionId: fixture.connections.netsuite,
        legalEntityId,
        trigger: 'manual',
        ...(retryPolicy ? { retryPolicy } : {}),
      });
    },

    /** The invoice items Syncwright wrote for an entity (or for one draft). */
    async syncwrightItems(filter: { legalEntityId: string } | { invoice: string }) {
      const items: Stripe.InvoiceItem[] = [];
      const params = 'invoice' in filter ? { invoice: filter.invoice, limit: 100 } : { limit: 100 };
      for await (const item of stripe.invoiceItems.list(params)) {
        if (!item.metadata?.syncwright_id) continue;
        if ('legalEntityId' in filter && item.metadata.legal_entity !== filter.legalEntityId) continue;
        items.push(item);
      }
      return items;
    },

    /**
     * A time bill approved today for the project, consultant, role and day of an existing one:
     * work a manager approved after the month's draft was made. Returns its internal id.
     */
    async approveLateTime(like: string, hours = '1.5'): Promise<string> {
      const { data } = await erpRecord('timebill', like);
      const day = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(String(data.trandate));
      const written = await erp.upsert(
        'timebill',
        {
          key: `late-${like}-${hours}`,
          fields: {
            employee: { id: String(data.employee) },
            customer: { id: String(data.customer) },
            subsidiary: { id: String(data.subsidiary) },
            tranDate: day ? `${day[3]}-${day[1]!.padStart(2, '0')}-${day[2]!.padStart(2, '0')}` : data.trandate,
            hours,
            isBillable: true,
            approvalStatus: { id: '2' },
            custcol_sw_role: String(data.custcol_sw_role),
          },
        },
        `late-${like}`,
      );
      // Reads take only seconds closed on the account's clock: wait until this save's has.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      return written.externalId;
    },
  };
}

export type BillingSandbox = Awaited<ReturnType<typeof startBillingSandbox>>;

/**
 * A draft Syncwright opened for the entity that holds time, with its items, of a customer not in
 * `skipCustomers` (so that tests sharing a sandbox each have a customer and month of their own).
 */
export async function draftWithTime(
  sandbox: BillingSandbox,
  legalEntityId: string,
  skipCustomers: readonly string[] = [],
) {
  const items = await sandbox.syncwrightItems({ legalEntityId });
  const byDraft = new Map<string, Stripe.InvoiceItem[]>();
  for (const item of items) {
    // An item on no invoice was on a draft finance deleted.
    if (item.metadata?.netsuite_type !== 'timebill' || typeof item.invoice !== 'string') continue;
    const draft = item.invoice;
    byDraft.set(draft, [...(byDraft.get(draft) ?? []), item]);
  }
  for (const [id, onDraft] of byDraft) {
    if (skipCustomers.includes(onDraft[0]!.customer as string)) continue;
    const draft = await sandbox.stripe.invoices.retrieve(id);
    if (draft.status === 'draft') return { draft, items: onDraft };
  }
  throw new Error(`no open draft of ${legalEntityId} holds time`);
}
