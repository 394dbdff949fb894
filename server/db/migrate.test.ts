import { mkdirSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError, MIGRATIONS_DIR } from './migrate';
import { createScratchDatabase } from '@/test/scratch-database';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function scratch() {
  const database = await createScratchDatabase({ migrated: false });
  cleanups.push(database.drop);
  return database.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function migrationsCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migration runner', () => {
  it('applies every migration once and is idempotent', async () => {
    const url = await scratch();
    const first = await migrate(url);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toEqual([]);

    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      url,
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('applies each migration once when two runners start together', async () => {
    const url = await scratch();
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    const appliedByBoth = [...a.applied, ...b.applied].sort();
    expect(appliedByBoth).toEqual([...new Set(appliedByBoth)]);
    const rows = await query<{ count: string }>(url, 'SELECT count(*) FROM "_prisma_migrations"');
    expect(Number(rows[0]!.count)).toBe(appliedByBoth.length);
  });

  it('rolls a failing migration back whole and names it in the error', async () => {
    const url = await scratch();
    const dir = migrationsCopy();
    const bad = path.join(dir, '99990101000000_broken');
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, 'migration.sql'),
      'CREATE TABLE "HalfDone" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;',
    );

    const error = await migrate(url, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toContain('99990101000000_broken');
    expect((error as MigrationError).message).toContain('NoSuchTable');

    const halfDone = await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'HalfDone'`);
    expect(halfDone).toHaveLength(0);
    const recorded = await query(
      url,
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
    );
    expect(recorded).toHaveLength(0);
    // The migrations before it stay applied, and a fixed file then applies cleanly.
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "HalfDone" (id int);');
    const retry = await migrate(url, dir);
    expect(retry.applied).toEqual(['99990101000000_broken']);
  });

  it('refuses to go on when an applied migration was edited', async () => {
    const url = await scratch();
    const dir = migrationsCopy();
    await migrate(url, dir);
    const [firstName] = (await migrate(url, dir)).alreadyApplied;
    writeFileSync(path.join(dir, firstName!, 'migration.sql'), '-- edited\nSELECT 1;');
    await expect(migrate(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });
});
