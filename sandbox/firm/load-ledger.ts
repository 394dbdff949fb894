import type pg from 'pg';

/**
 * What the sandbox has loaded into this database: one row in `<schema>.firm_load`, written when a
 * load starts and completed when it ends, so a restart neither loads the firm twice nor mistakes
 * a half-finished load for a finished one.
 */
export const DEFAULT_META_SCHEMA = 'sandbox_meta';

export interface FirmLoadRecord {
  seed: number;
  scale: number;
  asOf: string;
  status: 'loading' | 'loaded';
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number> | null;
  manifest: unknown;
}

export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`invalid schema name: ${schema}`);
  return `"${schema}"`;
}

export async function ensureMetaSchema(pool: pg.Pool, schema = DEFAULT_META_SCHEMA): Promise<void> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sandbox-meta-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.firm_load (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seed bigint NOT NULL,
        scale integer NOT NULL,
        as_of date NOT NULL,
        status text NOT NULL CHECK (status IN ('loading', 'loaded')),
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        counts jsonb,
        manifest jsonb
      )`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function readFirmLoad(
  db: Pick<pg.Pool, 'query'>,
  schema = DEFAULT_META_SCHEMA,
): Promise<FirmLoadRecord | null> {
  const { rows } = await db.query<{
    seed: string;
    scale: number;
    as_of: string;
    status: 'loading' | 'loaded';
    started_at: Date;
    finished_at: Date | null;
    counts: Record<string, number> | null;
    manifest: unknown;
  }>(
    `SELECT seed, scale, to_char(as_of, 'YYYY-MM-DD') AS as_of, status, started_at, finished_at, counts, manifest
       FROM ${quoteSchema(schema)}.firm_load`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    seed: Number(row.seed),
    scale: row.scale,
    asOf: row.as_of,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    counts: row.counts,
    manifest: row.manifest,
  };
}

export async function recordLoadStarted(
  db: Pick<pg.Pool, 'query'>,
  schema: string,
  load: { seed: number; scale: number; asOf: string; manifest: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteSchema(schema)}.firm_load (seed, scale, as_of, status, manifest) VALUES ($1, $2, $3, 'loading', $4)`,
    [load.seed, load.scale, load.asOf, JSON.stringify(load.manifest)],
  );
}

export async function recordLoadFinished(
  db: Pick<pg.Pool, 'query'>,
  schema: string,
  counts: Record<string, number>,
): Promise<void> {
  await db.query(`UPDATE ${quoteSchema(schema)}.firm_load SET status = 'loaded', finished_at = now(), counts = $1`, [
    JSON.stringify(counts),
  ]);
}

/** Forgets an interrupted load, so that it can be run again. */
export async function clearFirmLoad(db: Pick<pg.Pool, 'query'>, schema: string): Promise<void> {
  await db.query(`DELETE FROM ${quoteSchema(schema)}.firm_load WHERE status = 'loading'`);
}
