import type pg from 'pg';
import { schemaIdentifier } from './salesforce-schema';

/**
 * The org's daily API request allowance (DailyApiRequests), counted per UTC day in the database
 * so it survives restarts and is shared by every emulator process on the same schema.
 */
export class ApiBudget {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    readonly limit: number,
  ) {}

  private get table(): string {
    return `${schemaIdentifier(this.schema)}.api_usage`;
  }

  /** Counts one call; `allowed` is false once the day's allowance is spent (that call is not counted). */
  async consume(): Promise<{ allowed: boolean; used: number }> {
    const result = await this.pool.query(
      `INSERT INTO ${this.table} AS u (day, used)
       SELECT (now() AT TIME ZONE 'UTC')::date, 1 WHERE $1::int >= 1
       ON CONFLICT (day) DO UPDATE SET used = u.used + 1 WHERE u.used < $1::int
       RETURNING used`,
      [this.limit],
    );
    const row = result.rows[0] as { used: number } | undefined;
    if (row) return { allowed: true, used: row.used };
    return { allowed: false, used: await this.used() };
  }

  async used(): Promise<number> {
    const result = await this.pool.query(`SELECT used FROM ${this.table} WHERE day = (now() AT TIME ZONE 'UTC')::date`);
    return (result.rows[0] as { used: number } | undefined)?.used ?? 0;
  }

  /** Starts the day's count again (control API). */
  async reset(): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE day = (now() AT TIME ZONE 'UTC')::date`);
  }
}
