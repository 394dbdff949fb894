import type { Db, Tx } from './client';

// PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back whole
// and may simply run again.
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

/** The SQLSTATE of a failed query, as Prisma's driver adapter reports it; null for other errors. */
function sqlState(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const meta = (error as { meta?: Record<string, unknown> }).meta;
  const adapterCause = (meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  const code = adapterCause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * An interactive transaction that runs again when PostgreSQL ended it to break a deadlock or a
 * serialization conflict, up to five tries in all. `work` must depend only on what it reads
 * inside the transaction: a retry starts from nothing it wrote.
 */
export async function retriedTransaction<T>(
  client: Db,
  work: (tx: Tx) => Promise<T>,
  options: { timeout: number },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.$transaction(work, options);
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has(sqlState(error) ?? '')) throw error;
    }
  }
}
