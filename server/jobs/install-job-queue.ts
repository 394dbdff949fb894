import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { logger } from '@/server/logger';
import { graphileLogger } from './graphile-tasks';

// Any constant works; it only has to be the same for every process of this project.
const JOB_QUEUE_INSTALL_LOCK = 727_410_003;

/**
 * Installs or upgrades graphile-worker's schema (`graphile_worker`) in the database. Several
 * processes may start at once (web start-up, workers, tests): a session lock makes them take
 * turns, so each migration runs once.
 */
export async function installJobQueue(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [JOB_QUEUE_INSTALL_LOCK]);
    await runMigrations({ connectionString, logger: graphileLogger(logger) });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [JOB_QUEUE_INSTALL_LOCK]).catch(() => {});
    await client.end();
  }
}
