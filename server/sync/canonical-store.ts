import { AsyncLocalStorage } from 'node:async_hooks';
import { contentHash } from '@/server/domain/canonical/canonical-record';
import { db } from '@/server/db/client';
import type { BatchJournal } from './pipeline/batch-journal';

export interface StoredCanonical {
  contentHash: string;
  data: Record<string, unknown>;
}

// The journals of earlier batches of the running routine whose commit may still be in flight.
const uncommittedBatches = new AsyncLocalStorage<readonly BatchJournal[]>();

/**
 * Runs one batch's processing so that `loadCanonical` also sees what earlier batches of the same
 * run recorded but may not have committed yet (the runner commits a batch while it processes the
 * next), exactly as it would once they are committed.
 */
export function withUncommittedBatches<T>(journals: readonly BatchJournal[], work: () => Promise<T>): Promise<T> {
  return journals.length ? uncommittedBatches.run(journals, work) : work();
}

/** The canonical records a batch refers to, as last recorded, in one query. */
export async function loadCanonical(ids: readonly string[]): Promise<Map<string, StoredCanonical>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  const rows = await db().$queryRaw<{ id: string; contentHash: string; data: Record<string, unknown> }[]>`
    SELECT id::text AS id, "contentHash", data FROM "CanonicalRecord" WHERE id = ANY(${unique}::uuid[])`;
  const stored = new Map(rows.map((r) => [r.id, { contentHash: r.contentHash, data: r.data }]));
  for (const journal of uncommittedBatches.getStore() ?? []) {
    for (const id of unique) {
      const record = journal.canonical.get(id);
      if (record) stored.set(id, { contentHash: record.contentHash, data: record.data as Record<string, unknown> });
    }
  }
  return stored;
}

/** Attributes whose values differ between the stored and the new form (all of them when new). */
export function changedAttributes(
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): string[] {
  const ignored = new Set(['id', 'externalRefs', 'sourceChangedAt', 'schemaVersion']);
  return Object.keys(next).filter(
    (key) => !ignored.has(key) && JSON.stringify(previous?.[key] ?? null) !== JSON.stringify(next[key] ?? null),
  );
}

/** Records the canonical form in the batch journal (written with the batch). */
export function recordCanonical(
  journal: BatchJournal,
  type: string,
  record: Record<string, unknown> & { id: string; legalEntityId: string; schemaVersion: number },
): string {
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
