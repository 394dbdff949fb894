import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { rateCardSchema, type RateCard } from '@/server/domain/canonical/schemas';
import { loadCanonical } from '../canonical-store';
import type { ReferenceCache } from '../reference-cache';
import { activeRateCard, PROJECTS, RATE_CARDS } from './billing-reference';
import { canonicalIdFor } from '../pipeline/identity';

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

/** Rate cards in canonical form, each marked when its rate differs from the last recorded. */
export async function rateCardChanges(
  records: readonly PulledRecord[],
  entity: { id: string; currency: string },
): Promise<RateCardChange[]> {
  const cards: { card: RateCard; project: string }[] = [];
  for (const r of records) {
    const active = activeRateCard(r);
    if (!active) continue;
    const { project, role, rate } = active;
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

const NUMBER = String.raw`^\s*-?[0-9]+(\.[0-9]+)?\s*$`;

/**
 * The active rate cards of the subsidiary's projects, from the connection's reference cache, whose
 * role or rate differs from the canonical record billing last priced with (or that have none yet):
 * compared in the database, so a run handles the cards that changed, not every card of the firm.
 * The subsidiary's projects are looked up once, as an array each card is checked against: joined
 * to the projects instead, a copy filled just before the run (no planner statistics yet) was
 * planned as every card against every project, 150 ms for a firm's 1,775 cards instead of 7.
 */
export async function rateCardsToCompare(cache: ReferenceCache, subsidiary: string): Promise<PulledRecord[]> {
  const rows = await db().$queryRaw<{ externalId: string; changedAt: Date; data: Record<string, unknown> }[]>`
    SELECT r."externalId", r."changedAt", r.data
    FROM "ReferenceRecord" r
    LEFT JOIN "CanonicalRecord" c ON c.id = r."canonicalId"
    WHERE r."connectionId" = ${cache.connectionId}::uuid AND r."objectType" = ${RATE_CARDS.objectType}
      AND r."parentId" = ANY(ARRAY(
        SELECT j."externalId" FROM "ReferenceRecord" j
        WHERE j."connectionId" = ${cache.connectionId}::uuid AND j."objectType" = ${PROJECTS.objectType}
          AND j.subsidiary = ${subsidiary}))
      AND coalesce(r.data->>'isinactive', '') NOT IN ('T', 'true')
      AND coalesce(r.data->>'custrecord_sw_rc_role', '') <> ''
      AND coalesce(r.data->>'custrecord_sw_rc_rate', '') ~ ${NUMBER}
      AND (c.id IS NULL
        OR c.data->>'role' IS DISTINCT FROM r.data->>'custrecord_sw_rc_role'
        OR (CASE WHEN c.data->>'rate' ~ ${NUMBER} THEN (c.data->>'rate')::numeric END)
          IS DISTINCT FROM (r.data->>'custrecord_sw_rc_rate')::numeric)
    ORDER BY r."changedAt", length(r."externalId"), r."externalId"`;
  return rows.map((r) => ({
    objectType: RATE_CARDS.objectType,
    externalId: r.externalId,
    changedAt: r.changedAt.toISOString(),
    data: r.data,
  }));
}
