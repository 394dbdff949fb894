import { db } from '@/server/db/client';

/** A call to the connection's service that answered (or not), as "Test connection" saw it. */
export type HealthObservation =
  { ok: true; at: Date; rateLimit?: { used: number; limit: number } | null } | { ok: false; at: Date; error: string };

export async function recordConnectionHealth(connectionId: string, seen: HealthObservation): Promise<void> {
  const data = seen.ok
    ? {
        lastSuccessAt: seen.at,
        ...(seen.rateLimit ? { rateLimitUsed: seen.rateLimit.used, rateLimitLimit: seen.rateLimit.limit } : {}),
      }
    : { lastErrorAt: seen.at, lastError: seen.error };
  await db().connectionHealth.upsert({ where: { connectionId }, create: { connectionId, ...data }, update: data });
}
