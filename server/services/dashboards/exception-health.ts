import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { OPEN_STATUSES } from './dashboard-settings';
import { endOfRange, entityIds, startOfRange } from './scoped-dashboard';

export const AGE_BUCKETS = ['under 1 day', '1–7 days', '8–30 days', 'over 30 days'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface ExceptionHealth {
  openByTeam: { team: string; bucket: AgeBucket; count: number }[];
  perDay: { day: string; created: number; resolved: number }[];
  /** Median first seen → resolved, of those resolved in the range; null when none were. */
  timeToResolve: { team: string; resolved: number; medianSeconds: number | null }[];
}

const TEAMS = ['finance', 'operations', 'integration'] as const;

export async function exceptionHealth(options: { scope: DashboardScope; now: Date }): Promise<ExceptionHealth> {
  const { scope, now } = options;
  const entities = entityIds(scope);
  const from = startOfRange(scope);
  const to = endOfRange(scope);
  const day = 86_400_000;
  const [open, perDay, resolve] = await Promise.all([
    db().$queryRaw<{ team: string; bucket: AgeBucket; count: bigint }[]>`
      SELECT team::text, CASE
          WHEN "firstSeenAt" > ${new Date(now.getTime() - day)} THEN ${AGE_BUCKETS[0]}
          WHEN "firstSeenAt" > ${new Date(now.getTime() - 7 * day)} THEN ${AGE_BUCKETS[1]}
          WHEN "firstSeenAt" > ${new Date(now.getTime() - 30 * day)} THEN ${AGE_BUCKETS[2]}
          ELSE ${AGE_BUCKETS[3]} END AS bucket, count(*) AS count
      FROM "SyncException"
      WHERE status::text IN (${Prisma.join([...OPEN_STATUSES])}) AND "legalEntityId" = ANY(${entities})
        AND "firstSeenAt" <= ${now}
      GROUP BY 1, 2`,
    db().$queryRaw<{ day: string; created: bigint; resolved: bigint }[]>`
      WITH days AS (
        SELECT d::date AS day FROM generate_series(${scope.from}::date, ${scope.to}::date, interval '1 day') d
      ), created AS (
        SELECT ("firstSeenAt" AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM "SyncException"
        WHERE "legalEntityId" = ANY(${entities}) AND "firstSeenAt" >= ${from} AND "firstSeenAt" < ${to} GROUP BY 1
      ), resolved AS (
        SELECT ("resolvedAt" AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM "SyncException"
        WHERE status = 'resolved' AND "legalEntityId" = ANY(${entities})
          AND "resolvedAt" >= ${from} AND "resolvedAt" < ${to} GROUP BY 1
      )
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS created, coalesce(r.n, 0) AS resolved
      FROM days d LEFT JOIN created c USING (day) LEFT JOIN resolved r USING (day) ORDER BY d.day`,
    db().$queryRaw<{ team: string; resolved: bigint; median: number | null }[]>`
      SELECT team::text, count(*) AS resolved,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "resolvedAt" - "firstSeenAt")))::int AS median
      FROM "SyncException"
      WHERE status = 'resolved' AND "legalEntityId" = ANY(${entities})
        AND "resolvedAt" >= ${from} AND "resolvedAt" < ${to}
      GROUP BY 1`,
  ]);
  const openCount = new Map(open.map((o) => [`${o.team}|${o.bucket}`, Number(o.count)]));
  const resolveOf = new Map(resolve.map((r) => [r.team, r]));
  return {
    openByTeam: TEAMS.flatMap((team) =>
      AGE_BUCKETS.map((bucket) => ({ team, bucket, count: openCount.get(`${team}|${bucket}`) ?? 0 })),
    ),
    perDay: perDay.map((d) => ({ day: d.day, created: Number(d.created), resolved: Number(d.resolved) })),
    timeToResolve: TEAMS.map((team) => ({
      team,
      resolved: Number(resolveOf.get(team)?.resolved ?? 0),
      medianSeconds: resolveOf.get(team)?.median ?? null,
    })),
  };
}
