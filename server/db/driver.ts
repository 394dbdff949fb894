import pg from 'pg';
import { env } from '@/env';

/**
 * The sync engine's hot statements (a batch's journal, the deliverer's pending keys) go straight
 * through the `pg` driver: the ORM's client costs about a millisecond of CPU per statement and
 * more per array element (a 500-row, 12-column statement about 15 ms, against 1.4 ms through
 * `pg`), and a run makes hundreds of them. Everything else keeps using `db()`.
 */

/**
 * The raw-SQL part of a Prisma transaction — `$queryRaw` and `$executeRaw` as tagged templates —
 * which a driver transaction offers too: code that only runs SQL takes either.
 */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

// PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back whole
// and may simply run again.
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;
// No statement of such a transaction runs longer (the ORM's transactions had a minute in all).
const STATEMENT_TIMEOUT = '60s';

const globalForDriver = globalThis as unknown as { syncwrightDriver?: { url: string; pool: pg.Pool } };

export function createDriverPool(connectionString: string): pg.Pool {
  // Idle connections never hold the process open (a script ends when its work does).
  const pool = new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true });
  // An idle connection the server ended leaves the pool; the next query opens another.
  pool.on('error', () => undefined);
  return pool;
}

/** The process-wide driver pool for DATABASE_URL, made again when DATABASE_URL changes (as `db()`). */
export function driverPool(): pg.Pool {
  const url = env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start Syncwright with `npm start`, or set DATABASE_URL.');
  const current = globalForDriver.syncwrightDriver;
  if (current?.url === url) return current.pool;
  if (current) void current.pool.end();
  const pool = createDriverPool(url);
  globalForDriver.syncwrightDriver = { url, pool };
  return pool;
}

/** Closes the process-wide driver pool, if one was opened (a worker shutting down). */
export async function endDriverPool(): Promise<void> {
  const current = globalForDriver.syncwrightDriver;
  globalForDriver.syncwrightDriver = undefined;
  await current?.pool.end();
}

/** A tagged template's text with `$1 … $n` for its values. */
function statement(strings: readonly string[]): string {
  return strings.reduce((text, part, i) => `${text}$${i}${part}`);
}

/** Tagged-template SQL on a pool or one connection, with `$queryRaw`'s and `$executeRaw`'s shapes. */
export function rawSql(client: pg.Pool | pg.ClientBase): RawSql {
  return {
    async $queryRaw<T>(query: TemplateStringsArray, ...values: unknown[]) {
      return (await client.query(statement(query), values)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray, ...values: unknown[]) {
      return (await client.query(statement(query), values)).rowCount ?? 0;
    },
  };
}

/**
 * A transaction on one of the pool's connections, run again when PostgreSQL ended it to break a
 * deadlock or a serialization conflict, up to five tries in all. `work` must depend only on what
 * it reads inside the transaction: a retry starts from nothing it wrote.
 */
export async function driverTransaction<T>(pool: pg.Pool, work: (sql: RawSql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN; SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'`);
      const result = await work(rawSql(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    } finally {
      // A connection that could not even roll back is closed rather than handed out again.
      client.release(broken);
    }
  }
}
