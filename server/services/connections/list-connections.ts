import { db } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import { maskCredentials } from './credential-fields';
import { decryptStoredCredentials } from './connections';

export interface ConnectionView {
  id: string;
  name: string;
  system: SystemName;
  baseUrl: string;
  enabled: boolean;
  legalEntityIds: string[];
  /** The routines that read from or write to this kind of system. */
  routines: { routine: RoutineName; label: string; reads: boolean }[];
  /** Masked, e.g. { secretKey: 'sk_…a1b2' }; null when the stored credentials no longer open. */
  credentials: Record<string, string> | null;
  health: {
    lastSuccessAt: Date | null;
    lastErrorAt: Date | null;
    lastError: string | null;
    rateLimit: { used: number; limit: number } | null;
  };
}

// Which systems each routine writes to (DESIGN.md, "Sync routines"); it reads from its source.
const ROUTINE_TARGETS: Record<RoutineName, SystemName[]> = {
  project_activation: ['netsuite'],
  billing_eligibility: ['stripe'],
  invoice_status: ['netsuite', 'salesforce'],
  change_orders: ['netsuite', 'stripe'],
};

/**
 * Every connection with its health: the newest of what "Test connection" saw and what runs
 * reading from it recorded (a run that succeeded called the service; a failed one says why).
 */
export async function listConnections(): Promise<ConnectionView[]> {
  const [connections, health, succeeded, failed] = await Promise.all([
    db().connection.findMany({ orderBy: { name: 'asc' } }),
    db().connectionHealth.findMany(),
    db().syncRun.groupBy({ by: ['connectionId'], where: { status: 'succeeded' }, _max: { finishedAt: true } }),
    db().$queryRaw<{ connectionId: string; finishedAt: Date; error: string | null }[]>`
      SELECT DISTINCT ON ("connectionId") "connectionId"::text AS "connectionId", "finishedAt", error
        FROM "SyncRun" WHERE status = 'failed' AND "finishedAt" IS NOT NULL
       ORDER BY "connectionId", "finishedAt" DESC`,
  ]);
  const tested = new Map(health.map((h) => [h.connectionId, h]));
  const lastRunOk = new Map(succeeded.map((r) => [r.connectionId, r._max.finishedAt]));
  const lastRunFailed = new Map(failed.map((r) => [r.connectionId, r]));
  return connections.map((c) => {
    const test = tested.get(c.id);
    const okTimes = [test?.lastSuccessAt, lastRunOk.get(c.id)].filter((d): d is Date => !!d);
    const runFailure = lastRunFailed.get(c.id);
    const useRunError = runFailure && (!test?.lastErrorAt || runFailure.finishedAt > test.lastErrorAt);
    let credentials: Record<string, string> | null;
    try {
      credentials = maskCredentials(c.system, decryptStoredCredentials(c));
    } catch {
      credentials = null;
    }
    return {
      id: c.id,
      name: c.name,
      system: c.system,
      baseUrl: c.baseUrl,
      enabled: c.enabled,
      legalEntityIds: c.legalEntityIds,
      routines: ROUTINES.filter(
        (r) => ROUTINE_FACTS[r].sourceSystem === c.system || ROUTINE_TARGETS[r].includes(c.system),
      ).map((r) => ({ routine: r, label: ROUTINE_FACTS[r].label, reads: ROUTINE_FACTS[r].sourceSystem === c.system })),
      credentials,
      health: {
        lastSuccessAt: okTimes.length ? new Date(Math.max(...okTimes.map((d) => d.getTime()))) : null,
        lastErrorAt: useRunError ? runFailure.finishedAt : (test?.lastErrorAt ?? null),
        lastError: useRunError ? runFailure.error : (test?.lastError ?? null),
        rateLimit:
          test?.rateLimitUsed != null && test.rateLimitLimit != null
            ? { used: test.rateLimitUsed, limit: test.rateLimitLimit }
            : null,
      },
    };
  });
}
