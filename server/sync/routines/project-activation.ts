import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { engagementSchema } from '@/server/domain/canonical/schemas';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { loadCanonical, recordCanonical } from '../canonical-store';
import { FieldMappings } from '../field-mappings';
import type { BatchJournal } from '../pipeline/batch-journal';
import type { WriteRequest, WriteResult, WriteSink } from '../pipeline/deliverer';
import { canonicalIdFor } from '../pipeline/identity';
import { OwnershipStep, type WrittenAttributes } from '../pipeline/ownership-step';
import { RecordMessage } from '../pipeline/record-message';
import { text as field, validationText } from '../pipeline/source-values';
import { normalizedText, ReferenceCache, type ReferenceType } from '../reference-cache';
import type { RoutineDefinition, RoutineSource, RunScope } from '../routine-definition';
import { erpTargetFor } from './erp-target';

/**
 * Project activation (CRM → ERP): a closed-won opportunity → its customer resolved (or created)
 * in the ERP → the project created with practice, cost center, revenue treatment and budget →
 * the opportunity marked activated with the ERP project id.
 */
const WON = 'Closed Won';
const BILLING_TYPE = { time_and_materials: 'TM', fixed_fee: 'FBM', retainer: 'FBI' } as const;
const REVENUE_TREATMENT = {
  time_and_materials: 'as_delivered',
  fixed_fee: 'percent_complete',
  retainer: 'straight_line',
} as const;
const IN_PROGRESS = '2';

type BillingModel = keyof typeof BILLING_TYPE;

/** What the routine writes: the ERP customer, the ERP project (the deal's terms), the deal marked activated. */
const ERP_CUSTOMER: WrittenAttributes = {
  companyName: 'name',
  subsidiary: null,
  currency: 'currency',
  vatRegNumber: 'taxRegistration',
};
const ERP_PROJECT: WrittenAttributes = {
  companyName: 'name',
  parent: null,
  subsidiary: null,
  currency: 'currency',
  // A deal won is what puts its project in progress.
  entityStatus: 'stage',
  jobBillingType: 'billingModel',
  startDate: 'closeDate',
  custentity_sw_practice: 'practice',
  custentity_sw_cost_center: 'costCenter',
  custentity_sw_revenue_treatment: 'billingModel',
  custentity_sw_budget: 'amount',
  custentity_sw_opportunity_id: null,
};
const CRM_ACTIVATION: WrittenAttributes = { Project_Status__c: 'status', ERP_Project_Id__c: null };

function parent(data: Record<string, unknown>): Record<string, unknown> {
  const account = data.Account;
  return account && typeof account === 'object' ? (account as Record<string, unknown>) : {};
}

const ACCOUNTS: ReferenceType = { objectType: 'Account', subsidiaryField: 'Legal_Entity__c' };

export const projectActivation: RoutineDefinition = {
  name: 'project_activation',

  async prepare(scope: RunScope) {
    const entity = await db().legalEntity.findUniqueOrThrow({ where: { id: scope.legalEntityId } });
    const { connector: erp, mappings: erpMappings, subsidiary } = await erpTargetFor(entity);
    if (!subsidiary) throw new Error(`No ERP subsidiary is mapped to legal entity ${entity.id}.`);
    const ownership = new OwnershipStep(await activeOwnershipRules());
    // The deal's practice and cost center in the ERP's names, as the CRM connection's map gives them.
    const crmMappings = await FieldMappings.load(scope.connectionId, entity.id);

    // The CRM's accounts, kept up to date by what changed since the last run: two accounts of an
    // entity with one name make the ERP customer ambiguous.
    const accounts = new ReferenceCache(scope.connectionId, scope.source);
    await accounts.refresh(ACCOUNTS);

    /** The batch's accounts' namesakes in this entity (each account among them), by name. */
    async function namesakesOf(records: readonly PulledRecord[]): Promise<Map<string, string[]>> {
      const names = records.map((r) => String(parent(r.data).Name ?? '')).filter((n) => n.trim() !== '');
      const byName = new Map<string, string[]>();
      for (const account of await accounts.byNormalizedText('Account', 'Name', names, entity.id)) {
        const name = normalizedText(field(account.data, 'Name') ?? '');
        byName.set(name, [...(byName.get(name) ?? []), account.externalId]);
      }
      return byName;
    }

    function check(message: RecordMessage, byName: ReadonlyMap<string, string[]>) {
      const { data, externalId } = message.record;
      const canonicalId = canonicalIdFor('salesforce', 'Opportunity', externalId);
      if (field(data, 'StageName') !== WON) return (message.noop('not closed-won', { canonicalId }), null);
      if (field(data, 'ERP_Project_Id__c') && field(data, 'Project_Status__c') !== 'Activation Pending') {
        return (message.noop('already activated', { canonicalId }), null);
      }
      const account = parent(data);
      const accountId = field(data, 'AccountId');
      const currency = field(data, 'CurrencyIsoCode') ?? '';
      const fail = (
        code: Parameters<RecordMessage['exception']>[0]['code'],
        text: string,
        step: 'map' | 'validate' = 'validate',
      ) => {
        message.exception({
          code,
          message: text,
          step,
          canonicalId,
          objectType: 'Engagement',
          amount: field(data, 'Amount') ?? null,
          currency: currency || entity.currency,
          extraRefs: accountId ? [{ system: 'salesforce', objectType: 'Account', externalId: accountId }] : [],
        });
        return null;
      };
      if (!accountId) return fail('CUSTOMER_UNRESOLVED', 'The opportunity has no account.', 'map');
      const namesakes = byName.get(normalizedText(String(account.Name ?? ''))) ?? [];
      if (namesakes.length > 1) {
        return fail(
          'DUPLICATE_ACCOUNT',
          `Account "${String(account.Name)}" exists ${namesakes.length} times in ${entity.id}: ${namesakes.join(', ')}.`,
        );
      }
      if (currency !== entity.currency) {
        return fail(
          'CURRENCY_MISMATCH',
          `The deal is in ${currency || '(none)'}, but ${entity.id} bills in ${entity.currency}.`,
        );
      }
      const erpCurrency = erpMappings.sourceOf('currency', currency);
      if (!erpCurrency) return fail('MAPPING_MISSING', `Currency ${currency} has no ERP mapping.`, 'map');
      const taxRegistration = account.Tax_Registration__c ? String(account.Tax_Registration__c) : null;
      if (!taxRegistration && entity.id !== 'US') {
        return fail('TAX_CODE_MISSING', `Account ${String(account.Name)} has no tax registration for ${entity.id}.`);
      }
      const billingModel = (field(data, 'Billing_Model__c') ?? 'time_and_materials') as BillingModel;
      const parsed = engagementSchema.safeParse({
        ...message.canonicalBase({ id: canonicalId, legalEntityId: entity.id, currency }),
        name: field(data, 'Name'),
        customerId: canonicalIdFor('salesforce', 'Account', accountId),
        stage: WON,
        won: true,
        closeDate: field(data, 'CloseDate'),
        amount: field(data, 'Amount') ?? '0',
        practice: field(data, 'Practice__c') ?? null,
        costCenter: field(data, 'Cost_Center__c') ?? null,
        billingModel,
      });
      if (!parsed.success) {
        return fail('VALIDATION_FAILED', validationText(parsed.error));
      }
      if (!parsed.data.practice || !parsed.data.costCenter) {
        return fail('VALIDATION_FAILED', 'Practice and cost center are required to set up the project.');
      }
      const practice = crmMappings.translate('practice', parsed.data.practice);
      if (!practice) {
        return fail('PRACTICE_UNMAPPED', `Practice "${parsed.data.practice}" has no mapping in ${entity.id}.`, 'map');
      }
      const costCenter = crmMappings.translate('cost_center', parsed.data.costCenter);
      if (!costCenter) {
        return fail(
          'COST_CENTER_UNMAPPED',
          `Cost center "${parsed.data.costCenter}" has no mapping in ${entity.id}.`,
          'map',
        );
      }
      return {
        message,
        engagement: { ...parsed.data, practice, costCenter },
        accountName: String(account.Name ?? accountId),
        accountId,
        taxRegistration,
        erpCurrency,
      };
    }

    async function processBatch(records: PulledRecord[], journal: BatchJournal, sink: WriteSink) {
      const messages = records.map((record) => new RecordMessage(scope, record, journal));
      const byName = await namesakesOf(records);
      const deals = messages.map((m) => check(m, byName)).filter((d) => d !== null);
      const stored = await loadCanonical(deals.map((d) => d.engagement.id));
      const allowed = deals.filter(({ message, engagement }) =>
        ownership.admits(
          message,
          { objectType: 'Engagement', canonicalId: engagement.id, previous: stored.get(engagement.id)?.data },
          engagement,
        ),
      );

      for (const deal of allowed) {
        const { engagement, message } = deal;
        const fail = (result: Extract<WriteResult, { ok: false }>) =>
          message.deliveryFailed(result, {
            canonicalId: engagement.id,
            objectType: 'Engagement',
            amount: engagement.amount,
            currency: engagement.currency,
            ruleVersion: ownership.version,
          });

        // The ERP customer carries the CRM account id as its external id: resolved if it exists.
        const customerFields = ownership.writable(
          { objectType: 'Customer', target: 'netsuite', attributes: ERP_CUSTOMER },
          {
            companyName: deal.accountName,
            subsidiary: { id: subsidiary },
            currency: { id: deal.erpCurrency },
            ...(deal.taxRegistration ? { vatRegNumber: deal.taxRegistration } : {}),
          },
        );
        const customer: WriteRequest = {
          connector: erp,
          targetType: 'customer',
          canonicalType: 'Customer',
          canonicalId: engagement.customerId!,
          contentHash: contentHash(customerFields),
          key: deal.accountId,
          fields: customerFields,
        };
        await sink.prepare([customer]);
        const customerResult = await sink.write(customer);
        if (!customerResult.ok) {
          fail(customerResult);
          continue;
        }

        const hash = recordCanonical(journal, 'Engagement', engagement);
        const projectFields = ownership.writable(
          { objectType: 'Engagement', target: 'netsuite', attributes: ERP_PROJECT },
          {
            companyName: engagement.name,
            parent: { id: customerResult.targetId },
            subsidiary: { id: subsidiary },
            currency: { id: deal.erpCurrency },
            entityStatus: { id: IN_PROGRESS },
            jobBillingType: { id: BILLING_TYPE[engagement.billingModel] },
            startDate: engagement.closeDate,
            custentity_sw_practice: engagement.practice,
            custentity_sw_cost_center: engagement.costCenter,
            custentity_sw_revenue_treatment: REVENUE_TREATMENT[engagement.billingModel],
            custentity_sw_budget: engagement.amount,
            custentity_sw_opportunity_id: message.record.externalId,
          },
        );
        const project: WriteRequest = {
          connector: erp,
          targetType: 'job',
          canonicalType: 'Project',
          canonicalId: canonicalIdFor('salesforce', 'Opportunity:project', message.record.externalId),
          contentHash: hash,
          key: message.record.externalId,
          fields: projectFields,
        };
        await sink.prepare([project]);
        const projectResult = await sink.write(project);
        if (!projectResult.ok) {
          fail(projectResult);
          continue;
        }

        // Mark the deal activated in the CRM.
        const markFields = ownership.writable(
          { objectType: 'Project', target: 'salesforce', attributes: CRM_ACTIVATION },
          { Project_Status__c: 'Active', ERP_Project_Id__c: projectResult.targetId },
        );
        const mark: WriteRequest = {
          connector: scope.source,
          targetType: 'Opportunity',
          canonicalType: 'Engagement',
          canonicalId: engagement.id,
          contentHash: contentHash(markFields),
          key: '',
          targetId: message.record.externalId,
          fields: markFields,
        };
        await sink.prepare([mark]);
        const marked = await sink.write(mark);
        if (!marked.ok) {
          fail(marked);
          continue;
        }
        if (projectResult.alreadyDelivered && marked.alreadyDelivered) {
          message.noop('already activated with the same content', {
            canonicalId: engagement.id,
            alreadyDelivered: true,
          });
          continue;
        }
        message.delivered({
          canonicalId: engagement.id,
          target: { system: 'netsuite', objectType: 'job', externalId: projectResult.targetId },
          idempotencyKey: projectResult.idempotencyKey,
          ruleVersion: ownership.version,
        });
        // The deal's change orders can go to the ERP now that its project exists.
        journal.runs.set(`change_orders|${scope.connectionId}|${entity.id}`, {
          routine: 'change_orders',
          connectionId: scope.connectionId,
          legalEntityId: entity.id,
          trigger: 'event',
        });
        journal.outbox.push({
          type: 'project.activated',
          canonicalType: 'Project',
          canonicalId: project.canonicalId,
          correlationId: message.correlationId,
          payload: {
            opportunityId: message.record.externalId,
            erpProjectId: projectResult.targetId,
            legalEntityId: entity.id,
          },
        });
      }
    }

    const sources: RoutineSource[] = [{ objectType: 'Opportunity', filter: { Legal_Entity__c: entity.id } }];
    return { sources, processBatch };
  },
};
