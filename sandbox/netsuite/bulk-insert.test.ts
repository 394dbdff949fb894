import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMinimalAccountData } from '@/test/netsuite-minimal-account-data';
import { createScratchDatabase } from '@/test/scratch-database';
import { bulkInsertRecords } from './bulk-insert';
import { type NetSuiteEmulator, startNetSuiteEmulator } from './netsuite-emulator';
import { signedFetch, suiteqlFetch } from './oauth-signed-fetch';

const TIME_ENTRIES = 100_000;

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: NetSuiteEmulator;

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  emulator = await startNetSuiteEmulator({ pool, schema: 'ns_bulk' });
  await loadMinimalAccountData(pool, { schema: 'ns_bulk' });
});

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

describe('bulk loading', () => {
  it(`loads ${TIME_ENTRIES} time entries that SuiteQL pages through`, { timeout: 120_000 }, async () => {
    const start = Date.UTC(2026, 0, 1);
    const ref = { id: '1' };
    const records = Array.from({ length: TIME_ENTRIES }, (_, i) => ({
      id: i + 1,
      externalId: `TE-${i + 1}`,
      fields: {
        employee: ref,
        customer: ref,
        subsidiary: ref,
        tranDate: new Date(start + (i % 90) * 86_400_000),
        hours: (i % 16) / 2 + 0.25,
        rate: '175.00',
        isBillable: true,
        approvalStatus: { id: '2' },
        // Spread over time so watermark paging has something to order.
        lastModifiedDate: new Date(start + i * 1000),
      },
    }));
    await bulkInsertRecords(pool, 'timebill', records, { schema: 'ns_bulk' });

    const seen = new Uint8Array(TIME_ENTRIES + 1);
    let offset = 0;
    let previous = '';
    for (;;) {
      const response = await suiteqlFetch(
        emulator,
        "SELECT id, hours, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM timebill WHERE lastmodifieddate >= TO_DATE('2026-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id",
        1000,
        offset,
      );
      expect(response.status).toBe(200);
      const page = await response.json();
      expect(page.totalResults).toBe(TIME_ENTRIES);
      for (const item of page.items) {
        const id = Number(item.id);
        expect(seen[id]).toBe(0);
        seen[id] = 1;
        expect(item.modified >= previous).toBe(true);
        previous = item.modified;
      }
      if (!page.hasMore) break;
      offset += 1000;
    }
    expect(seen.slice(1).every((flag) => flag === 1)).toBe(true);
    expect(offset).toBe(TIME_ENTRIES - 1000);

    const one = await (await signedFetch(emulator, 'GET', '/services/rest/record/v1/timebill/eid:TE-3')).json();
    expect(one).toMatchObject({
      id: '3',
      hours: 1.25,
      rate: 175,
      tranDate: '2026-01-03',
      approvalStatus: { id: '2', refName: 'Approved' },
    });
    expect(one.lastModifiedDate).toBe('2026-01-01T00:00:02Z');

    // The emulator's own creates continue after the loaded ids.
    const created = await signedFetch(emulator, 'POST', '/services/rest/record/v1/timebill', {
      body: { employee: ref, customer: ref, subsidiary: ref, tranDate: '2026-03-31', hours: 1 },
    });
    expect(created.headers.get('location')).toMatch(new RegExp(`/timebill/${TIME_ENTRIES + 1}$`));
  });

  it('refuses fields the record type does not have', async () => {
    await expect(
      bulkInsertRecords(pool, 'customer', [{ id: 99, fields: { shoeSize: 9 } }], { schema: 'ns_bulk' }),
    ).rejects.toThrow('customer has no field shoeSize');
  });
});
