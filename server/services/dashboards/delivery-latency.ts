import { Prisma } from '@/server/db/generated/prisma/client';
import { ROUTINES } from '@/server/domain/routines';
import { histogramPercentiles, type CellPercentiles } from './histogram-percentiles';

const HOUR = 3_600_000;
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);

/** The window of `length` ms before `now`, its start rounded down to the hour the latency rollup counts in. */
export const latencyWindowStart = (now: Date, length: number): Date => hourOf(new Date(now.getTime() - length));

/**
 * End-to-end latency (whole seconds, source change → delivered) per routine × entity, of the
 * records changed since the window's start and delivered by `now`: p50 and p95 as
 * percentile_cont over those seconds. Whole hours come from the DeliveryLatency rollup; the hour
 * `now` is in, still filling, from the ledger itself (an hour's deliveries at most).
 * Keyed `routine|legalEntityId`.
 */
export async function deliveryLatencies(
  entities: string[],
  now: Date,
  windowLength: number,
): Promise<Map<string, CellPercentiles>> {
  const since = latencyWindowStart(now, windowLength);
  const hourNow = hourOf(now);
  return histogramPercentiles(Prisma.sql`
    SELECT routine::text || '|' || "legalEntityId" AS cell, seconds, n FROM (
      SELECT routine, "legalEntityId", seconds, deliveries AS n FROM "DeliveryLatency"
       WHERE "changedHour" >= ${since} AND "finishedHour" >= ${since} AND "finishedHour" < ${hourNow}
         AND "legalEntityId" = ANY(${entities})
      UNION ALL
      SELECT l.routine, r."legalEntityId", floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))::int, 1
        FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
       WHERE l.routine = ANY(${[...ROUTINES]}::"Routine"[]) AND l.outcome = 'delivered'
         AND l."finishedAt" >= ${hourNow} AND l."finishedAt" <= ${now} AND l."sourceChangedAt" >= ${since}
         AND r."legalEntityId" = ANY(${entities})
    ) x`);
}
