import { db } from '@/server/db/client';
import { latestAppliedMigration } from '@/server/db/migrate';
import { logger } from '@/server/logger';

export async function checkHealth() {
  const started = performance.now();
  try {
    const migration = await latestAppliedMigration((sql) => db().$queryRawUnsafe<{ migration_name: string }[]>(sql));
    return {
      status: 'ok' as const,
      database: { reachable: true, latencyMs: Math.round(performance.now() - started), error: null },
      migration,
      time: new Date(),
    };
  } catch (err) {
    logger.error({ err }, 'health check: database unreachable');
    return {
      status: 'degraded' as const,
      database: {
        reachable: false,
        latencyMs: null,
        error: err instanceof Error ? err.message.split('\n')[0]! : 'unreachable',
      },
      migration: null,
      time: new Date(),
    };
  }
}
