import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { canonicalIdFor } from './identity';

/**
 * One trace key per business object, so a deal can be followed to its invoices. The rule: a record
 * carries its parent's key, and a record whose parent is not known (yet) keys itself from its own
 * identity (RecordMessage), so that every run agrees. The chain: an opportunity keys itself; its
 * change orders and its project take its key (the project names the opportunity it came from); time,
 * milestones and retainer fees take their project's; an invoice item is written from one of those
 * (same ledger row); an invoice, and the payments on it, take the key of the items billed on it (or of the project it
 * names).
 */

/** The key a CRM opportunity's business object goes by. */
export const opportunityTraceKey = (opportunityId: string) =>
  canonicalIdFor('salesforce', 'Opportunity', opportunityId);

/** An ERP project's key: its opportunity's, or its own for a project made in the ERP. */
export function projectTraceKey(project: PulledRecord): string {
  const opportunity = project.data.custentity_sw_opportunity_id;
  return opportunity ? opportunityTraceKey(String(opportunity)) : canonicalIdFor('netsuite', 'job', project.externalId);
}

/** The trace key of each billing invoice, from the items written onto it (the first item's, when
 *  one invoice bills several deals). Invoices holding none of Syncwright's items are left out. */
export async function traceKeysOfInvoices(invoiceIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(invoiceIds)];
  if (!ids.length) return new Map();
  const rows = await db().$queryRaw<{ invoiceId: string; traceKey: string }[]>`
    SELECT DISTINCT ON (d."parentId") d."parentId" AS "invoiceId", l."traceKey"::text AS "traceKey"
    FROM "Delivery" d
    JOIN "LedgerEntry" l ON l."targetSystem" = 'stripe' AND l."targetType" = 'invoiceitem' AND l."targetId" = d."targetId"
    WHERE d."parentId" = ANY(${ids}::text[]) AND d."targetType" = 'invoiceitem' AND l."traceKey" IS NOT NULL
    ORDER BY d."parentId", d."createdAt", l.id`;
  return new Map(rows.map((r) => [r.invoiceId, r.traceKey]));
}
