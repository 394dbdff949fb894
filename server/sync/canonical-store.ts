import { contentHash } from '@/server/domain/canonical/canonical-record';
import { db } from '@/server/db/client';
import type { BatchJournal } from './pipeline/batch-journal';

export interface StoredCanonical {
  contentHash: string;
  data: Record<string, unknown>;
}

/** The canonical records a batch refers to, as last recorded, in one query. */
export async function loadCanonical(ids: readonly string[]): Promise<Map<string, StoredCanonical>> {
  if (ids.length === 0) return new Map();
  const rows = await db().canonicalRecord.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return new Map(rows.map((r) => [r.id, { contentHash: r.contentHash, data: r.data as Record<string, unknown> }]));
}

/** Attributes whose values differ between the stored and the new form (all of them when new). */
export function changedAttributes(previous: Record<string, unknown> | undefined, next: Record<string, unknown>): string[] {
  const ignored = new Set(['id', 'externalRefs', 'sourceChangedAt', 'schemaVersion']);
  return Object.keys(next).filter(
    (key) => !ignored.has(key) && JSON.stringify(previous?.[key] ?? null) !== JSON.stringify(next[key] ?? null),
  );
}

/** Records the canonical form in the batch journal (written with the batch). */
export function recordCanonical(journal: BatchJournal, type: string, record: Record<string, unknown> & { id: string; legalEntityId: string; schemaVersion: number }): string {
  const hash = contentHash(record);
  journal.canonical.set(record.id, {
    id: record.id,
    type,
    legalEntityId: record.legalEntityId,
    schemaVersion: record.schemaVersion,
    contentHash: hash,
    data: JSON.parse(JSON.stringify(record)) as object,
  });
  return hash;
}
