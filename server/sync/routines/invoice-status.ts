import Decimal from 'decimal.js';
import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { fromMinorUnits } from '@/server/domain/money';
import { connectionServing, connectorFor } from '@/server/services/connections/connections';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { loadCanonical, recordCanonical } from '../canonical-store';
import type { BatchJournal } from '../pipeline/batch-journal';
import type { WriteRequest, WriteResult, WriteSink } from '../pipeline/deliverer';
import { canonicalIdFor } from '../pipeline/identity';
import { OwnershipStep, type WrittenAttributes } from '../pipeline/ownership-step';
import { RecordMessage } from '../pipeline/record-message';
import { projectTraceKey, traceKeysOfInvoices } from '../pipeline/trace-keys';
import { ReferenceCache } from '../reference-cache';
import type { RoutineDefinition, RoutineSource, RunScope } from '../routine-definition';
import { PROJECTS } from './billing-reference';
import { erpTargetFor } from './erp-target';
import { isFurtherAlong } from './invoice-status-order';

/**
 * Invoice status (billing → ERP and CRM): an invoice finalized, paid, voided or marked
 * uncollectible in billing is written back to the ERP invoice (created there when billing raised
 * it) and, when it belongs to one project, to the deal's "last invoice status" in the CRM.
 */
const ERP_STATUS: Record<string, string> = { open: 'A', paid: 'B', void: 'V', uncollectible: 'A' };

/** What the routine writes: the ERP invoice (raised there when billing raised it) and the deal's status. */
const ERP_INVOICE: WrittenAttributes = {
  status: 'status',
  custbody_sw_billing_status: 'status',
  amountRemaining: 'amountPaid',
  custbody_sw_stripe_invoice_id: null,
  entity: null,
  subsidiary: null,
  currency: null,
  tranDate: 'issuedOn',
  total: 'total',
};
const CRM_DEAL: WrittenAttributes = { Last_Invoice_Status__c: 'status' };

interface StripeInvoice {
  id: string;
  status: string | null;
  currency: string;
  total: number;
  amount_paid: number;
  amount_remaining: number;
  deleted?: boolean;
  last_finalization_error?: { code?: string; message?: string } | null;
  status_transitions?: { finalized_at?: number | null };
  metadata?: Record<string, string>;
}

const day = (unixSeconds: number | null | undefined) =>
  unixSeconds ? new Date(unixSeconds * 1000).toISOString().slice(0, 10) : null;

export const invoiceStatus: RoutineDefinition = {
  name: 'invoice_status',

  async prepare(scope: RunScope) {
    const entity = await db().legalEntity.findUniqueOrThrow({ where: { id: scope.legalEntityId } });
    const {
      connectionId: erpConnectionId,
      connector: erp,
      subsidiary,
      currency: erpCurrency,
    } = await erpTargetFor(entity);
    const crmConnection = await connectionServing('salesforce', entity.id);
    const crm = crmConnection ? await connectorFor(crmConnection.id) : null;
    const ownership = new OwnershipStep(await activeOwnershipRules());
    // ERP project → CRM opportunity, for the deal's invoice status.
    // Read from the ERP connection's reference cache, brought up to date by what changed since.
    const projectCache = new ReferenceCache(erpConnectionId, erp);
    await projectCache.refresh(PROJECTS);
    const projectKeys = new Map<string, string>();
    const opportunityOf = new Map<string, string>();
    const looked = new Set<string>();
    /** The projects these invoices name, where an earlier batch did not load them. */
    const loadProjects = async (records: readonly PulledRecord[]) => {
      const wanted = records
        .map((r) => (r.data as unknown as StripeInvoice).metadata?.netsuite_project_id)
        .filter((id): id is string => !!id && !looked.has(id));
      for (const id of wanted) looked.add(id);
      for (const p of await projectCache.byIds(PROJECTS.objectType, wanted, subsidiary ?? undefined)) {
        projectKeys.set(p.externalId, projectTraceKey(p));
        opportunityOf.set(p.externalId, String(p.data.custentity_sw_opportunity_id ?? p.data.externalid ?? ''));
      }
    };

    async function processBatch(records: PulledRecord[], journal: BatchJournal, sink: WriteSink) {
      await loadProjects(records);
      const messages = records.map((record) => new RecordMessage(scope, record, journal));
      // An invoice (and the payments on it) carries the key of the items billed on it, or else of
      // the project it names.
      const fromItems = await traceKeysOfInvoices(messages.map((m) => m.record.externalId));
      for (const message of messages) {
        const project = (message.record.data as unknown as StripeInvoice).metadata?.netsuite_project_id;
        const key = fromItems.get(message.record.externalId) ?? (project ? projectKeys.get(project) : undefined);
        if (key) message.traceKey = key;
      }
      const items = messages.flatMap((message) => {
        const invoice = message.record.data as unknown as StripeInvoice;
        const canonicalId = canonicalIdFor('stripe', 'invoice', invoice.id);
        if (invoice.deleted) return (message.noop('deleted draft', { canonicalId }), []);
        if (invoice.status === 'draft' && invoice.last_finalization_error) {
          // Billing refused to finalize it: finance must fix the customer or the invoice.
          const refusal = invoice.last_finalization_error;
          message.exception({
            code: 'TARGET_REJECTED',
            message: `Billing refused to finalize invoice ${invoice.id}: ${refusal.message ?? refusal.code ?? 'no reason given'}`,
            step: 'validate',
            canonicalId,
            objectType: 'Invoice',
            amount: fromMinorUnits(invoice.total, invoice.currency.toUpperCase()).amount,
            currency: invoice.currency.toUpperCase(),
            targetCode: refusal.code ?? null,
            targetMessage: refusal.message ?? null,
            team: 'finance',
          });
          return [];
        }
        if (!invoice.status || invoice.status === 'draft')
          return (message.noop('draft: nothing to write back', { canonicalId }), []);
        const currency = invoice.currency.toUpperCase();
        if (currency !== entity.currency) {
          message.exception({
            code: 'CURRENCY_MISMATCH',
            message: `Invoice ${invoice.id} is in ${currency}, but ${entity.id} bills in ${entity.currency}.`,
            step: 'validate',
            canonicalId,
            objectType: 'Invoice',
            amount: fromMinorUnits(invoice.total, currency).amount,
            currency,
          });
          return [];
        }
        const status = { status: invoice.status, amountPaid: fromMinorUnits(invoice.amount_paid, currency).amount };
        return [{ message, invoice, canonicalId, status }];
      });

      const stored = await loadCanonical(items.map((i) => i.canonicalId));
      for (const item of items) {
        const { message, invoice, canonicalId } = item;
        const previous = stored.get(canonicalId)?.data;
        const previousStatus = previous?.status as string | undefined;
        if (isFurtherAlong(previousStatus, invoice.status)) {
          // An older state arriving late (a held copy, an event out of order) never undoes a later one.
          message.noop(`status already ${previousStatus}; ${invoice.status} is older`, { canonicalId });
          continue;
        }
        const canonical = { ...message.canonicalBase({ id: canonicalId, legalEntityId: entity.id }), ...item.status };
        if (!ownership.admits(message, { objectType: 'Invoice', canonicalId, previous }, canonical)) continue;
        const hash = recordCanonical(journal, 'Invoice', canonical);
        const amountRemaining = fromMinorUnits(invoice.amount_remaining, invoice.currency.toUpperCase()).amount;
        const customer = invoice.metadata?.netsuite_customer_id;
        // An invoice billing raised on its own is created in the ERP; one the ERP knows is updated.
        const erpFields = ownership.writable(
          { objectType: 'Invoice', target: 'netsuite', attributes: ERP_INVOICE },
          {
            status: { id: ERP_STATUS[invoice.status!] ?? 'A' },
            amountRemaining,
            custbody_sw_stripe_invoice_id: invoice.id,
            custbody_sw_billing_status: invoice.status,
            ...(customer && subsidiary && erpCurrency
              ? {
                  entity: { id: customer },
                  subsidiary: { id: subsidiary },
                  currency: { id: erpCurrency },
                  tranDate: day(invoice.status_transitions?.finalized_at) ?? message.record.changedAt.slice(0, 10),
                  total: new Decimal(fromMinorUnits(invoice.total, invoice.currency.toUpperCase()).amount).toFixed(2),
                }
              : {}),
          },
        );
        const erpWrite: WriteRequest = {
          connector: erp,
          targetType: 'invoice',
          canonicalType: 'Invoice',
          canonicalId,
          contentHash: hash,
          key: invoice.id,
          fields: erpFields,
        };
        await sink.prepare([erpWrite]);
        const erpResult = await sink.write(erpWrite);
        const failed = (result: Extract<WriteResult, { ok: false }>) =>
          message.deliveryFailed(result, {
            canonicalId,
            objectType: 'Invoice',
            amount: fromMinorUnits(invoice.total, invoice.currency.toUpperCase()).amount,
            currency: invoice.currency.toUpperCase(),
            ruleVersion: ownership.version,
          });
        if (!erpResult.ok) {
          failed(erpResult);
          continue;
        }

        const opportunity = invoice.metadata?.netsuite_project_id
          ? opportunityOf.get(invoice.metadata.netsuite_project_id)
          : undefined;
        let crmResult: WriteResult | null = null;
        if (crm && opportunity) {
          const crmFields = ownership.writable(
            { objectType: 'Invoice', target: 'salesforce', attributes: CRM_DEAL },
            { Last_Invoice_Status__c: invoice.status },
          );
          const crmWrite: WriteRequest = {
            connector: crm,
            targetType: 'Opportunity',
            canonicalType: 'Invoice',
            canonicalId,
            contentHash: contentHash({ ...crmFields, opportunity }),
            key: '',
            targetId: opportunity,
            fields: crmFields,
          };
          await sink.prepare([crmWrite]);
          crmResult = await sink.write(crmWrite);
          if (!crmResult.ok) {
            failed(crmResult);
            continue;
          }
        }
        if (erpResult.alreadyDelivered && (crmResult === null || (crmResult.ok && crmResult.alreadyDelivered))) {
          message.noop('status already written back', { canonicalId, alreadyDelivered: true });
          continue;
        }
        message.delivered({
          canonicalId,
          target: { system: 'netsuite', objectType: 'invoice', externalId: erpResult.targetId },
          idempotencyKey: erpResult.idempotencyKey,
          ruleVersion: ownership.version,
        });
        journal.outbox.push({
          type: `invoice.${invoice.status}`,
          canonicalType: 'Invoice',
          canonicalId,
          correlationId: message.correlationId,
          payload: {
            stripeInvoiceId: invoice.id,
            erpInvoiceId: erpResult.targetId,
            opportunityId: opportunity ?? null,
          },
        });
      }
    }

    const sources: RoutineSource[] = [{ objectType: 'invoice', filter: { 'metadata.legal_entity': entity.id } }];
    return { sources, processBatch };
  },

  // The status held with the exception has been overtaken: the newer one is the next run's to write.
  movedOn(held, current) {
    const from = (held.data as unknown as StripeInvoice).status;
    const to = (current.data as unknown as StripeInvoice).status;
    return isFurtherAlong(to, from) ? `status moved on from ${from} to ${to}` : null;
  },
};
