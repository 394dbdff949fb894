import { db, type Db } from '@/server/db/client';
import { auditHash, GENESIS_HASH } from './append-audit-event';

export interface ChainVerification {
  intact: boolean;
  checked: number;
  /** The first row whose link or content does not match, when the chain is broken. */
  firstBroken: { id: string; reason: 'link' | 'content' } | null;
  headHash: string | null;
}

const BATCH = 2_000;

/** Walks the whole chain in id order and reports the first broken link. */
export async function verifyAuditChain(client: Db = db()): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let afterId: bigint | undefined;
  for (;;) {
    const rows = await client.auditEvent.findMany({
      where: afterId === undefined ? {} : { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    for (const row of rows) {
      const broken = (reason: 'link' | 'content'): ChainVerification => ({
        intact: false,
        checked,
        firstBroken: { id: row.id.toString(), reason },
        headHash: null,
      });
      if (row.prevHash !== prevHash) return broken('link');
      const expected = auditHash(prevHash, {
        occurredAt: row.occurredAt.toISOString(),
        actorId: row.actorId,
        actorEmail: row.actorEmail,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        before: row.before ?? null,
        after: row.after ?? null,
        requestId: row.requestId,
        ip: row.ip,
      });
      if (expected !== row.hash) return broken('content');
      prevHash = row.hash;
      checked += 1;
    }
    if (rows.length < BATCH) break;
    afterId = rows.at(-1)!.id;
  }
  return { intact: true, checked, firstBroken: null, headHash: checked ? prevHash : null };
}
