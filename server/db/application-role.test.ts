import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installJobQueue } from '@/server/jobs/install-job-queue';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { APPLICATION_ROLE, startInstanceDatabase, type InstanceDatabase } from './database-url';
import { migrate } from './migrate';

// The embedded database as `npm start` makes it: its own cluster, the two roles, the grants.
let database: InstanceDatabase;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'syncwright-roles-'));
  database = await startInstanceDatabase({ dataDir, persistent: false });
  await prepareDatabase(database);
}, 120_000);
afterAll(async () => {
  await database?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function as<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with, or 'ok'. */
const outcome = (client: pg.Client, sql: string) =>
  client.query(sql).then(
    () => 'ok',
    (err: { code?: string }) => err.code,
  );

const PERMISSION_DENIED = '42501';

const appendRow = `INSERT INTO "AuditEvent" ("occurredAt", action, "prevHash", hash)
  VALUES (now(), 'test.appended', 'genesis', md5(random()::text)) RETURNING id`;

describe('the application role', () => {
  it('is neither the owner of the tables nor a superuser', async () => {
    const role = await as(database.url, async (client) => {
      const { rows } = await client.query<{ name: string; superuser: boolean }>(
        'SELECT current_user AS name, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      );
      return rows[0]!;
    });
    expect(role).toEqual({ name: APPLICATION_ROLE, superuser: false });
    const owner = await as(database.ownerUrl, (client) =>
      client.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'AuditEvent'`),
    );
    expect(owner.rows[0]!.owner).not.toBe(APPLICATION_ROLE);
  });

  it('may read and append to the audit log, and not change it or switch off its trigger', async () => {
    await as(database.url, async (client) => {
      const { rows } = await client.query<{ id: string }>(appendRow);
      const id = rows[0]!.id;
      expect((await client.query(`SELECT action FROM "AuditEvent" WHERE id = ${id}`)).rows).toEqual([
        { action: 'test.appended' },
      ]);
      expect(await outcome(client, `UPDATE "AuditEvent" SET action = 'test.rewritten' WHERE id = ${id}`)).toBe(
        PERMISSION_DENIED,
      );
      expect(await outcome(client, `DELETE FROM "AuditEvent" WHERE id = ${id}`)).toBe(PERMISSION_DENIED);
      expect(await outcome(client, 'TRUNCATE "AuditEvent"')).toBe(PERMISSION_DENIED);
      expect(await outcome(client, 'ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL')).toBe(PERMISSION_DENIED);
      expect(await outcome(client, 'DROP TRIGGER audit_event_no_update_delete ON "AuditEvent"')).toBe(
        PERMISSION_DENIED,
      );
      expect(await outcome(client, 'DROP TABLE "AuditEvent"')).toBe(PERMISSION_DENIED);
      expect((await client.query(`SELECT action FROM "AuditEvent" WHERE id = ${id}`)).rows).toEqual([
        { action: 'test.appended' },
      ]);
    });
  });

  it('may not rewrite the migration history or create tables', async () => {
    await as(database.url, async (client) => {
      expect((await client.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).rows[0].n).toBeGreaterThan(0);
      expect(await outcome(client, `DELETE FROM "_prisma_migrations"`)).toBe(PERMISSION_DENIED);
      expect(await outcome(client, 'CREATE TABLE planted (id int)')).toBe(PERMISSION_DENIED);
    });
  });

  it('reads and writes the console tables and queues jobs', async () => {
    await as(database.url, async (client) => {
      await client.query(
        `INSERT INTO "LegalEntity" (id, name, country, currency, "taxRegime") VALUES ('ROLE-TEST', 'Role test', 'GB', 'GBP', 'VAT')`,
      );
      await client.query(`UPDATE "LegalEntity" SET name = 'Role test renamed' WHERE id = 'ROLE-TEST'`);
      await client.query(`DELETE FROM "LegalEntity" WHERE id = 'ROLE-TEST'`);
      const job = await client.query(`SELECT id FROM graphile_worker.add_job('role.test', '{}'::json)`);
      expect(job.rowCount).toBe(1);
    });
  });

  it('finds nothing to apply where the owner has migrated, as the worker `npm start` runs does', async () => {
    expect((await migrate(database.url)).applied).toEqual([]);
    await expect(installJobQueue(database.url)).resolves.toBeUndefined();
  });
});

describe('an external database set up as the README says', () => {
  it('migrates as the owner and connects as the application role', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const [owner, app, name] = [`firm_owner_${suffix}`, `firm_app_${suffix}`, `firm_${suffix}`];
    await as(database.ownerUrl, async (client) => {
      await client.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'owner-pw'`);
      await client.query(`CREATE ROLE ${app} LOGIN PASSWORD 'app-pw'`);
      await client.query(`CREATE DATABASE ${name} OWNER ${owner}`);
    });
    const at = (role: string, password: string) => {
      const url = new URL(database.ownerUrl);
      Object.assign(url, { username: role, password, pathname: `/${name}` });
      return url.toString();
    };
    const firm = { url: at(app, 'app-pw'), ownerUrl: at(owner, 'owner-pw') };
    expect((await prepareDatabase(firm)).applied.length).toBeGreaterThan(0);
    await as(firm.url, async (client) => {
      expect(await outcome(client, appendRow)).toBe('ok');
      expect(await outcome(client, 'ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL')).toBe(PERMISSION_DENIED);
      expect(await outcome(client, `UPDATE "AuditEvent" SET action = 'test.rewritten'`)).toBe(PERMISSION_DENIED);
      expect(await outcome(client, `SELECT graphile_worker.add_job('role.test', '{}'::json)`)).toBe('ok');
    });
  }, 60_000);
});
