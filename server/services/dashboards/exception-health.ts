import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { histogramPercentiles } from './histogram-percentiles';
import { openByTeamAndAge } from './open-exceptions';
import { entityIds } from './scoped-dashboard';

export const AGE_BUCKETS = ['under 1 day', '1–7 days', '8–30 days', 'over 30 days'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface ExceptionHealth {
  openByTeam: { team: string; bucket: AgeBucket; count: number }[];
  perDay: { day: string; created: number; resolved: number }[];
  /** Median first seen → resolved in whole seconds, of those resolved in the range; null when none were. */
  timeToResolve: { team: string; resolved: number; medianSeconds: number | null }[];
}

const TEAMS = ['finance', 'operations', 'integration'] as const;

/**
 * From the rollups the exception trigger keeps: open by team and age (ExceptionDay, with the days
 * an age edge falls in read from the rows), created and resolved per day (ExceptionDay), and the
 * median time to resolve in whole seconds (ExceptionResolveTime).
 */
export async function exceptionHealth(options: { scope: DashboardScope; now: Date }): Promise<ExceptionHealth> {
  const { scope, now } = options;
  const entities = entityIds(scope);
  const day = 86_400_000;
  const ages = [1, 7, 30].map((days) => new Date(now.getTime() - days * day));
  const [open, perDay, resolve] = await Promise.all([
    openByTeamAndAge(entities, now, [
      ...ages.map((newerThan, i) => ({ bucket: AGE_BUCKETS[i]!, newerThan })),
      { bucket: AGE_BUCKETS[3], newerThan: null },
    ]),
    db().$queryRaw<{ day: string; created: bigint; resolved: bigint }[]>`
      WITH days AS (
        SELECT d::date AS day FROM generate_series(${scope.from}::date, ${scope.to}::date, interval '1 day') d
      ), counts AS (
        SELECT day, sum(created) AS created, sum(resolved) AS resolved FROM "ExceptionDay"
        WHERE "legalEntityId" = ANY(${entities}) AND day >= ${scope.from}::date AND day <= ${scope.to}::date
        GROUP BY 1
      )
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.created, 0)::bigint AS created,
        coalesce(c.resolved, 0)::bigint AS resolved
      FROM days d LEFT JOIN counts c USING (day) ORDER BY d.day`,
    histogramPercentiles(Prisma.sql`
      SELECT team AS cell, seconds, resolved AS n FROM "ExceptionResolveTime"
       WHERE "legalEntityId" = ANY(${entities}) AND day >= ${scope.from}::date AND day <= ${scope.to}::date`),
  ]);
  const openCount = new Map(open.map((o) => [`${o.team}|${o.bucket}`, Number(o.count)]));
  return {
    openByTeam: TEAMS.flatMap((team) =>
      AGE_BUCKETS.map((bucket) => ({ team, bucket, count: openCount.get(`${team}|${bucket}`) ?? 0 })),
    ),
    perDay: perDay.map((d) => ({ day: d.day, created: Number(d.created), resolved: Number(d.resolved) })),
    timeToResolve: TEAMS.map((team) => ({
      team,
      resolved: resolve.get(team)?.count ?? 0,
      medianSeconds: resolve.get(team)?.p50 ?? null,
    })),
  };
}
