import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { isUuid } from '@/lib/uuid';

/**
 * The trace key behind what someone searched for: a trace key itself, an exception's id, or the
 * external id of any record the ledger saw, read or written, in any system.
 */
export async function resolveTraceKey(query: string): Promise<string> {
  const q = query.trim();
  if (!q) throw new AppError('BAD_REQUEST', 'Enter an external id, an exception id or a trace key.');
  const key = (await fromLedger(q)) ?? (isUuid(q) ? await fromExceptionOrKey(q) : null);
  if (!key) {
    throw new AppError(
      'NOT_FOUND',
      `Nothing Syncwright synced has the id “${q}”. Check the id, or look for the record in the exceptions queue.`,
    );
  }
  return key;
}

async function fromLedger(externalId: string): Promise<string | null> {
  const [row] = await db().$queryRaw<{ traceKey: string }[]>`
    SELECT "traceKey"::text AS "traceKey" FROM "LedgerEntry"
    WHERE ("sourceId" = ${externalId} OR "targetId" = ${externalId}) AND "traceKey" IS NOT NULL
    ORDER BY id DESC LIMIT 1`;
  return row?.traceKey ?? null;
}

async function fromExceptionOrKey(id: string): Promise<string | null> {
  const exception = await db().syncException.findUnique({
    where: { id },
    select: { correlationId: true, externalIds: true },
  });
  if (exception) {
    const row = await db().ledgerEntry.findFirst({
      where: { correlationId: exception.correlationId, traceKey: { not: null } },
      select: { traceKey: true },
    });
    if (row?.traceKey) return row.traceKey;
    // Held before records carried trace keys: the record's latest key, if it has been seen since.
    const [source] = exception.externalIds as { externalId?: string }[];
    return source?.externalId ? fromLedger(source.externalId) : null;
  }
  const keyed = await db().ledgerEntry.findFirst({ where: { traceKey: id }, select: { traceKey: true } });
  return keyed?.traceKey ?? null;
}
