import type { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rejection, startHarness } from '@/test/salesforce-emulator-harness';
import { createScratchDatabase } from '@/test/scratch-database';
import { bulkInsertSObjects } from './bulk-insert';
import { salesforceId } from './salesforce-id';
import { KEY_PREFIX } from './sobject-definitions';

type Row = Record<string, unknown> & { Id: string };

let harness: Harness;
let conn: Connection;

beforeAll(async () => {
  harness = await startHarness(await createScratchDatabase({ migrated: false }));
  conn = await harness.connect();
});

afterAll(async () => {
  await harness?.stop();
});

describe('OAuth and sessions', () => {
  it('issues client-credentials tokens shaped like Salesforce', async () => {
    const response = await fetch(harness.emulator.credentials.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: harness.emulator.credentials.clientId,
        client_secret: harness.emulator.credentials.clientSecret,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: harness.emulator.baseUrl, scope: 'api' });
    expect(body.id).toMatch(new RegExp(`^${harness.emulator.baseUrl}/id/00D\\w{15}/005\\w{15}$`));
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.access_token).toMatch(/^00D\w{12}!/);
    expect(body.signature).toBeTruthy();
  });

  it('answers a bad client with invalid_client', async () => {
    const response = await fetch(harness.emulator.credentials.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: harness.emulator.credentials.clientId,
        client_secret: 'wrong',
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('answers 401 INVALID_SESSION_ID to a bad bearer token', async () => {
    const { Connection: JsforceConnection } = await import('jsforce');
    const bad = new JsforceConnection({
      instanceUrl: harness.emulator.baseUrl,
      accessToken: 'not-a-token',
      version: '62.0',
    });
    const error = await rejection(bad.query('SELECT Id FROM Account'));
    expect(error.errorCode).toBe('INVALID_SESSION_ID');
    expect(error.message).toBe('Session expired or invalid');

    const raw = await fetch(`${harness.emulator.baseUrl}/services/data/v62.0/limits`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('sObject records', () => {
  it('creates, retrieves and updates a record, keeping system dates', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Acme Analytics', BillingCountry: 'United States', CurrencyIsoCode: 'usd' });
    expect(created).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    const id = created.id as string;

    const record = await conn.sobject('Account').retrieve(id);
    expect(record).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
      Id: id,
      Name: 'Acme Analytics',
      CurrencyIsoCode: 'USD',
      IsDeleted: false,
      Industry: null,
    });
    expect(record.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    expect(record.SystemModstamp).toBe(record.LastModifiedDate);

    const updated = await conn.sobject('Account').update({ Id: id, Industry: 'Consulting' });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const again = await conn.sobject('Account').retrieve(id, { fields: ['Industry', 'CreatedDate'] });
    expect(again).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
      Industry: 'Consulting',
      CreatedDate: record.CreatedDate,
    });
    // The 15-character form of an id reaches the same record.
    const short = await conn.sobject('Account').retrieve(id.slice(0, 15), { fields: ['Name'] });
    expect(short.Name).toBe('Acme Analytics');
  });

  it('refuses a create without required fields with REQUIRED_FIELD_MISSING and the fields', async () => {
    const error = await rejection(conn.sobject('Opportunity').create({ Amount: 100 }));
    expect(error.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(error.message).toBe('Required fields are missing: [Name, StageName, CloseDate]');
    expect(error.data).toMatchObject({ fields: ['Name', 'StageName', 'CloseDate'] });
  });

  it('reports the other documented validation errors', async () => {
    const unknown = await rejection(conn.sobject('Account').create({ Name: 'X', Foo__c: 1 }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toBe("No such column 'Foo__c' on sobject of type Account");

    const picklist = await rejection(
      conn
        .sobject('Opportunity')
        .create({ Name: 'X', StageName: 'Prospecting', CloseDate: '2026-03-31', Billing_Model__c: 'hourly' }),
    );
    expect(picklist.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

    const badReference = await rejection(
      conn
        .sobject('Opportunity')
        .create({ Name: 'X', StageName: 'Prospecting', CloseDate: '2026-03-31', AccountId: 'nope' }),
    );
    expect(badReference.errorCode).toBe('MALFORMED_ID');
    expect(badReference.data).toMatchObject({ fields: ['AccountId'] });

    const rule = await rejection(
      conn
        .sobject('ChangeOrder__c')
        .create({ Opportunity__c: await anOpportunity(), Status__c: 'Approved', Amount__c: '100.00' }),
    );
    expect(rule.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(rule.data).toMatchObject({ fields: ['Approved_Date__c'] });

    const readOnly = await rejection(conn.sobject('Opportunity').update({ Id: await anOpportunity(), IsWon: true }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const missing = await rejection(conn.sobject('Account').retrieve(salesforceId(KEY_PREFIX.Account, 999_999_999)));
    expect(missing.errorCode).toBe('NOT_FOUND');

    const malformed = await rejection(conn.sobject('Account').update({ Id: '001000000000000AAZ', Name: 'x' }));
    expect(malformed.errorCode).toBe('MALFORMED_ID');
  });

  it('answers DUPLICATE_VALUE when a unique external id is taken', async () => {
    const opportunity = {
      Name: 'Dup',
      StageName: 'Prospecting',
      CloseDate: '2026-03-31',
      ERP_Project_Id__c: 'JOB-DUP-1',
    };
    const first = await conn.sobject('Opportunity').create(opportunity);
    const error = await rejection(conn.sobject('Opportunity').create(opportunity));
    expect(error.errorCode).toBe('DUPLICATE_VALUE');
    expect(error.message).toContain(`duplicates value on record with id: ${first.id}`);
  });

  it('derives IsClosed, IsWon, Probability and line totals, keeping decimals exact', async () => {
    const id = await anOpportunity({ StageName: 'Closed Won', Amount: '1234567890123.45' });
    const won = await conn
      .sobject('Opportunity')
      .retrieve(id, { fields: ['IsClosed', 'IsWon', 'Probability', 'Amount'] });
    expect(won).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100 });
    const rawAmount = await fetch(`${conn.instanceUrl}/services/data/v62.0/sobjects/Opportunity/${id}?fields=Amount`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(await rawAmount.text()).toContain('"Amount":1234567890123.45');

    const line = await conn
      .sobject('OpportunityLineItem')
      .create({ OpportunityId: id, Quantity: 3, UnitPrice: '0.10', Name: 'Analyst' });
    const stored = await conn.sobject('OpportunityLineItem').retrieve(line.id as string, { fields: ['TotalPrice'] });
    expect(stored.TotalPrice).toBe(0.3);
  });

  it('upserts by external id: creates once, then updates the same record', async () => {
    const first = await conn
      .sobject('Account')
      .upsert({ Syncwright_Id__c: 'sw-cust-1', Name: 'Initech' }, 'Syncwright_Id__c');
    expect(first).toMatchObject({ success: true, created: true, errors: [] });
    const second = await conn
      .sobject('Account')
      .upsert({ Syncwright_Id__c: 'sw-cust-1', Name: 'Initech GmbH' }, 'Syncwright_Id__c');
    expect(second).toMatchObject({ id: (first as { id: string }).id, success: true, created: false });
    const rows = await conn.query<Row>("SELECT Id, Name FROM Account WHERE Syncwright_Id__c = 'SW-CUST-1'");
    expect(rows.records).toEqual([expect.objectContaining({ Id: (first as { id: string }).id, Name: 'Initech GmbH' })]);

    const notExternal = await rejection(conn.sobject('Account').upsert({ Name: 'x' }, 'Name'));
    expect(notExternal.errorCode).toBe('NOT_FOUND');
  });

  it('answers 300 when an external id matches several records', async () => {
    await bulkInsertSObjects(harness.pool, 'Account', [
      { Id: salesforceId(KEY_PREFIX.Account, 900_001), Name: 'Twin A', Syncwright_Id__c: 'twin' },
      { Id: salesforceId(KEY_PREFIX.Account, 900_002), Name: 'Twin B', Syncwright_Id__c: 'twin' },
    ]);
    const error = await rejection(
      conn.sobject('Account').upsert({ Syncwright_Id__c: 'twin', Name: 'x' }, 'Syncwright_Id__c'),
    );
    expect(error.errorCode).toBe('MULTIPLE_CHOICES');
    expect(error.data).toEqual([
      `/services/data/v62.0/sobjects/Account/${salesforceId(KEY_PREFIX.Account, 900_001)}`,
      `/services/data/v62.0/sobjects/Account/${salesforceId(KEY_PREFIX.Account, 900_002)}`,
    ]);
  });

  it('deletes softly: query no longer sees the record, queryAll does', async () => {
    const id = (await conn.sobject('Account').create({ Name: 'Short-lived' })).id as string;
    expect(await conn.sobject('Account').destroy(id)).toEqual({ id, success: true, errors: [] });
    expect((await conn.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).toBe(0);
    const all = await conn.query<Row>(`SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    expect((await rejection(conn.sobject('Account').destroy(id))).errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('describes objects with their fields', async () => {
    const describe = await conn.sobject('Opportunity').describe();
    expect(describe).toMatchObject({ name: 'Opportunity', keyPrefix: '006', custom: false });
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    expect(byName.get('Syncwright_Id__c')).toMatchObject({
      type: 'string',
      externalId: true,
      updateable: true,
      nillable: true,
    });
    expect(byName.get('IsWon')).toMatchObject({ type: 'boolean', updateable: false, createable: false });
    expect(byName.get('AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
    });
    expect(byName.get('Name')).toMatchObject({ nillable: false });
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual([
      'Account',
      'Opportunity',
      'OpportunityLineItem',
      'ChangeOrder__c',
    ]);
  });
});

describe('sObject Collections', () => {
  it('rolls every record back under allOrNone when one fails', async () => {
    const results = await conn
      .sobject('Account')
      .create(
        [
          { Name: 'Rollback One', Syncwright_Id__c: 'rb-1' },
          { Industry: 'Retail' },
          { Name: 'Rollback Three', Syncwright_Id__c: 'rb-3' },
        ],
        { allOrNone: true },
      );
    expect(results).toEqual([
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', fields: [] })],
      },
      {
        success: false,
        errors: [
          { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] },
        ],
      },
      { success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
    ]);
    const left = await conn.query("SELECT COUNT() FROM Account WHERE Syncwright_Id__c IN ('rb-1', 'rb-3')");
    expect(left.totalSize).toBe(0);
  });

  it('keeps the valid records without allOrNone', async () => {
    const results = await conn
      .sobject('Account')
      .create([{ Name: 'Partial One', Syncwright_Id__c: 'pt-1' }, { Industry: 'Retail' }]);
    expect(results[0]).toMatchObject({ success: true, id: expect.stringMatching(/^001/) });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })],
    });
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Syncwright_Id__c = 'pt-1'")).totalSize).toBe(1);
  });

  it('updates and upserts collections', async () => {
    const [a, b] = await conn.sobject('Account').create([{ Name: 'Coll A' }, { Name: 'Coll B' }]);
    const updated = await conn.sobject('Account').update([
      { Id: a?.id as string, Industry: 'Energy' },
      { Id: b?.id as string, Name: '' },
    ]);
    expect(updated[0]).toEqual({ id: a?.id, success: true, errors: [] });
    expect(updated[1]).toMatchObject({
      id: b?.id,
      success: false,
      errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })],
    });

    const upserted = await conn.sobject('Account').upsert(
      [
        { Syncwright_Id__c: 'coll-up-1', Name: 'Up 1' },
        { Syncwright_Id__c: 'coll-up-1', Name: 'Up 1 again' },
      ],
      'Syncwright_Id__c',
    );
    expect(upserted).toEqual([
      { id: expect.any(String), success: true, errors: [], created: true },
      { id: (upserted as { id: string }[])[0]?.id, success: true, errors: [], created: false },
    ]);
  });

  it('retrieves and deletes collections', async () => {
    const [a, b] = await conn.sobject('Account').create([{ Name: 'Fetch A' }, { Name: 'Fetch B' }]);
    const missing = salesforceId(KEY_PREFIX.Account, 999_999_998);
    const fetched = await conn
      .sobject('Account')
      .retrieve([a?.id as string, missing, b?.id as string], { fields: ['Name'] });
    expect(fetched).toEqual([
      { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${a?.id}` }, Name: 'Fetch A' },
      null,
      expect.objectContaining({ Name: 'Fetch B' }),
    ]);
    const deleted = await conn.sobject('Account').destroy([a?.id as string, missing], { allOrNone: true });
    expect(deleted).toEqual([
      {
        id: a?.id,
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      },
      { id: missing, success: false, errors: [expect.objectContaining({ statusCode: 'NOT_FOUND' })] },
    ]);
    expect((await conn.query(`SELECT COUNT() FROM Account WHERE Id = '${a?.id}'`)).totalSize).toBe(1);
  });

  it('refuses more than 200 records', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Too many ${i}` }));
    const error = await rejection(conn.sobject('Account').create(records));
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('SOQL queries', () => {
  const accounts = [1, 2, 3].map((n) => salesforceId(KEY_PREFIX.Account, 800_000 + n));
  const opportunities = [1, 2, 3, 4, 5].map((n) => salesforceId(KEY_PREFIX.Opportunity, 800_000 + n));

  beforeAll(async () => {
    await bulkInsertSObjects(harness.pool, 'Account', [
      { Id: accounts[0] ?? '', Name: 'Query Alpha', Industry: 'Banking', Legal_Entity__c: 'US' },
      { Id: accounts[1] ?? '', Name: 'Query Beta', Industry: 'Retail', Legal_Entity__c: 'UK' },
      { Id: accounts[2] ?? '', Name: 'query gamma', Industry: null, Legal_Entity__c: 'DE' },
    ]);
    const opportunity = (i: number, fields: Record<string, unknown>) => ({
      Id: opportunities[i] ?? '',
      Name: `Query Deal ${i + 1}`,
      CloseDate: '2026-02-15',
      StageName: 'Prospecting',
      Practice__c: 'query-test',
      ...fields,
    });
    await bulkInsertSObjects(harness.pool, 'Opportunity', [
      opportunity(0, {
        AccountId: accounts[0],
        Amount: '1000.00',
        StageName: 'Closed Won',
        SystemModstamp: '2026-01-31T09:59:59Z',
      }),
      opportunity(1, { AccountId: accounts[0], Amount: '2500.50', SystemModstamp: '2026-01-31T10:00:00Z' }),
      opportunity(2, {
        AccountId: accounts[1],
        Amount: '300',
        SystemModstamp: '2026-01-31T10:00:01Z',
        CloseDate: '2026-01-31',
      }),
      opportunity(3, { AccountId: accounts[2], Amount: null, SystemModstamp: '2026-01-31T12:30:00+02:00' }),
      opportunity(4, { Amount: '50', StageName: 'Closed Lost', SystemModstamp: '2026-02-01T00:00:00Z' }),
    ]);
  });

  const ids = (records: Row[]) => records.map((r) => r.Id);

  it('filters with = != > IN NOT IN and parentheses, and orders', async () => {
    const byAmount = await conn.query<Row>(
      "SELECT Id, Amount FROM Opportunity WHERE Practice__c = 'query-test' AND (Amount > 400 OR StageName = 'closed lost') ORDER BY Amount DESC",
    );
    expect(ids(byAmount.records)).toEqual([opportunities[1], opportunities[0], opportunities[4]]);
    expect(byAmount.records.map((r) => r.Amount)).toEqual([2500.5, 1000, 50]);

    const inList = await conn.query<Row>(
      `SELECT Id FROM Opportunity WHERE AccountId IN ('${accounts[1]}', '${(accounts[2] ?? '').slice(0, 15)}') ORDER BY Name`,
    );
    expect(ids(inList.records)).toEqual([opportunities[2], opportunities[3]]);

    const notIn = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' AND StageName NOT IN ('Closed Won', 'Closed Lost') AND Amount != null ORDER BY Amount ASC",
    );
    expect(ids(notIn.records)).toEqual([opportunities[2], opportunities[1]]);

    const nullsLast = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' AND NOT (Amount >= 1000) ORDER BY Amount ASC NULLS LAST",
    );
    expect(ids(nullsLast.records)).toEqual([opportunities[4], opportunities[2], opportunities[3]]);

    const booleans = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' AND IsClosed = true ORDER BY Name",
    );
    expect(ids(booleans.records)).toEqual([opportunities[0], opportunities[4]]);

    const like = await conn.query<Row>("SELECT Id FROM Account WHERE Name LIKE 'query%' ORDER BY Name DESC");
    expect(ids(like.records)).toEqual([accounts[2], accounts[1], accounts[0]]);
  });

  it('compares datetimes and dates, with offsets', async () => {
    const after = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' AND SystemModstamp > 2026-01-31T10:00:00Z ORDER BY SystemModstamp",
    );
    // 12:30+02:00 is 10:30Z, after 10:00:01Z.
    expect(ids(after.records)).toEqual([opportunities[2], opportunities[3], opportunities[4]]);
    const atOrAfter = await conn.query<Row>(
      "SELECT Id, SystemModstamp FROM Opportunity WHERE Practice__c = 'query-test' AND SystemModstamp >= 2026-01-31T12:00:00+02:00 ORDER BY SystemModstamp LIMIT 2",
    );
    expect(atOrAfter.records.map((r) => r.SystemModstamp)).toEqual([
      '2026-01-31T10:00:00.000+0000',
      '2026-01-31T10:00:01.000+0000',
    ]);
    const onDate = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' AND CloseDate < 2026-02-15",
    );
    expect(ids(onDate.records)).toEqual([opportunities[2]]);
    const relative = await conn.query(
      "SELECT COUNT() FROM Opportunity WHERE Practice__c = 'query-test' AND CloseDate < LAST_N_DAYS:3650",
    );
    expect(relative.totalSize).toBe(0);
  });

  it('selects and filters through a parent relationship, rendered nested', async () => {
    const result = await conn.query<Row>(
      "SELECT Id, Name, Account.Name, Account.Industry FROM Opportunity WHERE Practice__c = 'query-test' AND (Account.Industry = 'banking' OR Account.Name = null) ORDER BY Account.Name NULLS FIRST, Name",
    );
    expect(result.records).toEqual([
      {
        attributes: { type: 'Opportunity', url: `/services/data/v62.0/sobjects/Opportunity/${opportunities[4]}` },
        Id: opportunities[4],
        Name: 'Query Deal 5',
        Account: null,
      },
      {
        attributes: { type: 'Opportunity', url: `/services/data/v62.0/sobjects/Opportunity/${opportunities[0]}` },
        Id: opportunities[0],
        Name: 'Query Deal 1',
        Account: {
          attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${accounts[0]}` },
          Name: 'Query Alpha',
          Industry: 'Banking',
        },
      },
      expect.objectContaining({ Id: opportunities[1], Account: expect.objectContaining({ Name: 'Query Alpha' }) }),
    ]);
  });

  it('answers COUNT(), LIMIT and OFFSET', async () => {
    const count = await conn.query("SELECT COUNT() FROM Opportunity WHERE Practice__c = 'query-test'");
    expect(count).toMatchObject({ totalSize: 5, done: true, records: [] });
    const page = await conn.query<Row>(
      "SELECT Id FROM Opportunity WHERE Practice__c = 'query-test' ORDER BY Name LIMIT 2 OFFSET 1",
    );
    expect(page.totalSize).toBe(2);
    expect(ids(page.records)).toEqual([opportunities[1], opportunities[2]]);
  });

  it('reports malformed queries, unknown fields and unknown objects as jsforce errors', async () => {
    const malformed = await rejection(conn.query('SELECT Id FROM Account WHERE Name = '));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const unknownField = await rejection(conn.query('SELECT Id, Nope__c FROM Account'));
    expect(unknownField.errorCode).toBe('INVALID_FIELD');
    expect(unknownField.message).toContain("No such column 'Nope__c' on entity 'Account'");
    const unknownObject = await rejection(conn.query('SELECT Id FROM Lead'));
    expect(unknownObject.errorCode).toBe('INVALID_TYPE');
  });
});

describe('limits and versions', () => {
  it('lists versions and reports the daily API usage', async () => {
    const versions = (await (await fetch(`${harness.emulator.baseUrl}/services/data/`)).json()) as {
      version: string;
      url: string;
    }[];
    expect(versions).toContainEqual(expect.objectContaining({ version: '62.0', url: '/services/data/v62.0' }));
    const limits = (await conn.request('/services/data/v62.0/limits')) as {
      DailyApiRequests: { Max: number; Remaining: number };
    };
    expect(limits.DailyApiRequests.Max).toBe(100_000);
    expect(conn.limitInfo.apiUsage?.limit).toBe(100_000);
    expect(limits.DailyApiRequests.Remaining).toBe(100_000 - (conn.limitInfo.apiUsage?.used ?? 0));
  });
});

async function anOpportunity(fields: Record<string, unknown> = {}): Promise<string> {
  const result = await conn
    .sobject('Opportunity')
    .create({ Name: 'Helper Deal', StageName: 'Prospecting', CloseDate: '2026-03-31', ...fields });
  return result.id as string;
}
