import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMode, sandboxOn, setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/server/db/embedded-postgres';
import { createFirstAdmin } from '@/server/services/users/create-first-admin';
import { prepareInstance } from './prepare-instance';

// A second PostgreSQL server stands in for a firm's own database (DATABASE_URL).
let external: EmbeddedDatabase;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'syncwright-external-'));
  external = await startEmbeddedPostgres({ dataDir, database: 'firm', persistent: false });
  setRuntimeSetting('DATABASE_URL', external.url);
}, 120_000);
afterAll(async () => {
  await db().$disconnect();
  await external?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a start against an external database', () => {
  it('is not a demo unless asked for', () => {
    expect(demoMode({ DEMO: undefined, DATABASE_URL: external.url })).toBe(false);
    expect(sandboxOn({ DEMO: undefined, DATABASE_URL: external.url, SANDBOX: undefined })).toBe(false);
    expect(demoMode({ DEMO: 'on', DATABASE_URL: external.url })).toBe(true);
    expect(demoMode({ DEMO: undefined, DATABASE_URL: undefined })).toBe(true);
    expect(sandboxOn({ DEMO: 'off', DATABASE_URL: undefined, SANDBOX: 'on' })).toBe(true);
  });

  it('creates no demo user and no sandbox connection, and says how to create the first admin', async () => {
    const said: string[] = [];
    await prepareInstance({
      database: { url: external.url, ownerUrl: external.url },
      dataDir,
      demo: null,
      sandbox: null,
      consoleUrl: 'https://syncwright.firm.example',
      log: (line) => said.push(line),
    });
    expect(await db().user.count()).toBe(0);
    expect(await db().connection.count()).toBe(0);
    expect(await db().legalEntity.count()).toBeGreaterThan(0);
    expect(said.join('\n')).toContain('npm run admin:create');
  }, 60_000);

  it('creates the first admin once, with a one-time password, and refuses a second', async () => {
    const { password } = await createFirstAdmin({ email: 'controller@firm.example', name: 'Controller' });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const admin = await db().user.findUniqueOrThrow({ where: { email: 'controller@firm.example' } });
    expect(admin.role).toBe('admin');
    expect(admin.passwordHash).not.toContain(password);
    await expect(createFirstAdmin({ email: 'second@firm.example', name: 'Second' })).rejects.toThrow(
      /An admin exists already/,
    );
  });
});
