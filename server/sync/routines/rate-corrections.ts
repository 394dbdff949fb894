import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { rateCardSchema, type RateCard } from '@/server/domain/canonical/schemas';
import { loadCanonical } from '../canonical-store';
import { canonicalIdFor } from '../pipeline/identity';
import { suiteqlBoolean } from './suiteql-values';
import { text } from '../pipeline/source-values';

/**
 * Rate cards as billing last priced with them, kept as canonical records, so that a correction in
 * the ERP is noticed even though the time it prices is billed and no longer read: the lines
 * Syncwright delivered at the old rate are read again and corrected (or, once invoiced, reported).
 */

export interface RateCardChange {
  card: RateCard;
  /** The ERP's id of the project the card prices. */
  project: string;
  /** false the first time the card is seen: nothing was priced from an earlier rate. */
  changed: boolean;
}

/** The entity's active rate cards in canonical form, each marked when its rate differs from the last recorded. */
export async function rateCardChanges(
  records: readonly PulledRecord[],
  entity: { id: string; currency: string },
  projects: ReadonlySet<string>,
): Promise<RateCardChange[]> {
  const cards: { card: RateCard; project: string }[] = [];
  for (const r of records) {
    const project = text(r.data, 'custrecord_sw_rc_project');
    const role = text(r.data, 'custrecord_sw_rc_role');
    const rate = text(r.data, 'custrecord_sw_rc_rate');
    if (suiteqlBoolean(text(r.data, 'isinactive')) || !project || !role || !rate || !projects.has(project)) continue;
    const parsed = rateCardSchema.safeParse({
      id: canonicalIdFor('netsuite', r.objectType, r.externalId),
      legalEntityId: entity.id,
      currency: entity.currency,
      schemaVersion: 1,
      externalRefs: [{ system: 'netsuite', objectType: r.objectType, externalId: r.externalId }],
      sourceChangedAt: r.changedAt,
      projectId: canonicalIdFor('netsuite', 'job', project),
      role,
      rate,
    });
    if (parsed.success) cards.push({ card: parsed.data, project });
  }
  const stored = await loadCanonical(cards.map((c) => c.card.id));
  return cards.flatMap(({ card, project }) => {
    const before = stored.get(card.id);
    if (before && before.data.rate === card.rate && before.data.role === card.role) return [];
    return [{ card, project, changed: before !== undefined }];
  });
}

/** The ERP ids of time entries Syncwright delivered to billing at these rate cards' project and role. */
export async function linesPricedBy(legalEntityId: string, cards: readonly RateCard[]): Promise<string[]> {
  if (cards.length === 0) return [];
  const rows = await db().$queryRaw<{ recordId: string }[]>`
    SELECT c.data->'externalRefs'->0->>'externalId' AS "recordId"
    FROM "CanonicalRecord" c
    JOIN unnest(${cards.map((c) => c.projectId)}::text[], ${cards.map((c) => c.role)}::text[]) AS v(project, role)
      ON c.data->>'projectId' = v.project AND c.data->>'role' = v.role
    WHERE c.type = 'TimeEntry' AND c."legalEntityId" = ${legalEntityId}
      AND EXISTS (
        SELECT 1 FROM "Delivery" d
        WHERE d."canonicalId" = c.id AND d."targetType" = 'invoiceitem' AND d.status = 'delivered')`;
  return rows.map((r) => r.recordId);
}
