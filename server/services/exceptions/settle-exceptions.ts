import type { RawSql } from '@/server/db/driver';
import type { ExternalRef } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';
import { appendAuditEvents } from '@/server/services/audit/append-audit-event';
import { SYNC_ACTOR } from '@/server/services/audit/audit-context';

export interface SettledRecord {
  routine: RoutineName;
  /** The source record, as an exception names it first among its external ids. */
  source: ExternalRef;
}

/**
 * Resolves the open exceptions of records a run has now taken through (delivered, or found
 * delivered already), inside the caller's transaction: the exception, its history event and an
 * audit entry commit with the batch that settled them. Returns how many were resolved.
 */
export async function settleExceptions(tx: RawSql, runId: string, records: readonly SettledRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const resolution = `settled by run ${runId}`;
  // Rows are locked before they change, so an assignment or a replay at the same moment either
  // lands first (and is then resolved here) or waits and finds the exception resolved.
  const settled = await tx.$queryRaw<{ id: string; before: string; code: string }[]>`
    WITH delivered AS (
      SELECT v.routine::"Routine" AS routine,
        jsonb_build_object('system', v.system, 'objectType', v.object_type, 'externalId', v.external_id) AS ref
      FROM unnest(
        ${records.map((r) => r.routine)}::text[],
        ${records.map((r) => r.source.system)}::text[],
        ${records.map((r) => r.source.objectType)}::text[],
        ${records.map((r) => r.source.externalId)}::text[]
      ) AS v(routine, system, object_type, external_id)
    ), held AS (
      SELECT e.id, e.status FROM "SyncException" e
      JOIN delivered d ON e.routine = d.routine AND e."externalIds" -> 0 = d.ref
      WHERE e.status IN ('open', 'assigned', 'in_progress')
      FOR UPDATE OF e
    ), settled AS (
      UPDATE "SyncException" e SET status = 'resolved', "resolvedAt" = now(), resolution = ${resolution}
      FROM held h WHERE e.id = h.id
      RETURNING e.id, h.status AS before, e.code
    ), event AS (
      INSERT INTO "ExceptionEvent" ("exceptionId", type, note, data)
      SELECT id, 'settled', ${resolution}::text, ${JSON.stringify({ runId })}::jsonb FROM settled
    )
    SELECT id::text, before::text, code FROM settled`;
  await appendAuditEvents(
    tx,
    settled.map((row) => ({
      actor: SYNC_ACTOR,
      action: 'exception.settled',
      target: { type: 'SyncException', id: row.id },
      before: { status: row.before },
      after: { status: 'resolved', resolution, runId, code: row.code },
    })),
  );
  return settled.length;
}
