import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMinimalAccountData } from '@/test/netsuite-minimal-account-data';
import { createScratchDatabase } from '@/test/scratch-database';
import { startNetSuiteEmulator } from './netsuite-emulator';
import { signedFetch } from './oauth-signed-fetch';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
});

afterAll(async () => {
  await db?.drop();
});

describe('persistence', () => {
  it('keeps account, credentials and records across a restart on the same database', async () => {
    const firstPool = new pg.Pool({ connectionString: db.url, max: 4 });
    const first = await startNetSuiteEmulator({ pool: firstPool, schema: 'ns_restart' });
    await loadMinimalAccountData(firstPool, { schema: 'ns_restart' });
    const created = await signedFetch(first, 'POST', '/services/rest/record/v1/customer', {
      body: { companyName: 'Initech', externalId: 'ACC-INITECH', subsidiary: { id: '1' }, currency: { id: '1' } },
    });
    expect(created.status).toBe(204);
    const path = (created.headers.get('location') ?? '').slice(first.baseUrl.length);
    const before = await (await signedFetch(first, 'GET', path)).json();
    await first.close();
    await firstPool.end();

    const secondPool = new pg.Pool({ connectionString: db.url, max: 4 });
    const second = await startNetSuiteEmulator({ pool: secondPool, schema: 'ns_restart' });
    try {
      expect(second.accountId).toBe(first.accountId);
      expect(second.credentials).toEqual(first.credentials);
      expect(second.baseUrl).not.toBe(first.baseUrl); // a new free port; data follows the database
      const after = await (await signedFetch(second, 'GET', path)).json();
      expect(after).toMatchObject({
        id: before.id,
        externalId: 'ACC-INITECH',
        companyName: 'Initech',
        dateCreated: before.dateCreated,
        lastModifiedDate: before.lastModifiedDate,
      });
      const next = await signedFetch(second, 'POST', '/services/rest/record/v1/customer', {
        body: { companyName: 'Hooli', subsidiary: { id: '1' }, currency: { id: '1' } },
      });
      expect(next.headers.get('location')).toMatch(new RegExp(`/customer/${Number(before.id) + 1}$`));
    } finally {
      await second.close();
      await secondPool.end();
    }
  });
});
