import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { entityIds } from './scoped-dashboard';

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
 * TARGET_REJECTED exception with the target's code. Counted per week first held, in the range,
 * from the InvoiceRejectionDay rollup the exception trigger keeps.
 */
export async function invoiceRejections(options: { scope: DashboardScope }): Promise<RejectionCount[]> {
  const { scope } = options;
  const rows = await db().$queryRaw<(Omit<RejectionCount, 'count'> & { count: bigint })[]>`
    SELECT to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD') AS week, "legalEntityId", reason,
      sum(rejections)::bigint AS count
    FROM "InvoiceRejectionDay"
    WHERE "legalEntityId" = ANY(${entityIds(scope)}) AND day >= ${scope.from}::date AND day <= ${scope.to}::date
    GROUP BY 1, 2, 3 HAVING sum(rejections) <> 0 ORDER BY 1, 2, 3`;
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
