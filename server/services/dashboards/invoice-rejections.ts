import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { endOfRange, entityIds, startOfRange } from './scoped-dashboard';

export interface RejectionCount {
  /** Monday of the ISO week (UTC), YYYY-MM-DD. */
  week: string;
  legalEntityId: string;
  /** The target's own code for the rejection, or the exception's when the target gave none. */
  reason: string;
  count: number;
}

/**
 * Invoices and invoice items the billing target refused: the billing routine holds each as a
 * TARGET_REJECTED exception with the target's code. Counted per week first held, in the range.
 */
export async function invoiceRejections(options: { scope: DashboardScope }): Promise<RejectionCount[]> {
  const { scope } = options;
  const rows = await db().$queryRaw<(Omit<RejectionCount, 'count'> & { count: bigint })[]>`
    SELECT to_char(date_trunc('week', "firstSeenAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
      "legalEntityId", coalesce("targetCode", code) AS reason, count(*) AS count
    FROM "SyncException"
    WHERE routine = 'billing_eligibility' AND code = 'TARGET_REJECTED'
      AND "legalEntityId" = ANY(${entityIds(scope)})
      AND "firstSeenAt" >= ${startOfRange(scope)} AND "firstSeenAt" < ${endOfRange(scope)}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
