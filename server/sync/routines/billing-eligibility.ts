import Decimal from 'decimal.js';
import type { Connector, PulledRecord } from '@/server/connectors/connector';
import type { StripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { db } from '@/server/db/client';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { milestoneSchema, retainerFeeSchema, timeEntrySchema } from '@/server/domain/canonical/schemas';
import { multiplyMoney, toMinorUnits, type Money } from '@/server/domain/money';
import { checkOwnership } from '@/server/domain/ownership';
import { connectionServing, connectorFor } from '@/server/services/connections/connections';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { changedAttributes, loadCanonical, recordCanonical } from '../canonical-store';
import { FieldMappings } from '../field-mappings';
import type { BatchJournal } from '../pipeline/batch-journal';
import { writeFailure, type WriteResult, type WriteSink, type WriteRequest } from '../pipeline/deliverer';
import { withRetries } from '../retry';
import { canonicalIdFor } from '../pipeline/identity';
import { DraftInvoices, type OpenDraft } from './draft-invoices';
import { RecordMessage } from '../pipeline/record-message';
import { pullAll } from '../pull-all';
import type { RoutineDefinition, RoutineSource, RunScope } from '../routine-definition';
import { suiteqlBoolean, suiteqlDate, text } from './suiteql-values';

/**
 * Billing eligibility (ERP → billing): approved, billable, unbilled time on time-and-materials
 * projects, completed milestones of fixed-fee projects, and the monthly fees of retainer projects
 * (one ERP record per month a fee falls due) become invoice items in the billing system,
 * gathered onto one draft invoice per customer, legal entity and month. Retainer projects bill
 * their fee, not their hours.
 */
const APPROVED = '2';
const BILLING_TYPE_ROUTINE: Record<string, 'time_and_materials' | 'fixed_fee' | 'retainer'> = {
  TM: 'time_and_materials',
  FBM: 'fixed_fee',
  FBI: 'retainer',
};

const RETAINER_PERIOD = 'customrecord_sw_retainer_period';

/** What billing reads from NetSuite: the canonical type, the project and the "billed on" field. */
interface SourceKind {
  canonicalType: 'TimeEntry' | 'Milestone' | 'RetainerFee';
  projectField: string;
  billedField: string;
}
const SOURCE_KINDS: Record<string, SourceKind> = {
  timebill: { canonicalType: 'TimeEntry', projectField: 'customer', billedField: 'custcol_sw_billed_invoice' },
  projecttask: { canonicalType: 'Milestone', projectField: 'company', billedField: 'custevent_sw_billed_invoice' },
  [RETAINER_PERIOD]: {
    canonicalType: 'RetainerFee',
    projectField: 'custrecord_sw_rp_project',
    billedField: 'custrecord_sw_rp_billed_invoice',
  },
};

interface Job {
  id: string;
  name: string;
  customerId: string;
  currency: string | undefined;
  billingModel: 'time_and_materials' | 'fixed_fee' | 'retainer';
}

interface Customer {
  id: string;
  name: string;
  email: string | null;
  taxRegistration: string | null;
}

interface Line {
  message: RecordMessage;
  canonicalType: SourceKind['canonicalType'];
  canonical: Record<string, unknown> & { id: string; legalEntityId: string; schemaVersion: number };
  amount: Money;
  description: string;
  period: string;
  workDate: string;
  customer: Customer;
  taxCode: string;
  /** What is billed: the role for time, "milestone" for a milestone. */
  item: string;
}

async function loadReferenceData(source: Connector, subsidiary: string) {
  const [jobs, customers, rateCards] = await Promise.all([
    pullAll(source, 'job', { subsidiary }),
    pullAll(source, 'customer', { subsidiary }),
    pullAll(source, 'customrecord_sw_ratecard'),
  ]);
  const jobMap = new Map<string, Job>(
    jobs.map((r) => [
      r.externalId,
      {
        id: r.externalId,
        name: text(r.data, 'companyname') ?? `Project ${r.externalId}`,
        customerId: text(r.data, 'parent') ?? '',
        currency: text(r.data, 'currency'),
        billingModel: BILLING_TYPE_ROUTINE[text(r.data, 'jobbillingtype') ?? 'TM'] ?? 'time_and_materials',
      },
    ]),
  );
  const customerMap = new Map<string, Customer>(
    customers.map((r) => [
      r.externalId,
      {
        id: r.externalId,
        name: text(r.data, 'companyname') ?? `Customer ${r.externalId}`,
        email: text(r.data, 'email') ?? null,
        taxRegistration: text(r.data, 'vatregnumber') ?? null,
      },
    ]),
  );
  const rates = new Map<string, { rate: string; currency: string | undefined }>();
  for (const r of rateCards) {
    if (suiteqlBoolean(text(r.data, 'isinactive'))) continue;
    const project = text(r.data, 'custrecord_sw_rc_project');
    const role = text(r.data, 'custrecord_sw_rc_role');
    const rate = text(r.data, 'custrecord_sw_rc_rate');
    if (project && role && rate)
      rates.set(`${project}|${role}`, { rate, currency: text(r.data, 'custrecord_sw_rc_currency') });
  }
  return { jobs: jobMap, customers: customerMap, rates };
}

export const billingEligibility: RoutineDefinition = {
  name: 'billing_eligibility',

  async prepare(scope: RunScope) {
    const entity = await db().legalEntity.findUniqueOrThrow({ where: { id: scope.legalEntityId } });
    const sourceMappings = await FieldMappings.load(scope.connectionId, scope.legalEntityId);
    const subsidiary = sourceMappings.sourceOf('legal_entity', scope.legalEntityId);
    if (!subsidiary)
      throw new Error(`No NetSuite subsidiary is mapped to legal entity ${scope.legalEntityId} on this connection.`);
    const target = await connectionServing('stripe', scope.legalEntityId);
    if (!target) throw new Error(`No enabled billing connection serves legal entity ${scope.legalEntityId}.`);
    const stripe = (await connectorFor(target.id)) as StripeConnector;
    const targetMappings = await FieldMappings.load(target.id, scope.legalEntityId);
    const reference = await loadReferenceData(scope.source, subsidiary);
    const rules = await activeOwnershipRules();
    const currencyOf = (id: string | undefined) => (id ? sourceMappings.get('currency', id) : undefined);

    /** The tax code a customer is billed under in this entity, or null when none can be found. */
    const taxCodeFor = (customer: Customer): string | null =>
      targetMappings.get('tax_code', `customer:${customer.id}`) ??
      (customer.taxRegistration || entity.id === 'US' ? (targetMappings.get('tax_code', 'default') ?? null) : null);

    /** Checks one source record; returns its billable line, or settles it as no-op / exception. */
    function toLine(message: RecordMessage): Line | null {
      const { data, objectType, externalId } = message.record;
      const canonicalId = canonicalIdFor('netsuite', objectType, externalId);
      const kind = SOURCE_KINDS[objectType];
      if (!kind) {
        message.exception({
          code: 'VALIDATION_FAILED',
          message: `Billing does not read NetSuite ${objectType} records.`,
          step: 'map',
          canonicalId,
          objectType,
        });
        return null;
      }
      const { canonicalType } = kind;
      // NetSuite was asked for billable records only; a record that reaches the routine another
      // way (a replay) is checked here all the same.
      const notBillable =
        canonicalType === 'Milestone'
          ? !suiteqlBoolean(text(data, 'ismilestone'))
            ? 'not a milestone'
            : text(data, 'status') !== 'COMPLETE' && 'milestone not completed'
          : canonicalType === 'TimeEntry'
            ? text(data, 'approvalstatus') !== APPROVED
              ? 'time not approved'
              : !suiteqlBoolean(text(data, 'isbillable')) && 'time not billable'
            : suiteqlBoolean(text(data, 'isinactive')) && 'retainer period inactive';
      if (notBillable) return (message.noop(notBillable, { canonicalId }), null);
      if (text(data, kind.billedField)) return (message.noop('already billed', { canonicalId }), null);

      const jobId = text(data, kind.projectField);
      const job = jobId ? reference.jobs.get(jobId) : undefined;
      const fail = (
        code: Parameters<RecordMessage['exception']>[0]['code'],
        text: string,
        step: 'map' | 'validate' = 'validate',
        amount?: Money,
      ) => {
        message.exception({
          code,
          message: text,
          step,
          canonicalId,
          objectType: canonicalType,
          amount: amount?.amount,
          currency: amount?.currency ?? entity.currency,
        });
        return null;
      };
      if (!job)
        return fail(
          'VALIDATION_FAILED',
          `Project ${jobId ?? '(none)'} is not a project of legal entity ${entity.id}.`,
          'map',
        );
      if (canonicalType === 'TimeEntry' && job.billingModel === 'fixed_fee')
        return (message.noop('fixed-fee project: billed by milestone', { canonicalId }), null);
      if (canonicalType === 'TimeEntry' && job.billingModel === 'retainer')
        return (message.noop('retainer project: billed by its fee', { canonicalId }), null);
      const sourceCurrency =
        (canonicalType === 'RetainerFee' ? text(data, 'custrecord_sw_rp_currency') : undefined) ?? job.currency;
      const currency = currencyOf(sourceCurrency);
      if (!currency)
        return fail('MAPPING_MISSING', `NetSuite currency ${sourceCurrency ?? '(none)'} has no mapping.`, 'map');
      if (currency !== entity.currency) {
        return fail(
          'CURRENCY_MISMATCH',
          `Project ${job.name} is in ${currency}, but ${entity.id} bills in ${entity.currency}.`,
        );
      }
      const customer = reference.customers.get(job.customerId);
      if (!customer)
        return fail('CUSTOMER_UNRESOLVED', `Project ${job.name} has no customer in legal entity ${entity.id}.`);

      let amount: Money;
      let description: string;
      let workDate: string | null;
      const role = text(data, 'custcol_sw_role') ?? '';
      const hours = text(data, 'hours') ?? '0';
      const retainerPeriod = text(data, 'custrecord_sw_rp_period') ?? '';
      if (canonicalType === 'Milestone') {
        amount = { amount: new Decimal(text(data, 'custevent_sw_billing_amount') ?? '0').toFixed(), currency };
        description = `${job.name}: ${text(data, 'title') ?? 'milestone'}`;
        workDate = suiteqlDate(text(data, 'custevent_sw_completed_date')) ?? suiteqlDate(text(data, 'enddate'));
      } else if (canonicalType === 'RetainerFee') {
        amount = { amount: new Decimal(text(data, 'custrecord_sw_rp_fee') ?? '0').toFixed(), currency };
        description = `${job.name}: retainer ${retainerPeriod}`;
        // The fee is billed in the month it is for.
        workDate = /^\d{4}-\d{2}$/.test(retainerPeriod) ? `${retainerPeriod}-01` : null;
      } else {
        const rate = reference.rates.get(`${job.id}|${role}`);
        if (!rate) return fail('RATE_CARD_MISSING', `Project ${job.name} has no rate for the role "${role}".`);
        amount = multiplyMoney({ amount: rate.rate, currency }, hours);
        description = `${job.name}: ${hours} h ${role} × ${rate.rate} ${currency}`;
        workDate = suiteqlDate(text(data, 'trandate'));
      }
      if (!workDate) return fail('VALIDATION_FAILED', 'The record has no date or period.', 'map', amount);
      const taxCode = taxCodeFor(customer);
      if (!taxCode) {
        return fail(
          'TAX_CODE_MISSING',
          `Customer ${customer.name} has no tax registration or tax code in ${entity.id}.`,
          'validate',
          amount,
        );
      }

      const base = {
        ...message.canonicalBase({ id: canonicalId, legalEntityId: entity.id, currency }),
        projectId: canonicalIdFor('netsuite', 'job', job.id),
      };
      const parsed =
        canonicalType === 'Milestone'
          ? milestoneSchema.safeParse({ ...base, name: description, amount: amount.amount, completedOn: workDate })
          : canonicalType === 'RetainerFee'
            ? retainerFeeSchema.safeParse({ ...base, period: retainerPeriod, amount: amount.amount })
            : timeEntrySchema.safeParse({
                ...base,
                consultant: text(data, 'employee') ?? 'unknown',
                role: role || 'unknown',
                workDate,
                hours,
                approved: true,
              });
      if (!parsed.success) {
        return fail(
          'VALIDATION_FAILED',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          'validate',
          amount,
        );
      }
      return {
        message,
        canonicalType,
        canonical: parsed.data as Line['canonical'],
        amount,
        description,
        period: workDate.slice(0, 7),
        workDate,
        customer,
        taxCode,
        item:
          canonicalType === 'Milestone' ? 'milestone' : canonicalType === 'RetainerFee' ? 'retainer' : role || 'time',
      };
    }

    // The Stripe customer of each ERP customer once written in this run, and the open drafts:
    // later batches neither look them up nor write them again.
    const resolvedCustomers = new Map<string, string>();
    const drafts = new DraftInvoices();

    const customerRequest = (customer: Customer, targetId?: string): WriteRequest => {
      const canonicalId = canonicalIdFor('netsuite', 'customer', customer.id);
      const fields = {
        name: customer.name,
        ...(customer.email ? { email: customer.email } : {}),
        metadata: { legal_entity: entity.id, netsuite_customer_id: customer.id },
      };
      return {
        connector: stripe,
        targetType: 'customer',
        canonicalType: 'Customer',
        canonicalId,
        contentHash: contentHash(fields),
        key: canonicalId,
        ...(targetId ? { targetId } : {}),
        fields,
      };
    };
    /** Part 1 of a month's draft, then part 2 once it holds as many items as Stripe allows. */
    const draftRequest = (customer: Customer, period: string, part: number, stripeCustomer: string): WriteRequest => {
      const identity =
        part === 1
          ? { customer: customer.id, entity: entity.id, period }
          : { customer: customer.id, entity: entity.id, period, part };
      const canonicalId = canonicalIdFor('syncwright', 'draft-invoice', Object.values(identity).join('|'));
      const fields = {
        customer: stripeCustomer,
        currency: entity.currency.toLowerCase(),
        collection_method: 'send_invoice',
        days_until_due: 30,
        description: `${customer.name} — ${period}${part === 1 ? '' : ` (part ${part})`}`,
        metadata: {
          legal_entity: entity.id,
          period,
          netsuite_customer_id: customer.id,
          ...(part === 1 ? {} : { part: String(part) }),
        },
      };
      return {
        connector: stripe,
        targetType: 'invoice',
        canonicalType: 'Invoice',
        canonicalId,
        contentHash: contentHash(identity),
        key: canonicalId,
        fields,
      };
    };
    const itemRequest = (line: Line, stripeCustomer: string, draft: string, hash: string): WriteRequest => ({
      connector: stripe,
      targetType: 'invoiceitem',
      canonicalType: line.canonicalType,
      canonicalId: line.canonical.id,
      contentHash: hash,
      key: line.canonical.id,
      parentId: draft,
      fields: {
        customer: stripeCustomer,
        currency: line.amount.currency.toLowerCase(),
        invoice: draft,
        amount: Number(toMinorUnits(line.amount)),
        description: line.description,
        metadata: {
          legal_entity: entity.id,
          tax_code: line.taxCode,
          // The billing item (product) for this kind of work; the role or milestone when unmapped.
          item: targetMappings.get('item', line.item) ?? line.item,
          netsuite_id: line.message.record.externalId,
          netsuite_type: line.message.record.objectType,
          work_date: line.workDate,
        },
      },
    });

    async function processBatch(records: PulledRecord[], journal: BatchJournal, deliverer: WriteSink) {
      const messages = records.map((record) => new RecordMessage(scope, record, journal));
      const lines = messages.map(toLine).filter((line): line is Line => line !== null);
      const stored = await loadCanonical(lines.map((l) => l.canonical.id));

      // Ownership: the source may change only the attributes it owns.
      const allowed = lines.filter((line) => {
        const changed = changedAttributes(stored.get(line.canonical.id)?.data, line.canonical);
        const { conflicts } = checkOwnership(rules.rules, {
          objectType: line.canonicalType,
          source: line.message.sourceSystem,
          attributes: changed,
        });
        if (conflicts.length === 0) return true;
        line.message.exception({
          code: 'OWNERSHIP_CONFLICT',
          message: `NetSuite changed ${conflicts.map((c) => `${c.attribute} (owned by ${c.owner})`).join(', ')}.`,
          step: 'ownership',
          canonicalId: line.canonical.id,
          objectType: line.canonicalType,
          ruleVersion: rules.version,
          team: conflicts[0]!.team,
        });
        return false;
      });

      const newCustomers = [...new Map(allowed.map((l) => [l.customer.id, l.customer])).values()].filter(
        (c) => !resolvedCustomers.has(c.id),
      );
      const [linkedRefs, triedBefore] = await Promise.all([
        // Customers the identity map already links to billing need no search there.
        db().externalRef.findMany({
          where: {
            canonicalId: { in: newCustomers.map((c) => canonicalIdFor('netsuite', 'customer', c.id)) },
            system: 'stripe',
            objectType: 'customer',
          },
          select: { canonicalId: true },
        }),
        // An item tried before (a run cut short, a replay) goes to the draft it was sent to then,
        // so that its retry is the same request and that draft's count already includes it.
        db().delivery.findMany({
          where: {
            routine: scope.routine,
            targetType: 'invoiceitem',
            canonicalId: { in: allowed.map((l) => l.canonical.id) },
            parentId: { not: null },
          },
          select: { canonicalId: true, contentHash: true, parentId: true },
        }),
      ]);
      const linked = new Set(linkedRefs.map((r) => r.canonicalId));
      const placedBefore = new Map(triedBefore.map((d) => [`${d.canonicalId}|${d.contentHash}`, d.parentId!]));

      // Each line waits only for its own customer and draft, so the writes of one customer's items
      // start while other customers are still being written: no batch-wide round between stages.
      type Failure = Extract<WriteResult, { ok: false }>;
      const customerWrites = new Map<string, Promise<{ ok: true; id: string } | Failure>>();
      const customerOf = (customer: Customer) => {
        const known = resolvedCustomers.get(customer.id);
        if (known) return Promise.resolve({ ok: true as const, id: known });
        let pending = customerWrites.get(customer.id);
        if (!pending) {
          pending = (async () => {
            let existing: string | undefined;
            // A customer billing already holds (raised before Syncwright, carrying the ERP id) is
            // linked, not created a second time.
            if (!linked.has(canonicalIdFor('netsuite', 'customer', customer.id))) {
              try {
                const found = await withRetries(
                  () =>
                    stripe.findCustomerByMetadata(
                      'netsuite_customer_id',
                      customer.id,
                      customer.email ? { email: customer.email } : {},
                    ),
                  (error) => stripe.classifyError(error),
                  scope.retryPolicy,
                );
                existing = found?.id;
              } catch (error) {
                return { ok: false as const, idempotencyKey: '', ...writeFailure(error) };
              }
            }
            const result = await deliverer.write(customerRequest(customer, existing));
            if (!result.ok) return result;
            resolvedCustomers.set(customer.id, result.targetId);
            return { ok: true as const, id: result.targetId };
          })();
          customerWrites.set(customer.id, pending);
        }
        return pending;
      };
      const openDraft = async (customer: Customer, period: string, part: number): Promise<OpenDraft | Failure> => {
        const stripeCustomer = await customerOf(customer);
        if (!stripeCustomer.ok) return stripeCustomer;
        const result = await deliverer.write(draftRequest(customer, period, part, stripeCustomer.id));
        if (!result.ok) return result;
        // A draft made just now holds nothing yet; one made before may hold items already.
        const items = result.triedBefore ? await db().delivery.count({ where: { parentId: result.targetId } }) : 0;
        return { ok: true, customer: stripeCustomer.id, draft: result.targetId, part, items };
      };
      const placeOf = async (line: Line, hash: string) => {
        const before = placedBefore.get(`${line.canonical.id}|${hash}`);
        if (!before)
          return drafts.place(`${line.customer.id}|${line.period}`, (part) =>
            openDraft(line.customer, line.period, part),
          );
        const customer = await customerOf(line.customer);
        return customer.ok ? { ok: true as const, customer: customer.id, draft: before } : customer;
      };

      await Promise.all(
        allowed.map(async (line) => {
          const hash = contentHash(line.canonical);
          const draft = await placeOf(line, hash);
          if (draft.ok) recordCanonical(journal, line.canonicalType, line.canonical);
          const result = draft.ok ? await deliverer.write(itemRequest(line, draft.customer, draft.draft, hash)) : draft;
          if (!result.ok) {
            line.message.exception({
              code: result.code,
              message: result.message,
              step: 'deliver',
              canonicalId: line.canonical.id,
              objectType: line.canonicalType,
              amount: line.amount.amount,
              currency: line.amount.currency,
              targetCode: result.targetCode,
              targetMessage: result.targetMessage,
              idempotencyKey: result.idempotencyKey,
              ruleVersion: rules.version,
            });
          } else if (result.alreadyDelivered) {
            line.message.noop('already delivered with the same content', {
              canonicalId: line.canonical.id,
              alreadyDelivered: true,
            });
          } else {
            line.message.delivered({
              canonicalId: line.canonical.id,
              target: { system: 'stripe', objectType: 'invoiceitem', externalId: result.targetId },
              idempotencyKey: result.idempotencyKey,
              ruleVersion: rules.version,
            });
            journal.outbox.push({
              type: 'billing.line_invoiced',
              canonicalType: line.canonicalType,
              canonicalId: line.canonical.id,
              correlationId: line.message.correlationId,
              payload: {
                amount: line.amount,
                invoiceItem: result.targetId,
                draftInvoice: draft.ok ? draft.draft : null,
              },
            });
          }
        }),
      );
      for (const message of messages) {
        if (!message.isSettled) throw new Error(`record ${message.record.externalId} left without an outcome`);
      }
    }

    return { sources: billableSources(subsidiary), processBatch };
  },
};

/**
 * What the routine reads of one subsidiary: approved, billable, not yet billed time; completed,
 * not yet billed milestones; retainer fees due and not yet billed. NetSuite applies the
 * conditions, so the rest of the entity's history (most of it: billed or not billable) is never
 * read; each record read is checked again on its way through the pipeline (toLine).
 */
export function billableSources(subsidiary: string): RoutineSource[] {
  return [
    {
      objectType: 'timebill',
      filter: { subsidiary, approvalstatus: APPROVED, isbillable: 'T', custcol_sw_billed_invoice: null },
    },
    {
      objectType: 'projecttask',
      filter: {
        custevent_sw_subsidiary: subsidiary,
        ismilestone: 'T',
        status: 'COMPLETE',
        custevent_sw_billed_invoice: null,
      },
    },
    {
      objectType: RETAINER_PERIOD,
      filter: { custrecord_sw_rp_subsidiary: subsidiary, isinactive: 'F', custrecord_sw_rp_billed_invoice: null },
    },
  ];
}
