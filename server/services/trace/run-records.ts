import { db } from '@/server/db/client';

/** A run shows at most this many of its records, in the order they were settled. */
export const RUN_RECORD_LIMIT = 100;

/** A run's records as the ledger holds them, each with the trace key of its business object. */
export async function runRecords(runId: string) {
  const rows = await db().ledgerEntry.findMany({
    where: { runId },
    orderBy: { id: 'asc' },
    take: RUN_RECORD_LIMIT,
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    source: { system: row.sourceSystem, objectType: row.sourceType, externalId: row.sourceId },
    target:
      row.targetSystem && row.targetType && row.targetId
        ? { system: row.targetSystem, objectType: row.targetType, externalId: row.targetId }
        : null,
    outcome: row.outcome,
    reason: row.reason,
    traceKey: row.traceKey,
  }));
}
