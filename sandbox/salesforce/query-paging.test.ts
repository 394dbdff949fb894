import type { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rejection, startHarness } from '@/test/salesforce-emulator-harness';
import { createScratchDatabase } from '@/test/scratch-database';
import { bulkInsertSObjects } from './bulk-insert';
import { salesforceId, salesforceIdCounter } from './salesforce-id';
import { KEY_PREFIX } from './sobject-definitions';

type Row = Record<string, unknown> & { Id: string };

const PAGED = 5_000;
const LARGE = 50_000;

let harness: Harness;
let conn: Connection;

beforeAll(async () => {
  harness = await startHarness(await createScratchDatabase({ migrated: false }));
  conn = await harness.connect();
  await bulkInsertSObjects(
    harness.pool,
    'Account',
    Array.from({ length: PAGED }, (_, i) => ({
      Id: salesforceId(KEY_PREFIX.Account, i + 1),
      Name: `Paged Account ${String(i).padStart(5, '0')}`,
      Syncwright_Id__c: `page-${i}`,
      Legal_Entity__c: ['US', 'UK', 'DE'][i % 3] ?? 'US',
    })),
  );
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe('query paging', () => {
  it('pages a 5,000-record query to the end with query + queryMore, every record once', async () => {
    const soql = "SELECT Id, Name, Syncwright_Id__c FROM Account WHERE Syncwright_Id__c LIKE 'page-%' ORDER BY Name";
    const seen = new Map<string, number>();
    const names: string[] = [];
    let page = await conn.query<Row>(soql, { autoFetch: false });
    expect(page).toMatchObject({ totalSize: PAGED, done: false });
    expect(page.records).toHaveLength(2000);
    const locators: string[] = [];
    for (;;) {
      for (const record of page.records) {
        seen.set(record.Id, (seen.get(record.Id) ?? 0) + 1);
        names.push(String(record.Name));
      }
      if (page.done) break;
      // jsforce rebuilds the URL from the locator it took from the last path segment.
      expect(page.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w{15}-\d+$/);
      const locator = page.nextRecordsUrl?.split('/').pop() ?? '';
      locators.push(locator);
      page = await conn.queryMore<Row>(locator);
    }
    expect(locators.map((l) => l.split('-')[1])).toEqual(['2000', '4000']);
    expect(seen.size).toBe(PAGED);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(names).toEqual([...names].sort());
  });

  it('honours Sforce-Query-Options batchSize and autoFetch', async () => {
    const soql = "SELECT Id FROM Account WHERE Legal_Entity__c = 'UK'";
    const first = await conn.query<Row>(soql, {
      autoFetch: false,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(first.records).toHaveLength(500);
    const all = await conn.query<Row>(soql, {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(all.records).toHaveLength(Math.ceil((PAGED - 1) / 3));
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(all.records.length);
    const tiny = await conn.query<Row>(soql, { autoFetch: false, headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(tiny.records).toHaveLength(200); // Salesforce's minimum batch

    const raw = await fetch(`${conn.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=1000' },
    });
    const body = (await raw.json()) as { nextRecordsUrl: string; records: unknown[] };
    expect(body.records).toHaveLength(1000);
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w{15}-1000$/);
  });

  it('keeps cursors across a restart and refuses unknown locators', async () => {
    const first = await conn.query<Row>("SELECT Id FROM Account WHERE Syncwright_Id__c LIKE 'page-%' ORDER BY Id", {
      autoFetch: false,
    });
    const locator = first.nextRecordsUrl?.split('/').pop() ?? '';
    await harness.restart();
    const again = await harness.connect();
    const second = await again.queryMore<Row>(locator);
    expect(second.records[0]?.Id).toBe(salesforceId(KEY_PREFIX.Account, 2001));
    const error = await rejection(again.queryMore('01g000000000000AAA-2000'));
    expect(error.errorCode).toBe('INVALID_QUERY_LOCATOR');
    conn = again;
  });
});

describe('bulk-loaded volumes', () => {
  it('loads 50,000 opportunities and pages filtered, joined queries over them', async () => {
    const base = Date.UTC(2026, 0, 1);
    await bulkInsertSObjects(
      harness.pool,
      'Opportunity',
      Array.from({ length: LARGE }, (_, i) => ({
        Id: salesforceId(KEY_PREFIX.Opportunity, i + 1),
        Name: `Volume Deal ${i}`,
        AccountId: salesforceId(KEY_PREFIX.Account, (i % PAGED) + 1),
        StageName: i % 10 === 0 ? 'Closed Won' : 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: `${1000 + (i % 97)}.25`,
        SystemModstamp: new Date(base + i * 60_000).toISOString(),
      })),
    );
    const count = await conn.query('SELECT COUNT() FROM Opportunity WHERE IsWon = true');
    expect(count.totalSize).toBe(LARGE / 10);

    // An incremental pull: everything modified after a watermark, oldest first, with the parent.
    const watermark = new Date(base + 30_000 * 60_000 - 1000).toISOString().replace('.000Z', 'Z');
    const pulled = await conn.query<Row>(
      `SELECT Id, SystemModstamp, Account.Legal_Entity__c FROM Opportunity WHERE SystemModstamp > ${watermark} ORDER BY SystemModstamp`,
      { autoFetch: true, maxFetch: LARGE },
    );
    expect(pulled.totalSize).toBe(LARGE - 30_000);
    expect(pulled.records).toHaveLength(LARGE - 30_000);
    expect(pulled.records[0]?.Id).toBe(salesforceId(KEY_PREFIX.Opportunity, 30_001));
    expect(pulled.records.at(-1)?.Id).toBe(salesforceId(KEY_PREFIX.Opportunity, LARGE));
    expect(pulled.records[0]?.Account).toMatchObject({ Legal_Entity__c: ['US', 'UK', 'DE'][(30_000 % PAGED) % 3] });

    // Ids the API generates stay clear of the loaded ones.
    const created = await conn
      .sobject('Opportunity')
      .create({ Name: 'After load', StageName: 'Prospecting', CloseDate: '2026-06-30' });
    expect(salesforceIdCounter(created.id as string)).toBeGreaterThan(LARGE);
  }, 120_000);

  it('derives calculated fields and defaults system fields on load', async () => {
    const now = new Date('2026-02-01T08:00:00.456Z');
    const changeOrder = salesforceId(KEY_PREFIX.ChangeOrder__c, 1);
    await bulkInsertSObjects(
      harness.pool,
      'ChangeOrder__c',
      [
        {
          Id: changeOrder,
          Opportunity__c: salesforceId(KEY_PREFIX.Opportunity, 1),
          Amount__c: '12.5',
          Status__c: 'Submitted',
        },
      ],
      { now },
    );
    const record = await conn.sobject('ChangeOrder__c').retrieve(changeOrder);
    expect(record).toMatchObject({
      Name: expect.stringMatching(/^CO-\d{6}$/),
      Amount__c: 12.5,
      CurrencyIsoCode: null,
      CreatedDate: '2026-02-01T08:00:00.000+0000',
      SystemModstamp: '2026-02-01T08:00:00.000+0000',
      CreatedById: expect.stringMatching(/^005/),
    });
    await expect(
      bulkInsertSObjects(harness.pool, 'Account', [{ Id: salesforceId(KEY_PREFIX.Account, 1), Name: 'Clash' }]),
    ).rejects.toThrow(/clashes with existing records/);
    await expect(
      bulkInsertSObjects(harness.pool, 'Account', [{ Id: salesforceId(KEY_PREFIX.Account, 99_999), Nope: 1 }]),
    ).rejects.toThrow(/no field Nope/);
    await expect(
      bulkInsertSObjects(harness.pool, 'Account', [
        { Id: salesforceId(KEY_PREFIX.Account, 99_998), Industry: 'Retail' },
      ]),
    ).rejects.toThrow(/required fields are missing: \[Name\]/);
  });
});
