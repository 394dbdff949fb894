import Decimal from 'decimal.js';
import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { changeOrderSchema } from '@/server/domain/canonical/schemas';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { loadCanonical, recordCanonical } from '../canonical-store';
import type { BatchJournal } from '../pipeline/batch-journal';
import type { WriteRequest, WriteResult, WriteSink } from '../pipeline/deliverer';
import { canonicalIdFor } from '../pipeline/identity';
import { OwnershipStep, type WrittenAttributes } from '../pipeline/ownership-step';
import { RecordMessage } from '../pipeline/record-message';
import { text as value, validationText } from '../pipeline/source-values';
import { opportunityTraceKey } from '../pipeline/trace-keys';
import { ReferenceCache, type ReferenceType } from '../reference-cache';
import type { RoutineDefinition, RoutineSource, RunScope } from '../routine-definition';
import { PROJECTS } from './billing-reference';
import { erpTargetFor } from './erp-target';

/**
 * Change orders (CRM → ERP): an approved change order is recorded against the ERP project, the
 * project's budget becomes the deal amount plus every approved change order, and on a fixed-fee
 * project the change order joins the billing schedule as a milestone (billed when completed).
 */
const APPROVED = 'Approved';
const ERP_APPROVED = '2';

/** What the routine writes: the change order, the project budget (the deal amount plus its approved
 *  change orders) and, on a fixed-fee project, the change order's milestone. */
const ERP_CHANGE_ORDER: WrittenAttributes = {
  name: null,
  custrecord_sw_co_project: null,
  custrecord_sw_co_amount: 'amount',
  custrecord_sw_co_currency: 'currency',
  custrecord_sw_co_subsidiary: null,
  custrecord_sw_co_status: 'status',
  custrecord_sw_co_description: 'description',
  custrecord_sw_co_effective_date: 'approvedOn',
  custrecord_sw_co_crm_id: null,
};
const ERP_BUDGET: WrittenAttributes = { custentity_sw_budget: 'amount' };
const ERP_MILESTONE: WrittenAttributes = {
  company: null,
  title: 'description',
  isMilestone: null,
  // The milestone an approved change order opens starts as not started.
  status: 'status',
  custevent_sw_billing_amount: 'amount',
  custevent_sw_currency: 'currency',
  custevent_sw_subsidiary: null,
};

const DEALS: ReferenceType = { objectType: 'Opportunity', subsidiaryField: 'Legal_Entity__c' };
const CHANGE_ORDERS: ReferenceType = { objectType: 'ChangeOrder__c', parentField: 'Opportunity__c' };

export const changeOrders: RoutineDefinition = {
  name: 'change_orders',

  async prepare(scope: RunScope) {
    const entity = await db().legalEntity.findUniqueOrThrow({ where: { id: scope.legalEntityId } });
    const {
      connector: erp,
      connectionId: erpConnectionId,
      subsidiary,
      currency: erpCurrency,
    } = await erpTargetFor(entity);
    const ownership = new OwnershipStep(await activeOwnershipRules());
    // Deals, their change orders and the ERP's projects, kept up to date by what changed since the
    // last run; each batch reads from them only the deals and projects its change orders name.
    const crm = new ReferenceCache(scope.connectionId, scope.source);
    const projects = new ReferenceCache(erpConnectionId, erp);
    await Promise.all([crm.refresh(DEALS), crm.refresh(CHANGE_ORDERS), projects.refresh(PROJECTS)]);

    /** Each deal's amount and approved change orders' total, and each project's billing type and budget. */
    async function referenceFor(records: readonly PulledRecord[]) {
      const dealIds = records.map((r) => value(r.data, 'Opportunity__c')).filter((id) => id !== undefined);
      const projectIds = records
        .map((r) => ((r.data.Opportunity__r ?? {}) as Record<string, unknown>).ERP_Project_Id__c)
        .filter((id) => id !== undefined && id !== null)
        .map(String);
      const [deals, changeOrders, jobs] = await Promise.all([
        crm.byIds('Opportunity', dealIds, entity.id),
        crm.byParents('ChangeOrder__c', dealIds),
        projects.byIds('job', projectIds, subsidiary),
      ]);
      const approvedTotal = new Map<string, Decimal>();
      for (const co of changeOrders) {
        const opp = value(co.data, 'Opportunity__c');
        if (value(co.data, 'Status__c') !== APPROVED || !opp) continue;
        approvedTotal.set(opp, (approvedTotal.get(opp) ?? new Decimal(0)).plus(value(co.data, 'Amount__c') ?? '0'));
      }
      return {
        dealAmount: new Map(deals.map((d) => [d.externalId, new Decimal(value(d.data, 'Amount') ?? '0')])),
        approvedTotal,
        billingType: new Map(jobs.map((p) => [p.externalId, value(p.data, 'jobbillingtype')])),
        erpBudget: new Map(jobs.map((p) => [p.externalId, value(p.data, 'custentity_sw_budget')])),
      };
    }

    async function processBatch(records: PulledRecord[], journal: BatchJournal, sink: WriteSink) {
      const { dealAmount, approvedTotal, billingType, erpBudget } = await referenceFor(records);
      const messages = records.map((record) => new RecordMessage(scope, record, journal));
      const inScope = messages.filter((message) => {
        const related = (message.record.data.Opportunity__r ?? {}) as Record<string, unknown>;
        if (related.Legal_Entity__c === entity.id) return true;
        // Another entity's change order is that entity's run's business, not a record of this one.
        message.noop(`belongs to legal entity ${String(related.Legal_Entity__c ?? '(none)')}`);
        return false;
      });
      const stored = await loadCanonical(
        inScope.map((m) => canonicalIdFor('salesforce', 'ChangeOrder__c', m.record.externalId)),
      );

      for (const message of inScope) {
        const { data, externalId } = message.record;
        // A change order belongs to its deal: it carries the opportunity's key (see trace-keys.ts).
        const deal = value(data, 'Opportunity__c');
        if (deal) message.traceKey = opportunityTraceKey(deal);
        const canonicalId = canonicalIdFor('salesforce', 'ChangeOrder__c', externalId);
        const related = (data.Opportunity__r ?? {}) as Record<string, unknown>;
        const opportunity = value(data, 'Opportunity__c');
        const currency = value(data, 'CurrencyIsoCode') ?? '';
        const amount = value(data, 'Amount__c') ?? '0';
        const about = {
          canonicalId,
          objectType: 'ChangeOrder',
          amount,
          currency: currency || entity.currency,
          ruleVersion: ownership.version,
        };
        const fail = (code: Parameters<RecordMessage['exception']>[0]['code'], text: string) =>
          message.exception({ code, message: text, step: 'validate', ...about });
        if (value(data, 'Status__c') !== APPROVED) {
          message.noop('not approved', { canonicalId });
          continue;
        }
        const projectId = related.ERP_Project_Id__c ? String(related.ERP_Project_Id__c) : null;
        if (!opportunity || !projectId) {
          fail('CUSTOMER_UNRESOLVED', 'The change order’s deal has no ERP project yet; activate the deal first.');
          continue;
        }
        if (currency !== entity.currency) {
          fail(
            'CURRENCY_MISMATCH',
            `The change order is in ${currency || '(none)'}, but ${entity.id} bills in ${entity.currency}.`,
          );
          continue;
        }
        const parsed = changeOrderSchema.safeParse({
          ...message.canonicalBase({ id: canonicalId, legalEntityId: entity.id, currency }),
          projectId: canonicalIdFor('salesforce', 'Opportunity:project', opportunity),
          engagementId: canonicalIdFor('salesforce', 'Opportunity', opportunity),
          description: value(data, 'Description__c') ?? value(data, 'Name') ?? 'Change order',
          amount,
          status: 'approved',
          approvedOn: value(data, 'Approved_Date__c') ?? null,
        });
        if (!parsed.success) {
          fail('VALIDATION_FAILED', validationText(parsed.error));
          continue;
        }
        const previous = stored.get(canonicalId)?.data;
        if (!ownership.admits(message, { objectType: 'ChangeOrder', canonicalId, previous }, parsed.data)) continue;
        const budget = (dealAmount.get(opportunity) ?? new Decimal(0))
          .plus(approvedTotal.get(opportunity) ?? 0)
          .toFixed(2);
        // A change order that moves its project's budget is the CRM changing that budget: allowed
        // only while the CRM owns it (the ERP may have been made the system of record of budgets).
        const current = erpBudget.get(projectId);
        const projectCanonicalId = canonicalIdFor('salesforce', 'Opportunity:project', opportunity);
        if (
          !(current && new Decimal(current).eq(budget)) &&
          !ownership.admits(
            message,
            { objectType: 'Project', canonicalId: projectCanonicalId, previous: { budget: current ?? null } },
            { budget },
          )
        ) {
          continue;
        }
        const hash = recordCanonical(journal, 'ChangeOrder', parsed.data);

        const writes: WriteRequest[] = [
          {
            connector: erp,
            targetType: 'customrecord_sw_changeorder',
            canonicalType: 'ChangeOrder',
            canonicalId,
            contentHash: hash,
            key: externalId,
            fields: ownership.writable(
              { objectType: 'ChangeOrder', target: 'netsuite', attributes: ERP_CHANGE_ORDER },
              {
                name: value(data, 'Name') ?? externalId,
                custrecord_sw_co_project: { id: projectId },
                custrecord_sw_co_amount: amount,
                ...(erpCurrency ? { custrecord_sw_co_currency: { id: erpCurrency } } : {}),
                ...(subsidiary ? { custrecord_sw_co_subsidiary: { id: subsidiary } } : {}),
                custrecord_sw_co_status: { id: ERP_APPROVED },
                custrecord_sw_co_description: parsed.data.description,
                ...(parsed.data.approvedOn ? { custrecord_sw_co_effective_date: parsed.data.approvedOn } : {}),
                custrecord_sw_co_crm_id: externalId,
              },
            ),
          },
        ];
        const budgetFields = ownership.writable(
          { objectType: 'Engagement', target: 'netsuite', attributes: ERP_BUDGET },
          { custentity_sw_budget: budget },
        );
        writes.push({
          connector: erp,
          targetType: 'job',
          canonicalType: 'Project',
          canonicalId: projectCanonicalId,
          contentHash: contentHash(budgetFields),
          key: opportunity,
          targetId: projectId,
          fields: budgetFields,
        });
        if (billingType.get(projectId) === 'FBM') {
          const milestone = ownership.writable(
            { objectType: 'ChangeOrder', target: 'netsuite', attributes: ERP_MILESTONE },
            {
              company: { id: projectId },
              title: `Change order ${value(data, 'Name') ?? externalId}: ${parsed.data.description}`.slice(0, 200),
              isMilestone: true,
              status: { id: 'NOTSTART' },
              custevent_sw_billing_amount: amount,
              ...(erpCurrency ? { custevent_sw_currency: { id: erpCurrency } } : {}),
              ...(subsidiary ? { custevent_sw_subsidiary: { id: subsidiary } } : {}),
            },
          );
          writes.push({
            connector: erp,
            targetType: 'projecttask',
            canonicalType: 'Milestone',
            canonicalId: canonicalIdFor('salesforce', 'ChangeOrder__c:milestone', externalId),
            contentHash: contentHash(milestone),
            key: `co-${externalId}`,
            fields: milestone,
          });
        }
        await sink.prepare(writes);
        let first: Extract<WriteResult, { ok: true }> | null = null;
        let allKnown = true;
        let failure: Extract<WriteResult, { ok: false }> | null = null;
        for (const write of writes) {
          const result = await sink.write(write);
          if (!result.ok) {
            failure = result;
            break;
          }
          first ??= result;
          allKnown &&= result.alreadyDelivered;
        }
        if (failure) {
          message.deliveryFailed(failure, about);
          continue;
        }
        if (allKnown) {
          message.noop('already recorded with the same content', { canonicalId, alreadyDelivered: true });
          continue;
        }
        message.delivered({
          canonicalId,
          target: { system: 'netsuite', objectType: 'customrecord_sw_changeorder', externalId: first!.targetId },
          idempotencyKey: first!.idempotencyKey,
          ruleVersion: ownership.version,
        });
        journal.outbox.push({
          type: 'change_order.applied',
          canonicalType: 'ChangeOrder',
          canonicalId,
          correlationId: message.correlationId,
          payload: { projectId, budget, amount, currency },
        });
      }
    }

    const sources: RoutineSource[] = [{ objectType: 'ChangeOrder__c' }];
    return { sources, processBatch };
  },
};
