import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { eachAtMost } from '@/lib/each-at-most';
import type { PulledRecord } from '@/server/connectors/connector';
import type { StripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { db } from '@/server/db/client';
import { contentHash, type ExternalRef } from '@/server/domain/canonical/canonical-record';
import { milestoneSchema, retainerFeeSchema, timeEntrySchema } from '@/server/domain/canonical/schemas';
import { fromMinorUnits, minorUnitDigits, multiplyMoney, toMinorUnits, type Money } from '@/server/domain/money';
import type { OwnershipConflict } from '@/server/domain/ownership';
import { connectionServing, connectorFor } from '@/server/services/connections/connections';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { loadCanonical, recordCanonical } from '../canonical-store';
import { FieldMappings } from '../field-mappings';
import { taxCodeFor } from '../tax-code';
import type { BatchJournal } from '../pipeline/batch-journal';
import type { BillableWorkChanges } from '../pipeline/billable-work';
import { writeFailure, type WriteResult, type WriteSink, type WriteRequest } from '../pipeline/deliverer';
import { withRetries } from '../retry';
import { canonicalIdFor } from '../pipeline/identity';
import { OwnershipStep, type WrittenAttributes } from '../pipeline/ownership-step';
import { RecordMessage } from '../pipeline/record-message';
import { pullAll } from '../pull-all';
import { ReferenceCache } from '../reference-cache';
import type { RoutineDefinition, RoutineSource, RunScope, SettleBatch } from '../routine-definition';
import {
  BILLING_REFERENCE_ATTRIBUTE,
  owedWriteBacks,
  RETAINER_PERIOD,
  SETTLE_PART,
  SETTLE_PARTS_IN_FLIGHT,
  SOURCE_KINDS,
  writeBackRequest,
  type OwedWriteBack,
  type SourceKind,
} from './billed-in-erp';
import { BillingTargetState, type HeldItem, type InvoiceStatus } from './billing-target-state';
import { DraftInvoices, type OpenDraft } from './draft-invoices';
import { lineContentHash, sameAsHeld, type InvoiceLineFields, type LinePricing } from './invoice-line-content';
import { lineHistories, linesOnDraft, type LineHistory } from './line-history';
import { linesPricedBy, rateCardChanges, rateCardsToCompare } from './rate-corrections';
import { BillingReference, type Customer } from './billing-reference';
import { suiteqlBoolean, suiteqlDate } from './suiteql-values';
import { text, validationText } from '../pipeline/source-values';

/**
 * Billing eligibility (ERP → billing): approved, billable, unbilled time on time-and-materials
 * projects, completed milestones of fixed-fee projects, and the monthly fees of retainer projects
 * (one ERP record per month a fee falls due) become invoice items in the billing system,
 * gathered onto one draft invoice per customer, legal entity and month. Retainer projects bill
 * their fee, not their hours.
 */
const APPROVED = '2';

type Failure = Extract<WriteResult, { ok: false }>;
type Success = Extract<WriteResult, { ok: true }>;

// Stripe answers a key again for 24 hours; a try older than this is looked for in billing instead.
const STRIPE_KEY_WINDOW_MS = 23 * 3_600_000;

/** What billing writes of an ERP customer onto its billing customer. */
const BILLING_CUSTOMER: WrittenAttributes = { name: 'name', email: 'email', metadata: null };

/** An amount as finance reads it: "1512.50 GBP". */
const shown = (money: Money) =>
  `${new Decimal(money.amount).toFixed(minorUnitDigits(money.currency))} ${money.currency}`;

interface Line {
  message: RecordMessage;
  canonicalType: SourceKind['canonicalType'];
  canonical: Record<string, unknown> & { id: string; legalEntityId: string; schemaVersion: number };
  amount: Money;
  pricing: LinePricing;
  description: string;
  period: string;
  workDate: string;
  customer: Customer;
  taxCode: string;
  /** The billing product of what is billed (the role for time, "milestone", "retainer"), as mapped. */
  item: string;
  /** The invoice the ERP says it was billed on: one of Syncwright's drafts for this line. */
  billedOn: string | null;
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
    const reference = await BillingReference.open(new ReferenceCache(scope.connectionId, scope.source), subsidiary);
    const ownership = new OwnershipStep(await activeOwnershipRules());
    const currencyOf = (id: string | undefined) => (id ? sourceMappings.get('currency', id) : undefined);

    /** Checks one source record; returns its billable line, or settles it as no-op / exception. */
    function toLine(
      message: RecordMessage,
      histories: ReadonlyMap<string, LineHistory>,
      work: BillableWorkChanges,
    ): Line | null {
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
      if (notBillable) return (work.withdraw(canonicalId), message.noop(notBillable, { canonicalId }), null);
      // Billed on one of Syncwright's drafts for it, the line is still Syncwright's to keep right
      // (a corrected rate); billed anywhere else, it is not billing's business any more.
      const billedOn = text(data, kind.billedField) ?? null;
      if (billedOn && !histories.get(canonicalId)?.drafts.has(billedOn))
        return (work.billed(canonicalId, billedOn), message.noop('already billed', { canonicalId }), null);

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
        return (
          work.withdraw(canonicalId),
          message.noop('fixed-fee project: billed by milestone', { canonicalId }),
          null
        );
      if (canonicalType === 'TimeEntry' && job.billingModel === 'retainer')
        return (work.withdraw(canonicalId), message.noop('retainer project: billed by its fee', { canonicalId }), null);
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

      // Approved work, unbilled until an item for it is on a draft: what the dashboards sum.
      const seeWork = (amount: string | null, workDate: string | null) => {
        if (!workDate) return;
        work.see({
          canonicalId,
          legalEntityId: entity.id,
          sourceType: objectType,
          sourceId: externalId,
          projectId: job.id,
          traceKey: job.traceKey,
          amount,
          currency,
          workDate,
        });
      };

      // The connection's field maps override attributes of the built-in mapping below; a record
      // they cannot map is held, not billed with the built-in values.
      const mapped = canonicalType === 'TimeEntry' ? sourceMappings.mapFields('timebill', data) : null;
      if (mapped && mapped.problems.length > 0)
        return fail(
          'VALIDATION_FAILED',
          `The field maps of this connection cannot map NetSuite timebill ${externalId}: ${mapped.problems.map((p) => p.message).join('; ')}.`,
          'map',
        );
      // Each passed its attribute's schema: text, for the attributes a time bill's field maps may set.
      const overrides = (mapped?.attributes ?? {}) as Partial<
        Record<'consultant' | 'role' | 'workDate' | 'hours' | 'description', string>
      >;

      let amount: Money;
      let pricing: LinePricing;
      let description: string;
      let workDate: string | null;
      const role = overrides.role ?? text(data, 'custcol_sw_role') ?? '';
      const hours = overrides.hours ?? text(data, 'hours') ?? '0';
      const timeDate = overrides.workDate ?? suiteqlDate(text(data, 'trandate'));
      const retainerPeriod = text(data, 'custrecord_sw_rp_period') ?? '';
      if (canonicalType === 'Milestone') {
        amount = { amount: new Decimal(text(data, 'custevent_sw_billing_amount') ?? '0').toFixed(), currency };
        pricing = { rate: amount.amount, quantity: '1' };
        description = `${job.name}: ${text(data, 'title') ?? 'milestone'}`;
        workDate = suiteqlDate(text(data, 'custevent_sw_completed_date')) ?? suiteqlDate(text(data, 'enddate'));
      } else if (canonicalType === 'RetainerFee') {
        amount = { amount: new Decimal(text(data, 'custrecord_sw_rp_fee') ?? '0').toFixed(), currency };
        pricing = { rate: amount.amount, quantity: '1' };
        description = `${job.name}: retainer ${retainerPeriod}`;
        // The fee is billed in the month it is for.
        workDate = /^\d{4}-\d{2}$/.test(retainerPeriod) ? `${retainerPeriod}-01` : null;
      } else {
        const rate = reference.rates.get(`${job.id}|${role}`);
        if (!rate) {
          seeWork(null, timeDate);
          return fail('RATE_CARD_MISSING', `Project ${job.name} has no rate for the role "${role}".`);
        }
        amount = multiplyMoney({ amount: rate.rate, currency }, hours);
        pricing = { rate: new Decimal(rate.rate).toFixed(), quantity: new Decimal(hours).toFixed() };
        const priced = `${hours} h ${role} × ${rate.rate} ${currency}`;
        description = `${job.name}: ${overrides.description ? `${overrides.description} (${priced})` : priced}`;
        workDate = timeDate;
      }
      if (!workDate) return fail('VALIDATION_FAILED', 'The record has no date or period.', 'map', amount);
      seeWork(amount.amount, workDate);
      const taxCode = taxCodeFor(targetMappings, entity.id, customer);
      if (!taxCode) {
        return fail(
          'TAX_CODE_MISSING',
          `Customer ${customer.name} has no tax registration or tax code in ${entity.id}.`,
          'validate',
          amount,
        );
      }
      const billed =
        canonicalType === 'Milestone' ? 'milestone' : canonicalType === 'RetainerFee' ? 'retainer' : role || 'time';
      const item = targetMappings.translate('item_price', billed);
      if (!item) {
        return fail(
          'ITEM_UNMAPPED',
          `"${billed}" has no billing item mapped in ${entity.id}, so ${job.name} cannot be billed for it.`,
          'map',
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
                consultant: overrides.consultant ?? text(data, 'employee') ?? 'unknown',
                role: role || 'unknown',
                workDate,
                hours,
                approved: true,
                ...(overrides.description ? { description: overrides.description } : {}),
              });
      if (!parsed.success) {
        return fail('VALIDATION_FAILED', validationText(parsed.error), 'validate', amount);
      }
      return {
        message,
        canonicalType,
        canonical: parsed.data as Line['canonical'],
        amount,
        pricing,
        description,
        period: workDate.slice(0, 7),
        workDate,
        customer,
        taxCode,
        item,
        billedOn,
      };
    }

    // The Stripe customer of each ERP customer once written in this run, and the open drafts:
    // later batches neither look them up nor write them again.
    const resolvedCustomers = new Map<string, string>();
    const drafts = new DraftInvoices();
    // Whether a draft is still a draft, and what is on it, asked of billing once per run.
    const billing = new BillingTargetState(stripe, scope.retryPolicy);
    // The records behind this run's owed billing references, should the ERP refuse one.
    const sentThisRun = new Map<string, { record: PulledRecord; correlationId: string; traceKey?: string }>();

    const customerRequest = (customer: Customer, targetId?: string): WriteRequest => {
      const canonicalId = canonicalIdFor('netsuite', 'customer', customer.id);
      const fields = ownership.writable(
        { objectType: 'Customer', target: 'stripe', attributes: BILLING_CUSTOMER },
        {
          name: customer.name,
          ...(customer.email ? { email: customer.email } : {}),
          metadata: { legal_entity: entity.id, netsuite_customer_id: customer.id },
        },
      );
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
    /** Part 1 of a month's draft, then part 2 once it is full or no longer a draft, and so on. */
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
        // Every item names its draft: a draft holds those and nothing else (not the items a
        // deleted draft left pending), so its count is Syncwright's own.
        pending_invoice_items_behavior: 'exclude',
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
    const itemFields = (line: Line, stripeCustomer: string, draft: string): InvoiceLineFields => ({
      customer: stripeCustomer,
      currency: line.amount.currency.toLowerCase(),
      invoice: draft,
      amount: Number(toMinorUnits(line.amount)),
      description: line.description,
      metadata: {
        legal_entity: entity.id,
        tax_code: line.taxCode,
        item: line.item,
        netsuite_id: line.message.record.externalId,
        netsuite_type: line.message.record.objectType,
        work_date: line.workDate,
      },
    });
    const itemRequest = (
      line: Line,
      fields: InvoiceLineFields,
      existing: Pick<WriteRequest, 'targetId' | 'foundAtTarget'> = {},
    ): WriteRequest => ({
      connector: stripe,
      targetType: 'invoiceitem',
      canonicalType: line.canonicalType,
      canonicalId: line.canonical.id,
      contentHash: lineContentHash(line.canonical, line.pricing, fields),
      key: line.canonical.id,
      parentId: fields.invoice,
      fields,
      ...existing,
    });
    /** The ERP record a line came from. */
    const erpRecordOf = (line: Line) => ({
      objectType: line.message.record.objectType,
      recordId: line.message.record.externalId,
      canonicalId: line.canonical.id,
    });
    /** Billing writes the billing reference onto the ERP record only where the rules let it own it. */
    const referenceConflicts = (canonicalType: string) =>
      ownership.refused(canonicalType, 'stripe', [BILLING_REFERENCE_ATTRIBUTE]);
    const referenceRefused = (draft: string, record: { objectType: string; recordId: string }, reason: string) =>
      `Billed on invoice ${draft} in billing, but NetSuite ${record.objectType} ${record.recordId} does not say so yet: ${reason}`;

    async function processBatch(records: PulledRecord[], journal: BatchJournal, deliverer: WriteSink) {
      const projectOf = (record: PulledRecord) => {
        const kind = SOURCE_KINDS[record.objectType];
        return kind ? text(record.data, kind.projectField) : undefined;
      };
      await reference.load(records.map(projectOf).filter((id): id is string => id !== undefined));
      const messages = records.map((record) => new RecordMessage(scope, record, journal));
      // Time, milestones and retainer fees carry their project's key, and their items theirs.
      for (const message of messages) {
        const job = reference.jobs.get(projectOf(message.record) ?? '');
        if (job) message.traceKey = job.traceKey;
      }
      const histories = await lineHistories(
        scope.routine,
        records.map((r) => canonicalIdFor('netsuite', r.objectType, r.externalId)),
      );
      const lines = messages
        .map((m) => toLine(m, histories, journal.work))
        .filter((line): line is Line => line !== null);
      const stored = await loadCanonical(lines.map((l) => l.canonical.id));

      // Ownership: the source may change only the attributes it owns.
      const allowed = lines.filter((line) =>
        ownership.admits(
          line.message,
          {
            objectType: line.canonicalType,
            canonicalId: line.canonical.id,
            previous: stored.get(line.canonical.id)?.data,
          },
          line.canonical,
        ),
      );

      const newCustomers = [...new Map(allowed.map((l) => [l.customer.id, l.customer])).values()].filter(
        (c) => !resolvedCustomers.has(c.id),
      );
      // Customers the identity map already links to billing need no search there.
      const linkedRefs = await db().externalRef.findMany({
        where: {
          canonicalId: { in: newCustomers.map((c) => canonicalIdFor('netsuite', 'customer', c.id)) },
          system: 'stripe',
          objectType: 'customer',
        },
        select: { canonicalId: true },
      });
      const linked = new Set(linkedRefs.map((r) => r.canonicalId));

      // Each line waits only for its own customer and draft, so the writes of one customer's items
      // start while other customers are still being written: no batch-wide round between stages.
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
                  () => stripe.findCustomerByMetadata('netsuite_customer_id', customer.id),
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
        const opened = { ok: true as const, customer: stripeCustomer.id, draft: result.targetId, part, items: 0 };
        // A draft made just now holds nothing yet. One made before may hold items already, or
        // finance may have finalized, voided or deleted it since: then the month moves on.
        if (!result.triedBefore) return opened;
        const status = await billing.status(result.targetId);
        if (!status.ok) return status;
        if (status.status !== 'draft') return { ...opened, closed: true };
        return { ...opened, items: await linesOnDraft(result.targetId) };
      };

      // Billing references of lines sent in this batch: owed to the ERP once the batch is committed.
      const owed: WriteRequest[] = [];
      const owe = (line: Line, draft: string) => {
        owed.push(writeBackRequest(scope.source, erpRecordOf(line), draft));
        sentThisRun.set(line.canonical.id, {
          record: line.message.record,
          correlationId: line.message.correlationId,
          traceKey: line.message.traceKey,
        });
      };

      const failed = (line: Line, result: Failure, extraRefs: ExternalRef[] = []) =>
        line.message.deliveryFailed(result, {
          canonicalId: line.canonical.id,
          objectType: line.canonicalType,
          amount: line.amount.amount,
          currency: line.amount.currency,
          ruleVersion: ownership.version,
          extraRefs,
        });

      /**
       * The billing reference of a line now on `draft`. Written at once where the line's delivery
       * was on record before this batch, or in a replay (held messages, not the ERP's unbilled
       * read); otherwise owed, and written by the run's settle once this batch is committed, so
       * that a record leaves the ERP's unbilled read only once its billing is on record here.
       */
      const referTo = async (
        line: Line,
        draft: string,
        recorded: boolean,
      ): Promise<WriteResult | OwnershipConflict[] | null> => {
        if (line.billedOn === draft) return null;
        if (!recorded && scope.runId !== null) return (owe(line, draft), null);
        const conflicts = referenceConflicts(line.canonicalType);
        if (conflicts.length > 0) return conflicts;
        return deliverer.write(writeBackRequest(scope.source, erpRecordOf(line), draft));
      };

      /** One outcome per line: the item's, or the billing reference's when only that was written. */
      const outcome = (
        line: Line,
        item: Success,
        draft: string,
        reference: WriteResult | OwnershipConflict[] | null,
      ) => {
        // The item is on the draft: the work is billed, whatever becomes of its ERP reference.
        journal.work.billed(line.canonical.id, draft);
        if (Array.isArray(reference)) return referenceNotOwned(line, draft, reference);
        if (reference && !reference.ok) {
          return failed(
            line,
            {
              ...reference,
              message: referenceRefused(draft, erpRecordOf(line), reference.message),
            },
            [{ system: 'stripe', objectType: 'invoice', externalId: draft }],
          );
        }
        if (item.alreadyDelivered && (!reference || reference.alreadyDelivered))
          return line.message.noop('already delivered with the same content', {
            canonicalId: line.canonical.id,
            alreadyDelivered: true,
          });
        if (item.alreadyDelivered && reference) {
          return line.message.delivered({
            canonicalId: line.canonical.id,
            target: { system: 'netsuite', objectType: line.message.record.objectType, externalId: reference.targetId },
            idempotencyKey: reference.idempotencyKey,
            ruleVersion: ownership.version,
            reason: `billing reference ${draft} written back`,
          });
        }
        line.message.delivered({
          canonicalId: line.canonical.id,
          target: { system: 'stripe', objectType: 'invoiceitem', externalId: item.targetId },
          idempotencyKey: item.idempotencyKey,
          ruleVersion: ownership.version,
        });
        journal.outbox.push({
          type: 'billing.line_invoiced',
          canonicalType: line.canonicalType,
          canonicalId: line.canonical.id,
          correlationId: line.message.correlationId,
          payload: { amount: line.amount, invoiceItem: item.targetId, draftInvoice: draft },
        });
      };

      /** Billing already holds an item for the line: unchanged, corrected on its open draft, or — invoiced — reported. */
      const deliverAgain = async (
        line: Line,
        stripeCustomer: string,
        existing: { item: string; draft: string; contentHash: string; recorded: boolean; held?: HeldItem },
      ) => {
        const fields = itemFields(line, stripeCustomer, existing.draft);
        let request = itemRequest(line, fields, { targetId: existing.item });
        if (!existing.recorded || request.contentHash !== existing.contentHash) {
          const status = await billing.status(existing.draft);
          if (!status.ok) return failed(line, status);
          // What billing holds matters where the item was found there, or cannot be corrected.
          const held = existing.held
            ? { ok: true as const, item: existing.held }
            : status.status === 'draft'
              ? null
              : await billing.item(existing.item);
          if (held && !held.ok) return failed(line, held);
          if (held?.item && sameAsHeld(held.item, fields)) {
            // Billing holds what the line says (an answer lost, or a line recorded before its
            // content was hashed whole): recorded, not sent again.
            request = itemRequest(line, fields, { foundAtTarget: existing.item });
          } else if (status.status !== 'draft') {
            if (existing.recorded && line.billedOn !== existing.draft) owe(line, existing.draft);
            return changedAfterInvoicing(line, existing, held?.item ?? null, status.status);
          }
        }
        recordCanonical(journal, line.canonicalType, line.canonical);
        const result = await deliverer.write(request);
        if (!result.ok) return failed(line, result);
        return outcome(line, result, existing.draft, await referTo(line, existing.draft, existing.recorded));
      };

      const changedAfterInvoicing = (
        line: Line,
        existing: { item: string; draft: string },
        held: HeldItem | null,
        status: InvoiceStatus,
      ) => {
        const invoiced = held ? fromMinorUnits(held.amount, held.currency.toUpperCase()) : null;
        line.message.exception({
          code: 'DELIVERED_LINE_CHANGED',
          message:
            `${invoiced ? `Invoiced at ${shown(invoiced)}` : 'Invoiced'} on invoice ${existing.draft} (${status}); ` +
            `it now comes to ${shown(line.amount)}: ${line.description}, tax code ${line.taxCode}.`,
          step: 'plan',
          canonicalId: line.canonical.id,
          objectType: line.canonicalType,
          amount: line.amount.amount,
          currency: line.amount.currency,
          ruleVersion: ownership.version,
          team: 'finance',
          extraRefs: [
            { system: 'stripe', objectType: 'invoiceitem', externalId: existing.item },
            { system: 'stripe', objectType: 'invoice', externalId: existing.draft },
          ],
        });
      };

      const referenceNotOwned = (line: Line, draft: string, conflicts: OwnershipConflict[]) =>
        line.message.exception({
          code: 'OWNERSHIP_CONFLICT',
          message: referenceRefused(
            draft,
            erpRecordOf(line),
            `the billing reference is owned by ${conflicts[0]!.owner}.`,
          ),
          step: 'ownership',
          canonicalId: line.canonical.id,
          objectType: line.canonicalType,
          ruleVersion: ownership.version,
          team: conflicts[0]!.team,
          extraRefs: [{ system: 'stripe', objectType: 'invoice', externalId: draft }],
        });

      const deliverLine = async (line: Line) => {
        const customer = await customerOf(line.customer);
        if (!customer.ok) return failed(line, customer);
        const history = histories.get(line.canonical.id);
        if (history?.delivered) return deliverAgain(line, customer.id, { ...history.delivered, recorded: true });

        let draft: string | null = null;
        const tried = history?.tried;
        if (tried) {
          // Tried before, answer unknown (a run cut short, a refused write). The same request
          // again while Stripe still answers for its key; otherwise the item is looked for in
          // billing first, so that a try which reached billing is never made twice.
          const status = await billing.status(tried.draft);
          if (!status.ok) return failed(line, status);
          const sameRequest =
            status.status === 'draft' &&
            itemRequest(line, itemFields(line, customer.id, tried.draft)).contentHash === tried.contentHash &&
            Date.now() - tried.since.getTime() < STRIPE_KEY_WINDOW_MS;
          if (!sameRequest) {
            const found = await billing.itemFor(line.canonical.id, {
              invoice: tried.draft,
              status: status.status,
              customer: customer.id,
            });
            if (!found.ok) return failed(line, found);
            if (found.item) {
              return deliverAgain(line, customer.id, {
                item: found.item.id,
                draft: tried.draft,
                contentHash: tried.contentHash,
                recorded: false,
                held: found.item,
              });
            }
          }
          // An open draft keeps the line (its count includes it already); a closed one does not.
          if (status.status === 'draft') draft = tried.draft;
        }
        if (!draft) {
          const place = await drafts.place(`${line.customer.id}|${line.period}`, (part) =>
            openDraft(line.customer, line.period, part),
          );
          if (!place.ok) return failed(line, place);
          draft = place.draft;
        }
        recordCanonical(journal, line.canonicalType, line.canonical);
        const result = await deliverer.write(itemRequest(line, itemFields(line, customer.id, draft)));
        if (!result.ok) return failed(line, result);
        return outcome(line, result, draft, await referTo(line, draft, false));
      };

      await Promise.all(allowed.map(deliverLine));
      // Recorded as pending now; the run's settle writes them once this batch is committed.
      if (owed.length > 0) await deliverer.prepare(owed);
      for (const message of messages) {
        if (!message.isSettled) throw new Error(`record ${message.record.externalId} left without an outcome`);
      }
    }

    async function settle(batch: SettleBatch) {
      await batch(async (journal, deliverer) => {
        // A rate corrected in the ERP since billing last priced with it: the lines Syncwright
        // delivered at the old rate are billed, so no longer read — they are read here, and go
        // through the pipeline again (corrected in place, or reported once invoiced).
        const changes = await rateCardChanges(await rateCardsToCompare(reference.cache, reference.subsidiary), entity);
        for (const { card } of changes) recordCanonical(journal, 'RateCard', card);
        const corrected = changes.filter((c) => c.changed);
        const priced = new Set(
          await linesPricedBy(
            entity.id,
            corrected.map((c) => c.card),
          ),
        );
        if (priced.size > 0) {
          const pulled = await Promise.all(
            corrected.map((c) =>
              pullAll(scope.source, 'timebill', { customer: c.project, custcol_sw_role: c.card.role }),
            ),
          );
          const records = new Map(pulled.flat().map((r) => [r.externalId, r]));
          await processBatch(
            [...records.values()].filter((r) => priced.has(r.externalId)),
            journal,
            deliverer,
          );
        }
      });

      // The billing references owed to the ERP, now that the deliveries they follow are on record;
      // a part at a time, each committed on its own, so a run that billed many lines does not hold
      // all their writes at once, and SETTLE_PARTS_IN_FLIGHT parts under way together, so one
      // part's batch job at NetSuite runs while another's writes are committed.
      const owed = await owedWriteBacks(scope.routine, entity.id);
      const parts: OwedWriteBack[][] = [];
      for (let start = 0; start < owed.length; start += SETTLE_PART) parts.push(owed.slice(start, start + SETTLE_PART));
      await eachAtMost(parts, SETTLE_PARTS_IN_FLIGHT, settlePart);

      async function settlePart(part: OwedWriteBack[]) {
        await batch(async (journal, deliverer) => {
          const conflictsOf = (o: OwedWriteBack) => referenceConflicts(SOURCE_KINDS[o.objectType]!.canonicalType);
          // Sent together: NetSuite takes a hundred records of a type in one batch request.
          const sendable = part.filter((o) => conflictsOf(o).length === 0);
          const sent = await deliverer.updateMany(sendable.map((o) => writeBackRequest(scope.source, o, o.draft)));
          const results = new Map(sendable.map((o, i) => [o, sent[i]!]));
          await Promise.all(
            part.map(async (o) => {
              const { canonicalType } = SOURCE_KINDS[o.objectType]!;
              const conflicts = conflictsOf(o);
              const result = results.get(o) ?? null;
              if (result?.ok) return;
              // Still owed, and made again by every run until it lands; held meanwhile so someone
              // sees why, with the record as read so that a replay can make it.
              const held = sentThisRun.get(o.canonicalId) ?? (await readAgain(o));
              if (!held) return;
              const message = new RecordMessage(scope, held.record, journal, held.correlationId);
              if (held.traceKey) message.traceKey = held.traceKey;
              const problem = result
                ? {
                    code: result.code,
                    reason: result.message,
                    targetCode: result.targetCode,
                    targetMessage: result.targetMessage,
                  }
                : {
                    code: 'OWNERSHIP_CONFLICT' as const,
                    reason: `the billing reference is owned by ${conflicts[0]!.owner}.`,
                    targetCode: null,
                    targetMessage: null,
                  };
              message.exception({
                code: problem.code,
                message: referenceRefused(o.draft, o, problem.reason),
                step: result ? 'deliver' : 'ownership',
                canonicalId: o.canonicalId,
                objectType: canonicalType,
                targetCode: problem.targetCode,
                targetMessage: problem.targetMessage,
                idempotencyKey: result?.idempotencyKey ?? null,
                ruleVersion: ownership.version,
                ...(conflicts[0] ? { team: conflicts[0].team } : {}),
                extraRefs: [{ system: 'stripe', objectType: 'invoice', externalId: o.draft }],
              });
            }),
          );
        });
        for (const o of part) sentThisRun.delete(o.canonicalId);
      }
    }

    /** The ERP record of an owed reference left by an earlier run, as a replay needs it; null when it cannot be read now. */
    async function readAgain(
      owed: OwedWriteBack,
    ): Promise<{ record: PulledRecord; correlationId: string; traceKey?: string } | null> {
      try {
        const [record] = await pullAll(scope.source, owed.objectType, { id: owed.recordId });
        return record ? { record, correlationId: randomUUID() } : null;
      } catch {
        return null;
      }
    }

    return { sources: billableSources(subsidiary), processBatch, settle };
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
