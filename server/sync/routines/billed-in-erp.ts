import type { Connector } from '@/server/connectors/connector';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { db } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';
import type { WriteRequest } from '../pipeline/deliverer';

/** What billing reads from NetSuite: the canonical type, the project and the "billed on" field. */
export interface SourceKind {
  canonicalType: 'TimeEntry' | 'Milestone' | 'RetainerFee';
  projectField: string;
  billedField: string;
}

export const RETAINER_PERIOD = 'customrecord_sw_retainer_period';

export const SOURCE_KINDS: Record<string, SourceKind> = {
  timebill: { canonicalType: 'TimeEntry', projectField: 'customer', billedField: 'custcol_sw_billed_invoice' },
  projecttask: { canonicalType: 'Milestone', projectField: 'company', billedField: 'custevent_sw_billed_invoice' },
  [RETAINER_PERIOD]: {
    canonicalType: 'RetainerFee',
    projectField: 'custrecord_sw_rp_project',
    billedField: 'custrecord_sw_rp_billed_invoice',
  },
};

// Billing references written back per committed part of a run's settle (one NetSuite batch of a
// hundred), and how many parts are under way at once.
export const SETTLE_PART = 100;
export const SETTLE_PARTS_IN_FLIGHT = 2;

/** The canonical attribute the billing reference is, for the ownership rules. */
export const BILLING_REFERENCE_ATTRIBUTE = 'billedInvoice';

/**
 * The billing reference written back onto the ERP record a line came from: the invoice of its
 * draft, in the record's own "billed on" field, so that the ERP's unbilled view and billing's next
 * read agree. An update of a record known by its internal id: the same value twice is no change.
 */
export function writeBackRequest(
  erp: Connector,
  line: { objectType: string; recordId: string; canonicalId: string },
  draft: string,
): WriteRequest {
  const kind = SOURCE_KINDS[line.objectType]!;
  const fields = { [kind.billedField]: draft };
  return {
    connector: erp,
    targetType: line.objectType,
    canonicalType: kind.canonicalType,
    canonicalId: line.canonicalId,
    contentHash: contentHash(fields),
    key: '',
    targetId: line.recordId,
    parentId: draft,
    fields,
  };
}

export interface OwedWriteBack {
  canonicalId: string;
  objectType: string;
  recordId: string;
  draft: string;
}

/**
 * Billing references owed to the ERP: recorded as pending when their line was sent, for lines
 * whose delivery to that draft is now on record. Written once the run's batches are committed, so
 * a record only leaves the ERP's unbilled set once Syncwright has recorded billing it; what a crash
 * or a refusal left undone is found here again by the next run.
 */
export async function owedWriteBacks(routine: RoutineName, legalEntityId: string): Promise<OwedWriteBack[]> {
  return db().$queryRaw<OwedWriteBack[]>`
    SELECT w."canonicalId"::text AS "canonicalId", w."targetType" AS "objectType", w."parentId" AS draft,
      c.data->'externalRefs'->0->>'externalId' AS "recordId"
    FROM "Delivery" w
    JOIN "CanonicalRecord" c ON c.id = w."canonicalId" AND c."legalEntityId" = ${legalEntityId}
    WHERE w.routine = ${routine}::"Routine" AND w."targetSystem" = 'netsuite' AND w.status = 'pending'
      AND w."targetType" = ANY(${Object.keys(SOURCE_KINDS)}::text[])
      AND EXISTS (
        SELECT 1 FROM "Delivery" i
        WHERE i."canonicalId" = w."canonicalId" AND i."targetSystem" = 'stripe' AND i."targetType" = 'invoiceitem'
          AND i.status = 'delivered' AND i."parentId" = w."parentId")
    ORDER BY w."createdAt"`;
}
