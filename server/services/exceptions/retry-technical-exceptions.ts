import { db } from '@/server/db/client';
import { logger } from '@/server/logger';
import { SYNC_ACTOR } from '@/server/services/audit/audit-context';
import type { RetryPolicy } from '@/server/sync/retry';
import { replayExceptions } from './replay-exceptions';

/**
 * A technical exception (a target down, timing out, throttling) usually heals by itself: it is
 * replayed automatically this long after it was last seen, then again, before it waits for a
 * person. Business exceptions never are: they need someone to fix the cause.
 */
export const AUTO_RETRY_MINUTES = [5, 30, 120, 720] as const;
const BATCH = 200;

export interface AutoRetryResult {
  retried: number;
  resolved: number;
  /** Still failing after the last automatic retry: now waiting for a person. */
  exhausted: number;
}

/** Replays the open technical exceptions whose next automatic retry is due at `now`. */
export async function retryDueTechnicalExceptions(
  options: { now?: Date; retryPolicy?: RetryPolicy } = {},
): Promise<AutoRetryResult> {
  const { now = new Date(), retryPolicy } = options;
  const schedule = AUTO_RETRY_MINUTES.map((m) => `${m} minutes`);
  // Claimed (counted) before they are replayed, so a crash mid-replay never retries them in a loop.
  const due = await db().$queryRaw<{ id: string; autoRetries: number }[]>`
    UPDATE "SyncException" e SET "autoRetries" = e."autoRetries" + 1
    WHERE e.id IN (
      SELECT id FROM "SyncException"
      WHERE kind = 'technical' AND status = 'open' AND "autoRetries" < ${schedule.length}
        AND "lastSeenAt" + (${schedule}::text[])["autoRetries" + 1]::interval <= ${now}
      ORDER BY "lastSeenAt" LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING e.id::text, e."autoRetries"`;
  if (due.length === 0) return { retried: 0, resolved: 0, exhausted: 0 };

  const context = { actor: SYNC_ACTOR, requestId: null, ip: null };
  let resolved = 0;
  try {
    const outcomes = await replayExceptions({ exceptionIds: due.map((d) => d.id), retryPolicy }, context);
    resolved = outcomes.filter((o) => o.resolved).length;
  } catch (err) {
    // One exception that cannot be replayed (no held message) must not hold up the others.
    logger.warn({ err }, 'automatic retry: replaying together failed; replaying one by one');
    for (const { id } of due) {
      const outcome = await replayExceptions({ exceptionIds: [id], retryPolicy }, context).catch((error: unknown) => {
        logger.warn({ err: error, exceptionId: id }, 'automatic retry: exception not replayable');
        return [];
      });
      resolved += outcome.filter((o) => o.resolved).length;
    }
  }
  const stillOpen = await db().syncException.count({
    where: { id: { in: due.map((d) => d.id) }, status: 'open', autoRetries: { gte: schedule.length } },
  });
  return { retried: due.length, resolved, exhausted: stillOpen };
}
