import { db } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';

/** What Syncwright sent to billing for one line before this batch. */
export interface LineHistory {
  /** The item as last delivered: its id, its draft and the content hash it was delivered with. */
  delivered: { item: string; draft: string; contentHash: string } | null;
  /** The latest attempt whose answer never came (a run cut short, a refused write). */
  tried: { draft: string; contentHash: string; since: Date } | null;
  /** Every draft the line was sent to: the ERP's "billed on" may name only one of these. */
  drafts: Set<string>;
}

/** The invoice-item history of these canonical records, in one query. */
export async function lineHistories(routine: RoutineName, canonicalIds: readonly string[]) {
  const histories = new Map<string, LineHistory>();
  if (canonicalIds.length === 0) return histories;
  const rows = await db().delivery.findMany({
    where: {
      routine,
      targetType: 'invoiceitem',
      canonicalId: { in: [...new Set(canonicalIds)] },
      parentId: { not: null },
    },
    select: {
      canonicalId: true,
      contentHash: true,
      parentId: true,
      status: true,
      targetId: true,
      createdAt: true,
      deliveredAt: true,
    },
    orderBy: { createdAt: 'asc' },
  });
  const deliveredAt = new Map<string, number>();
  for (const row of rows) {
    const history = histories.get(row.canonicalId) ?? { delivered: null, tried: null, drafts: new Set<string>() };
    const draft = row.parentId!;
    history.drafts.add(draft);
    if (row.status === 'delivered' && row.targetId) {
      // The last delivered is the item as it stands.
      const at = row.deliveredAt?.getTime() ?? 0;
      if (at >= (deliveredAt.get(row.canonicalId) ?? -1)) {
        deliveredAt.set(row.canonicalId, at);
        history.delivered = { item: row.targetId, draft, contentHash: row.contentHash };
      }
    } else {
      // Rows come oldest first: the last pending is the latest attempt.
      history.tried = { draft, contentHash: row.contentHash, since: row.createdAt };
    }
    histories.set(row.canonicalId, history);
  }
  return histories;
}

/** How many lines Syncwright put on a draft (an item corrected in place counts once). */
export async function linesOnDraft(draft: string): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT "canonicalId")::int AS n FROM "Delivery" WHERE "parentId" = ${draft} AND "targetType" = 'invoiceitem'`;
  return row?.n ?? 0;
}
