import { Connection } from 'jsforce';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertSObjects } from '@/sandbox/salesforce/bulk-insert';
import { type SalesforceEmulator, startSalesforceEmulator } from '@/sandbox/salesforce/salesforce-emulator';
import { salesforceId } from '@/sandbox/salesforce/salesforce-id';
import { KEY_PREFIX } from '@/sandbox/salesforce/sobject-definitions';
import type { PulledRecord } from '@/server/connectors/connector';
import { failure } from '@/test/expect-connector-failure';
import { startRecordingProxy } from '@/test/recording-proxy';
import { requestToken } from '@/test/salesforce-emulator-harness';
import { createScratchDatabase } from '@/test/scratch-database';
import { encodePullCursor, toSecondIso } from './pull-query';
import { createSalesforceConnector, type SalesforceConnector } from './salesforce-connector';

const OPPORTUNITIES = 5_000;
/** The first 3,000 opportunities share one SystemModstamp second; the rest come 7 to a second. */
const SHARED_SECOND = 3_000;
const T0 = Date.UTC(2020, 0, 10, 9, 0, 0);
/** More significant digits than a binary float keeps: 98765432109876.54 reads back as …76.55. */
const LARGE_AMOUNT = '98765432109876.54';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: SalesforceEmulator;

const accountId = (n: number) => salesforceId(KEY_PREFIX.Account, n);
/** Ids run against time, so id order and insertion order differ from (SystemModstamp, Id) order. */
const opportunityId = (i: number) => salesforceId(KEY_PREFIX.Opportunity, OPPORTUNITIES - i);
const modstampOf = (i: number) =>
  new Date(i < SHARED_SECOND ? T0 : T0 + 1000 * (1 + Math.floor((i - SHARED_SECOND) / 7)));

const seedIndex = new Map(Array.from({ length: OPPORTUNITIES }, (_, i) => [opportunityId(i), i]));

/** Every seeded opportunity in the order a pull must return them. */
const expectedOrder = Array.from({ length: OPPORTUNITIES }, (_, i) => ({
  id: opportunityId(i),
  at: modstampOf(i).getTime(),
}))
  .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  .map((entry) => entry.id);

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  emulator = await startSalesforceEmulator({ pool, port: 0 });
  await bulkInsertSObjects(pool, 'Account', [
    {
      Id: accountId(1),
      Name: 'Northwind Consulting',
      Legal_Entity__c: 'US',
      Tax_Registration__c: '12-3456789',
      SystemModstamp: new Date(T0),
    },
    {
      Id: accountId(2),
      Name: 'Fabrikam GmbH',
      Legal_Entity__c: 'DE',
      Tax_Registration__c: 'DE123456789',
      SystemModstamp: new Date(T0 + 5000),
    },
    { Id: accountId(3), Name: 'Contoso Ltd', Legal_Entity__c: 'UK', SystemModstamp: new Date(T0 + 5000) },
  ]);
  await bulkInsertSObjects(
    pool,
    'Opportunity',
    Array.from({ length: OPPORTUNITIES }, (_, i) => ({
      Id: opportunityId(i),
      Name: `Pull Deal ${i}`,
      AccountId: accountId((i % 3) + 1),
      StageName: i % 4 === 0 ? 'Closed Won' : 'Prospecting',
      CloseDate: '2020-03-31',
      Amount: i === 0 ? LARGE_AMOUNT : `${1000 + (i % 97)}.25`,
      CurrencyIsoCode: 'USD',
      SystemModstamp: modstampOf(i),
    })),
  );
  await bulkInsertSObjects(pool, 'OpportunityLineItem', [
    {
      Id: salesforceId(KEY_PREFIX.OpportunityLineItem, 1),
      OpportunityId: opportunityId(0),
      Quantity: '12.5',
      UnitPrice: '180.00',
      Role__c: 'Senior Consultant',
      SystemModstamp: new Date(T0),
    },
  ]);
  await bulkInsertSObjects(pool, 'ChangeOrder__c', [
    {
      Id: salesforceId(KEY_PREFIX.ChangeOrder__c, 1),
      Opportunity__c: opportunityId(0),
      Amount__c: '2500.00',
      Status__c: 'Submitted',
      SystemModstamp: new Date(T0),
    },
  ]);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

function connect(instanceUrl = emulator.baseUrl): SalesforceConnector {
  return createSalesforceConnector({ instanceUrl, apiVersion: emulator.apiVersion, credentials: emulator.credentials });
}

/** Waits until the seconds written in so far have closed and the settling second has passed. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3500));

async function jsforceConnection(): Promise<Connection> {
  return new Connection({
    instanceUrl: emulator.baseUrl,
    accessToken: await requestToken(emulator),
    version: emulator.apiVersion,
  });
}

async function pullAll(connector: SalesforceConnector, objectType: string, cursor: string | null, limit: number) {
  const pages: { records: PulledRecord[]; nextCursor: string | null; hasMore: boolean }[] = [];
  let next = cursor;
  for (;;) {
    const page = await connector.pull(objectType, next, limit);
    pages.push(page);
    next = page.nextCursor;
    if (!page.hasMore) return { pages, cursor: next };
  }
}

/** Where a full pull from the start ended; the last test continues from it. */
let savedCursor: string | null = null;

describe('Salesforce connector: pull', () => {
  it('pulls 5,000 opportunities in pages of 2,000, each once and in (SystemModstamp, Id) order', async () => {
    const connector = connect();
    const { pages, cursor } = await pullAll(connector, 'Opportunity', null, 2000);
    expect(pages.map((p) => p.records.length)).toEqual([2000, 2000, 1000]);
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    const ids = pages.flatMap((p) => p.records.map((r) => r.externalId));
    expect(new Set(ids).size).toBe(OPPORTUNITIES);
    expect(ids).toEqual(expectedOrder);
    // The first page ends inside the second that 3,000 records share; the next starts after it.
    expect(pages[0]?.nextCursor).toBe(`2020-01-10T09:00:00Z_${expectedOrder[1999]}`);
    expect(pages[1]?.records[0]?.changedAt).toBe('2020-01-10T09:00:00.000Z');
    expect(pages[1]?.records[0]?.externalId).toBe(expectedOrder[2000]);
    savedCursor = cursor;
  });

  it('follows nextRecordsUrl with queryMore when a pull asks for more than one batch', async () => {
    const connector = connect();
    await connector.pull('Opportunity', null, 1);
    const before = connector.apiUsage()?.used ?? 0;
    const first = await connector.pull('Opportunity', null, 4500);
    // One query and two queryMore calls: 2,000 + 2,000 + 500 (and the one that tells more follow).
    expect((connector.apiUsage()?.used ?? 0) - before).toBe(3);
    expect(first.records).toHaveLength(4500);
    expect(first.hasMore).toBe(true);
    const rest = await connector.pull('Opportunity', first.nextCursor, 4500);
    expect(rest.hasMore).toBe(false);
    expect([...first.records, ...rest.records].map((r) => r.externalId)).toEqual(expectedOrder);
  });

  it('returns the routine fields with the account, numbers as exact decimal strings, without attributes', async () => {
    const connector = connect();
    const { records } = await connector.pull('Opportunity', null, 1);
    const [deal] = records;
    expect(deal).toMatchObject({
      objectType: 'Opportunity',
      externalId: expectedOrder[0],
      changedAt: '2020-01-10T09:00:00.000Z',
    });
    expect(deal?.data).toMatchObject({
      Id: expectedOrder[0],
      CloseDate: '2020-03-31',
      CurrencyIsoCode: 'USD',
      Syncwright_Id__c: null,
      SystemModstamp: '2020-01-10T09:00:00.000+0000',
      Account: { Name: expect.any(String), Legal_Entity__c: expect.stringMatching(/^(US|UK|DE)$/) },
    });
    expect(Object.keys(deal?.data ?? {})).toEqual(
      expect.arrayContaining([
        'Probability',
        'IsWon',
        'Billing_Model__c',
        'ERP_Project_Id__c',
        'Last_Invoice_Status__c',
      ]),
    );
    expect(deal?.data).not.toHaveProperty('attributes');
    expect(deal?.data.Account).not.toHaveProperty('attributes');

    // A binary float cannot hold this amount; it must arrive digit for digit.
    expect(String(Number(LARGE_AMOUNT))).not.toBe(LARGE_AMOUNT);
    const pulled = (await pullAll(connector, 'Opportunity', null, 2000)).pages
      .flatMap((p) => p.records)
      .find((r) => r.externalId === opportunityId(0));
    expect(pulled?.data).toMatchObject({
      Amount: LARGE_AMOUNT,
      Probability: '100',
      IsWon: true,
      Account: { Name: 'Northwind Consulting', Legal_Entity__c: 'US', Tax_Registration__c: '12-3456789' },
    });
    expect((await connector.get('Opportunity', opportunityId(0)))?.Amount).toBe(LARGE_AMOUNT);
  });

  it('reads records again by id as a pull gives them, with their parent fields, leaving out ids it lacks', async () => {
    const connector = connect();
    const pulled = (await pullAll(connector, 'Opportunity', null, 2000)).pages
      .flatMap((p) => p.records)
      .filter((r, i) => i < 450 || r.externalId === opportunityId(0));
    const missing = salesforceId(KEY_PREFIX.Opportunity, OPPORTUNITIES + 10);
    const current = await connector.readCurrent('Opportunity', [
      ...pulled.map((r) => r.externalId),
      missing,
      "x' OR Name != '",
    ]);
    expect(new Map(current.map((r) => [r.externalId, r]))).toEqual(new Map(pulled.map((r) => [r.externalId, r])));
    expect(current.find((r) => r.externalId === opportunityId(0))?.data).toMatchObject({
      Amount: LARGE_AMOUNT,
      Account: { Name: 'Northwind Consulting', Tax_Registration__c: '12-3456789' },
    });
    expect(await connector.readCurrent('Opportunity', [])).toEqual([]);
  });

  it('pulls accounts, line items and change orders with their fields', async () => {
    const connector = connect();
    const accounts = await connector.pull('Account', null, 10);
    // Northwind is older; the other two share a second and come in id order.
    expect(accounts.records.map((r) => r.data.Name)).toEqual(['Northwind Consulting', 'Fabrikam GmbH', 'Contoso Ltd']);
    expect(accounts.records[1]?.data).toMatchObject({ Legal_Entity__c: 'DE', Tax_Registration__c: 'DE123456789' });
    expect(accounts.hasMore).toBe(false);

    const lines = await connector.pull('OpportunityLineItem', null, 10);
    expect(lines.records).toHaveLength(1);
    expect(lines.records[0]?.data).toMatchObject({
      OpportunityId: opportunityId(0),
      Quantity: '12.5',
      UnitPrice: '180',
      TotalPrice: '2250',
      Role__c: 'Senior Consultant',
    });

    const changeOrders = await connector.pull('ChangeOrder__c', null, 10);
    expect(changeOrders.records[0]?.data).toMatchObject({
      Name: expect.stringMatching(/^CO-\d{6}$/),
      Opportunity__c: opportunityId(0),
      Amount__c: '2500',
      Status__c: 'Submitted',
      Opportunity__r: { ERP_Project_Id__c: null, Legal_Entity__c: null },
    });
  });

  it('applies equality filters in the query, and reports filters on fields the org lacks as config', async () => {
    const connector = connect();
    const german = await connector.pull('Account', null, 10, { Legal_Entity__c: 'DE' });
    expect(german.records.map((r) => r.data.Name)).toEqual(['Fabrikam GmbH']);
    expect(german.hasMore).toBe(false);
    // A quote in the value stays inside the literal.
    expect((await connector.pull('Account', null, 10, { Name: "O'Brien & Partners" })).records).toEqual([]);
    expect(await failure(connector.pull('Account', null, 10, { Region__c: 'EMEA' }))).toMatchObject({
      class: 'config',
      code: 'INVALID_FIELD',
      status: 400,
    });
    expect(await failure(connector.pull('Account', null, 10, { 'Name OR Id': 'x' }))).toMatchObject({
      class: 'config',
      code: 'INVALID_FILTER',
    });
  });

  it('refuses an object type it does not know, and a cursor it did not make, as config', async () => {
    const connector = connect();
    await expect(connector.pull('Lead', null, 10)).rejects.toMatchObject({
      classified: { class: 'config', code: 'UNKNOWN_OBJECT_TYPE' },
    });
    await expect(connector.pull('Opportunity', 'yesterday', 10)).rejects.toMatchObject({
      classified: { class: 'config', code: 'INVALID_CURSOR' },
    });
    await expect(connector.pull('Opportunity', "2020-01-10T09:00:00Z_006' OR Name != '", 10)).rejects.toMatchObject({
      classified: { class: 'config', code: 'INVALID_CURSOR' },
    });
  });

  it('keeps its place when a record it is paging past is saved again mid-pull', async () => {
    // The 4,000th record (second batch) is saved again after the query and before queryMore.
    const moved = expectedOrder[3999] as string;
    const conn = await jsforceConnection();
    const proxy = await startRecordingProxy(emulator.baseUrl, {
      beforeRelay: async (request, index) => {
        if (index === 0 && request.endsWith('/query'))
          await conn.sobject('Opportunity').update({ Id: moved, Cost_Center__c: 'CC-MOVED' });
      },
    });
    try {
      const connector = connect(proxy.url);
      const first = await connector.pull('Opportunity', null, 4000);
      expect(proxy.requests).toEqual([
        'GET /services/data/v62.0/query',
        expect.stringMatching(/^GET \/services\/data\/v62\.0\/query\/01g\w{15}-2000$/),
      ]);
      // It is not returned at its old place, and the cursor does not jump to its new stamp.
      expect(first.records.map((r) => r.externalId)).toEqual(expectedOrder.slice(0, 3999));
      expect(first.nextCursor).toBe(`${toSecondIso(first.records.at(-1)?.changedAt ?? '')}_${expectedOrder[3998]}`);
      expect(first.hasMore).toBe(true);

      await settle();
      const { pages } = await pullAll(connector, 'Opportunity', first.nextCursor, 2000);
      const rest = pages.flatMap((p) => p.records);
      // Everything after it, then the record itself at its new place: nothing lost, nothing twice.
      expect(rest.map((r) => r.externalId)).toEqual([...expectedOrder.slice(4000), moved]);
      expect(rest.at(-1)?.data.Cost_Center__c).toBe('CC-MOVED');
    } finally {
      await proxy.close();
      // Put it back where the remaining tests expect it.
      await pool.query(
        `UPDATE sandbox_salesforce.opportunity SET "SystemModstamp" = $1, "Cost_Center__c" = NULL WHERE "Id" = $2`,
        [modstampOf(seedIndex.get(moved) ?? -1), moved],
      );
    }
  });

  it('returns from the saved cursor exactly the records changed since, oldest first', async () => {
    expect(savedCursor).not.toBeNull();
    const connector = connect();
    const conn = await jsforceConnection();
    const changed = [expectedOrder[10], expectedOrder[2500], expectedOrder[4999]] as string[];
    for (const id of changed) await conn.sobject('Opportunity').update({ Id: id, Project_Status__c: 'Active' });
    // A pull reads only seconds that have closed on the org's clock.
    await settle();

    const again = await connector.pull('Opportunity', savedCursor, 2000);
    expect(again.hasMore).toBe(false);
    expect(again.records.map((r) => r.externalId).sort()).toEqual([...changed].sort());
    const order = again.records.map((r) => `${r.changedAt}|${r.externalId}`);
    expect(order).toEqual([...order].sort());
    expect(again.records.every((r) => r.data.Project_Status__c === 'Active')).toBe(true);
    expect(Date.parse(again.records[0]?.changedAt ?? '')).toBeGreaterThan(T0 + 3_600_000);

    // Nothing else changed: nothing comes back and the cursor stays where it was.
    const idle = await connector.pull('Opportunity', again.nextCursor, 2000);
    expect(idle).toEqual({ records: [], nextCursor: again.nextCursor, hasMore: false });
  });

  it('reads only seconds that have closed on the org’s clock', async () => {
    const now = Date.now();
    await bulkInsertSObjects(pool, 'Account', [
      { Id: accountId(10), Name: 'Saved a minute ago', Legal_Entity__c: 'UK', SystemModstamp: new Date(now - 60_000) },
      { Id: accountId(11), Name: 'Stamped ahead', Legal_Entity__c: 'UK', SystemModstamp: new Date(now + 3_600_000) },
    ]);
    const connector = connect();
    const { records, hasMore } = await connector.pull('Account', null, 10, { Legal_Entity__c: 'UK' });
    expect(records.map((r) => r.data.Name)).toEqual(['Contoso Ltd', 'Saved a minute ago']);
    expect(hasMore).toBe(false);
    // Reference data is read as it is now, the open second included.
    const current = await connector.pull('Account', null, 10, { Legal_Entity__c: 'UK' }, { includeUnsettled: true });
    expect(current.records.map((r) => r.data.Name)).toEqual(['Contoso Ltd', 'Saved a minute ago', 'Stamped ahead']);
  });

  it('restarts a read at a moment, and tells how far a cursor has read', async () => {
    const connector = connect();
    // The 3,000 opportunities of the shared second come first, then seven to a second.
    const saved = encodePullCursor({ modstamp: '2021-01-01T00:00:00Z', id: opportunityId(0) });
    const page = await connector.pull('Opportunity', connector.rewind('Opportunity', saved, new Date(T0 + 2_000)), 7);
    expect(page.records.map((r) => r.externalId)).toEqual(expectedOrder.slice(3_007, 3_014));
    expect(connector.cursorTime('Opportunity', page.nextCursor!)).toEqual(new Date(T0 + 2_000));
    const within = await connector.pull('Opportunity', connector.rewind('Opportunity', saved, new Date(T0 + 2_999)), 1);
    expect(within.records.map((r) => r.externalId)).toEqual(expectedOrder.slice(3_007, 3_008));
  });
});
