import { ConnectorError, type Connector, type PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { timeEntrySchema } from '@/server/domain/canonical/schemas';
import { fieldMapRowProblems, tidyFieldMaps, type FieldMapRowProblem } from '@/server/domain/field-maps';
import { tidyValueMaps, valueMapProblems, type ValueMapProblem } from '@/server/domain/value-maps';
import { AppError } from '@/server/errors';
import { connectionServing, connectorFor } from '@/server/services/connections/connections';
import { FieldMappings } from '@/server/sync/field-mappings';
import { text } from '@/server/sync/pipeline/source-values';
import { RetriesExhausted, withRetries, type RetryPolicy } from '@/server/sync/retry';
import { suiteqlDate } from '@/server/sync/routines/suiteql-values';
import { taxCodeFor } from '@/server/sync/tax-code';
import type { MappingScope, MappingSet } from './field-mapping-governance';

/** Billable time as billing eligibility reads it: approved and billable. */
const BILLABLE_TIME = { approvalstatus: '2', isbillable: 'T' };
const SAMPLE_LIMIT = 10;

export interface PreviewSample {
  externalId: string;
  label: string;
  /** The open exception that holds this record, when it came from one. */
  heldBy: { id: string; code: string } | null;
}

export interface PreviewProblem {
  attribute: string;
  message: string;
}

export interface MappingPreview {
  source: { system: 'netsuite'; objectType: 'timebill'; externalId: string; data: Record<string, unknown> };
  canonical: Record<string, unknown>;
  problems: PreviewProblem[];
  mappingProblems: ValueMapProblem[];
  fieldMapProblems: FieldMapRowProblem[];
}

/**
 * What a preview reads with: the ERP the entity's time comes from and the billing connection its
 * lines go to, each with the mappings in force, except the scope being edited, which uses the
 * draft. A scope that neither is cannot change what billing makes of a record.
 */
async function previewContext(scope: MappingScope, draft: MappingSet | null) {
  const [erp, billing, entity] = await Promise.all([
    connectionServing('netsuite', scope.legalEntityId),
    connectionServing('stripe', scope.legalEntityId),
    db().legalEntity.findUnique({ where: { id: scope.legalEntityId } }),
  ]);
  if (!entity) throw new AppError('NOT_FOUND', `There is no legal entity ${scope.legalEntityId}.`);
  if (!erp || !billing || (scope.connectionId !== erp.id && scope.connectionId !== billing.id)) {
    throw new AppError(
      'BAD_REQUEST',
      'The preview reads billable time from the ERP and bills it through the billing connection; these mappings are used by neither.',
    );
  }
  const mappingsOf = async (connectionId: string) =>
    // The draft as it would be saved: trimmed.
    draft && connectionId === scope.connectionId
      ? FieldMappings.of(tidyValueMaps(draft.mappings), tidyFieldMaps(draft.fieldMaps))
      : FieldMappings.load(connectionId, scope.legalEntityId);
  const [erpMappings, billingMappings] = await Promise.all([mappingsOf(erp.id), mappingsOf(billing.id)]);
  const subsidiary = erpMappings.sourceOf('legal_entity', entity.id);
  if (!subsidiary) throw new AppError('BAD_REQUEST', `No ERP subsidiary is mapped to legal entity ${entity.id}.`);
  const edited = scope.connectionId === erp.id ? erp : billing;
  return { entity, edited, erpMappings, billingMappings, subsidiary, source: await connectorFor(erp.id) };
}

// Someone is waiting on the screen: a few quick retries, not a sync run's budget.
const PREVIEW_RETRY: RetryPolicy = { budget: 3, baseDelayMs: 250, maxDelayMs: 2_000 };

/** A read from the ERP, retried while it is busy, its refusal told in the ERP's own words. */
async function fromErp<T>(source: Connector, call: () => Promise<T>): Promise<T> {
  try {
    return await withRetries(call, (error) => source.classifyError(error), PREVIEW_RETRY);
  } catch (error) {
    if (error instanceof RetriesExhausted)
      throw new AppError('TOO_MANY_REQUESTS', `The ERP is busy (${error.last.message}); try the preview again.`);
    if (error instanceof ConnectorError)
      throw new AppError('BAD_REQUEST', `The ERP refused the read: ${error.classified.message}`);
    throw error;
  }
}

const one = async (source: Connector, objectType: string, id: string | undefined) =>
  id ? ((await fromErp(source, () => source.readCurrent(objectType, [id])))[0] ?? null) : null;

/**
 * Records to preview with, read through the ERP connector: those held by the open exceptions of
 * the scope's entity first (what a fix is for), then recent billable time.
 */
export async function previewSamples(scope: MappingScope): Promise<PreviewSample[]> {
  // The samples are read with the mappings in force: an ERP scope's draft may not yet name its subsidiary.
  const { source, subsidiary } = await previewContext(scope, null);
  const held = await db().syncException.findMany({
    where: {
      routine: 'billing_eligibility',
      legalEntityId: scope.legalEntityId,
      objectType: 'TimeEntry',
      status: { in: ['open', 'assigned', 'in_progress'] },
    },
    select: { id: true, code: true, externalIds: true },
    orderBy: { lastSeenAt: 'desc' },
    take: SAMPLE_LIMIT,
  });
  const heldBy = new Map<string, { id: string; code: string }>();
  for (const e of held) {
    const refs = e.externalIds as { system: string; objectType: string; externalId: string }[];
    const ref = refs.find((r) => r.system === 'netsuite' && r.objectType === 'timebill');
    if (ref && !heldBy.has(ref.externalId)) heldBy.set(ref.externalId, { id: e.id, code: e.code });
  }
  const [heldRecords, recent] = await Promise.all([
    fromErp(source, () => source.readCurrent('timebill', [...heldBy.keys()])),
    fromErp(source, () =>
      source.pull('timebill', null, 100, { subsidiary, ...BILLABLE_TIME }, { includeUnsettled: true }),
    ),
  ]);
  const newest = [...recent.records].sort((a, b) => (a.changedAt < b.changedAt ? 1 : -1)).slice(0, SAMPLE_LIMIT);
  const seen = new Set<string>();
  const samples: PreviewSample[] = [];
  for (const record of [...heldRecords, ...newest]) {
    if (seen.has(record.externalId)) continue;
    seen.add(record.externalId);
    const by = heldBy.get(record.externalId) ?? null;
    samples.push({ externalId: record.externalId, label: sampleLabel(record, by), heldBy: by });
  }
  return samples;
}

function sampleLabel(record: PulledRecord, heldBy: { code: string } | null): string {
  const date = suiteqlDate(text(record.data, 'trandate')) ?? 'no date';
  const hours = text(record.data, 'hours') ?? '?';
  const role = text(record.data, 'custcol_sw_role') ?? 'no role';
  return `Time entry ${record.externalId}: ${date}, ${hours} h ${role}${heldBy ? ` (held by ${heldBy.code})` : ''}`;
}

/**
 * The canonical time entry a record of the ERP becomes under the draft mappings, with the tax code
 * its invoice line would carry, checked as billing eligibility checks it: the built-in mapping,
 * then the ERP connection's field maps over it. Nothing is written.
 */
export async function previewRecord(
  scope: MappingScope,
  draft: MappingSet,
  externalId: string,
): Promise<MappingPreview> {
  const mappingProblems = valueMapProblems(draft.mappings);
  const { entity, edited, erpMappings, billingMappings, source } = await previewContext(scope, draft);
  const fieldMapProblems = fieldMapRowProblems(edited.system, draft.fieldMaps);
  const record = await one(source, 'timebill', externalId);
  if (!record) throw new AppError('NOT_FOUND', `The ERP has no time entry ${externalId}.`);
  const job = await one(source, 'job', text(record.data, 'customer'));
  const customer = await one(source, 'customer', job ? text(job.data, 'parent') : undefined);

  const problems: PreviewProblem[] = [];
  const sourceCurrency = job ? text(job.data, 'currency') : undefined;
  const currency = sourceCurrency ? (erpMappings.get('currency', sourceCurrency) ?? null) : null;
  const canonical = {
    legalEntityId: entity.id,
    currency,
    consultant: text(record.data, 'employee') ?? null,
    workDate: suiteqlDate(text(record.data, 'trandate')),
    hours: text(record.data, 'hours') ?? null,
    role: text(record.data, 'custcol_sw_role') ?? null,
    approved: text(record.data, 'approvalstatus') === BILLABLE_TIME.approvalstatus,
    customer: customer
      ? {
          erpId: customer.externalId,
          name: text(customer.data, 'companyname') ?? `Customer ${customer.externalId}`,
          taxRegistration: text(customer.data, 'vatregnumber') ?? null,
        }
      : null,
    taxCode: null as string | null,
  };
  const mapped = erpMappings.mapFields('timebill', record.data);
  Object.assign(canonical, mapped.attributes);
  problems.push(...mapped.problems);
  const failed = new Set(mapped.problems.map((p) => p.attribute));
  const checked = timeEntrySchema
    .pick({ legalEntityId: true, currency: true, workDate: true, hours: true, role: true, approved: true })
    .safeParse(canonical);
  if (!checked.success) {
    // An attribute whose field map failed is named once, by its field map.
    for (const issue of checked.error.issues.filter((i) => !failed.has(String(i.path[0])))) {
      problems.push({ attribute: issue.path.join('.'), message: `${issue.path.join('.')}: ${issue.message}` });
    }
  }
  if (currency && currency !== entity.currency) {
    problems.push({
      attribute: 'currency',
      message: `CURRENCY_MISMATCH: the record is in ${currency}, but ${entity.id} bills in ${entity.currency}.`,
    });
  }
  if (!canonical.customer) {
    problems.push({ attribute: 'customer', message: 'CUSTOMER_UNRESOLVED: the ERP has no customer for its project.' });
  } else {
    canonical.taxCode = taxCodeFor(billingMappings, entity.id, {
      id: canonical.customer.erpId,
      taxRegistration: canonical.customer.taxRegistration,
    });
    if (!canonical.taxCode) {
      problems.push({
        attribute: 'taxCode',
        message: `TAX_CODE_MISSING: Customer ${canonical.customer.name} has no tax registration or tax code in ${entity.id}.`,
      });
    }
  }
  return {
    source: { system: 'netsuite', objectType: 'timebill', externalId, data: record.data },
    canonical,
    problems,
    mappingProblems,
    fieldMapProblems,
  };
}
