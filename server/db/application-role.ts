import pg from 'pg';

/** The login name a connection string connects as. */
export function roleOf(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).username);
}

/**
 * What the application role may do, granted by the owner after each migration (so new tables are
 * covered): read and write the tables of the console and of the job queue — except the audit log,
 * which it may only read and append to, and the migration history, which it may only read. It owns
 * nothing, so it cannot alter a table, drop or disable the audit log's append-only trigger, or
 * truncate anything.
 */
export async function grantApplicationRole(ownerUrl: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const to = client.escapeIdentifier(role);
  try {
    await client.query('BEGIN');
    for (const schema of ['public', 'graphile_worker']) {
      await client.query(`
        GRANT USAGE ON SCHEMA ${schema} TO ${to};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${to};
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${to};
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${to};`);
    }
    // graphile-worker turns row security on for its tables, which hides every row from a role that
    // does not own them: the application role gets a policy that lets it see and queue all jobs.
    const { rows: secured } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'graphile_worker' AND c.relrowsecurity
          AND NOT EXISTS (SELECT 1 FROM pg_policies p
                           WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = $1)`,
      [policyName(role)],
    );
    for (const { name } of secured) {
      await client.query(
        `CREATE POLICY ${client.escapeIdentifier(policyName(role))} ON graphile_worker.${client.escapeIdentifier(name)}
           TO ${to} USING (true) WITH CHECK (true)`,
      );
    }
    await client.query(`
      REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${to};
      REVOKE UPDATE, DELETE, TRUNCATE ON "AuditEvent" FROM ${to};`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}

const policyName = (role: string) => `${role}_all_jobs`;
