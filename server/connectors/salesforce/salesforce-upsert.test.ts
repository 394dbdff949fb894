import Decimal from 'decimal.js';
import { Connection } from 'jsforce';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertSObjects } from '@/sandbox/salesforce/bulk-insert';
import { type SalesforceEmulator, startSalesforceEmulator } from '@/sandbox/salesforce/salesforce-emulator';
import { salesforceId } from '@/sandbox/salesforce/salesforce-id';
import { KEY_PREFIX } from '@/sandbox/salesforce/sobject-definitions';
import { ConnectorError } from '@/server/connectors/connector';
import { failure } from '@/test/expect-connector-failure';
import { requestToken } from '@/test/salesforce-emulator-harness';
import { createScratchDatabase } from '@/test/scratch-database';
import { createSalesforceConnector, type SalesforceConnectorOptions } from './salesforce-connector';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: SalesforceEmulator;

const crmOpportunity = salesforceId(KEY_PREFIX.Opportunity, 7001);
const twinKey = 'SW-ACCOUNT-TWIN';

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  emulator = await startSalesforceEmulator({ pool, port: 0 });
  await bulkInsertSObjects(pool, 'Account', [
    { Id: salesforceId(KEY_PREFIX.Account, 7001), Name: 'Twin One', Syncwright_Id__c: twinKey },
    { Id: salesforceId(KEY_PREFIX.Account, 7002), Name: 'Twin Two', Syncwright_Id__c: twinKey },
  ]);
  // A deal the sales team owns: Syncwright only writes project and invoice status back onto it.
  await bulkInsertSObjects(pool, 'Opportunity', [
    {
      Id: crmOpportunity,
      Name: 'Data platform rollout',
      StageName: 'Closed Won',
      CloseDate: '2026-10-31',
      Amount: '480000.00',
      Legal_Entity__c: 'UK',
    },
  ]);
}, 120_000);

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

function connect(overrides: Partial<SalesforceConnectorOptions> = {}) {
  return createSalesforceConnector({
    instanceUrl: emulator.baseUrl,
    apiVersion: emulator.apiVersion,
    credentials: emulator.credentials,
    ...overrides,
  });
}

describe('Salesforce connector: upsert and get', () => {
  it('creates a record by its key, then updates the same record', async () => {
    const connector = connect();
    const first = await connector.upsert(
      'Account',
      {
        key: 'SW-CUST-0042',
        fields: { Name: 'Initech', Legal_Entity__c: 'DE', Tax_Registration__c: 'DE811234567', CurrencyIsoCode: 'EUR' },
      },
      'idem-1',
    );
    expect(first).toEqual({ externalId: expect.stringMatching(/^001\w{15}$/), created: true });

    const second = await connector.upsert(
      'Account',
      { key: 'SW-CUST-0042', fields: { Name: 'Initech GmbH' } },
      'idem-2',
    );
    expect(second).toEqual({ externalId: first.externalId, created: false });
    // Repeating the same write (a replay) changes nothing and creates nothing.
    expect(
      await connector.upsert('Account', { key: 'SW-CUST-0042', fields: { Name: 'Initech GmbH' } }, 'idem-2'),
    ).toEqual(second);

    const stored = await connector.get('Account', first.externalId);
    expect(stored).toMatchObject({
      Id: first.externalId,
      Name: 'Initech GmbH',
      Syncwright_Id__c: 'SW-CUST-0042',
      Legal_Entity__c: 'DE',
      CurrencyIsoCode: 'EUR',
    });
    expect(stored).not.toHaveProperty('attributes');
    const count = await pool.query(
      `SELECT count(*)::int AS n FROM sandbox_salesforce.account WHERE "Syncwright_Id__c" = 'SW-CUST-0042'`,
    );
    expect(count.rows[0]).toEqual({ n: 1 });
  });

  it('sends decimals exactly and keeps keys with URL characters intact', async () => {
    const connector = connect();
    const account = await connector.upsert(
      'Account',
      { key: 'SW/acct 7?x=1#frag', fields: { Name: 'Odd Key Ltd' } },
      'idem-3',
    );
    expect(account.created).toBe(true);
    expect(await connector.get('Account', account.externalId)).toMatchObject({
      Syncwright_Id__c: 'SW/acct 7?x=1#frag',
    });

    const order = await connector.upsert(
      'ChangeOrder__c',
      {
        key: 'SW-CO-1',
        fields: {
          Opportunity__c: crmOpportunity,
          Amount__c: new Decimal('12345678901234.57'),
          Status__c: 'Approved',
          Approved_Date__c: '2026-11-20',
        },
      },
      'idem-4',
    );
    const stored = await connector.get('ChangeOrder__c', order.externalId);
    expect(stored).toMatchObject({
      Amount__c: '12345678901234.57',
      Status__c: 'Approved',
      Approved_Date__c: '2026-11-20',
    });
  });

  it('writes back onto an existing opportunity by its id', async () => {
    const connector = connect();
    const result = await connector.upsert(
      'Opportunity',
      {
        key: 'SW-ENG-0001',
        targetId: crmOpportunity,
        fields: { Project_Status__c: 'Active', ERP_Project_Id__c: 'JOB-5001', Last_Invoice_Status__c: 'paid' },
      },
      'idem-5',
    );
    expect(result).toEqual({ externalId: crmOpportunity, created: false });
    const stored = await connector.get('Opportunity', crmOpportunity);
    expect(stored).toMatchObject({
      Name: 'Data platform rollout',
      Amount: '480000',
      Project_Status__c: 'Active',
      ERP_Project_Id__c: 'JOB-5001',
      Last_Invoice_Status__c: 'paid',
      // The CRM's record keeps its identity: no key of ours is stamped on it.
      Syncwright_Id__c: null,
    });
    const deals = await pool.query(`SELECT count(*)::int AS n FROM sandbox_salesforce.opportunity`);
    expect(deals.rows[0]).toEqual({ n: 1 });
  });

  it('answers null for a record that does not exist', async () => {
    const connector = connect();
    expect(await connector.get('Opportunity', salesforceId(KEY_PREFIX.Opportunity, 999_999))).toBeNull();
    expect(await connector.get('Account', crmOpportunity)).toBeNull();
    expect(await connector.get('Account', '')).toBeNull();
  });

  it('reports a missing required field as business, with the code and the first field', async () => {
    const connector = connect();
    const error = await failure(
      connector.upsert('Opportunity', { key: 'SW-ENG-0002', fields: { Amount: '100.00' } }, 'idem-6'),
    );
    expect(error).toEqual({
      class: 'business',
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name, StageName, CloseDate]',
      status: 400,
      field: 'Name',
    });
  });

  it('reports the other refusals of a record as business with the target’s code', async () => {
    const connector = connect();
    const tooLong = await failure(
      connector.upsert('Account', { key: 'SW-LONG', fields: { Name: 'x'.repeat(256) } }, 'idem-7'),
    );
    expect(tooLong).toMatchObject({ class: 'business', code: 'STRING_TOO_LONG', field: 'Name', status: 400 });

    const picklist = await failure(
      connector.upsert(
        'Opportunity',
        { key: 'SW-PICK', targetId: crmOpportunity, fields: { Billing_Model__c: 'hourly' } },
        'idem-8',
      ),
    );
    expect(picklist).toMatchObject({
      class: 'business',
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      field: 'Billing_Model__c',
    });

    const unknownField = await failure(
      connector.upsert('Account', { key: 'SW-FIELD', fields: { Name: 'X', Nope__c: 1 } }, 'idem-9'),
    );
    expect(unknownField).toMatchObject({
      class: 'business',
      code: 'INVALID_FIELD',
      message: "No such column 'Nope__c' on sobject of type Account",
    });

    const rule = await failure(
      connector.upsert(
        'ChangeOrder__c',
        { key: 'SW-CO-2', fields: { Opportunity__c: crmOpportunity, Status__c: 'Approved' } },
        'idem-10',
      ),
    );
    expect(rule).toMatchObject({
      class: 'business',
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      field: 'Approved_Date__c',
    });

    await connector.upsert(
      'Opportunity',
      {
        key: 'SW-ENG-DUP',
        fields: { Name: 'Other', StageName: 'Prospecting', CloseDate: '2026-12-31', ERP_Project_Id__c: 'JOB-DUP' },
      },
      'idem-11',
    );
    const duplicate = await failure(
      connector.upsert(
        'Opportunity',
        { key: 'SW-X', targetId: crmOpportunity, fields: { ERP_Project_Id__c: 'JOB-DUP' } },
        'idem-12',
      ),
    );
    expect(duplicate).toMatchObject({ class: 'business', code: 'DUPLICATE_VALUE', field: 'ERP_Project_Id__c' });

    const malformed = await failure(
      connector.upsert(
        'Opportunity',
        { key: 'SW-X', targetId: '006000000000000AAZ', fields: { Name: 'x' } },
        'idem-13',
      ),
    );
    expect(malformed).toMatchObject({ class: 'business', code: 'MALFORMED_ID' });

    const gone = await failure(
      connector.upsert(
        'Opportunity',
        { key: 'SW-X', targetId: salesforceId(KEY_PREFIX.Opportunity, 999_998), fields: { Name: 'x' } },
        'idem-14',
      ),
    );
    expect(gone).toMatchObject({ class: 'business', code: 'NOT_FOUND', status: 404 });

    emulator.faults.set({ rateReject: 1 });
    const rejected = await failure(
      connector.upsert('Account', { key: 'SW-REJ', fields: { Name: 'Rejected' } }, 'idem-15'),
    );
    expect(rejected).toMatchObject({ class: 'business', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', status: 400 });
    expect(rejected.message).toContain('rejected by a validation rule');
  });

  it('classifies errors exactly as jsforce raises them', async () => {
    const connector = connect();
    const conn = new Connection({
      instanceUrl: emulator.baseUrl,
      accessToken: await requestToken(emulator),
      version: emulator.apiVersion,
    });
    const raised = await conn
      .sobject('Opportunity')
      .create({ Amount: 5 })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(raised).toMatchObject({ name: 'REQUIRED_FIELD_MISSING', errorCode: 'REQUIRED_FIELD_MISSING' });
    expect(connector.classifyError(raised)).toEqual({
      class: 'business',
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name, StageName, CloseDate]',
      field: 'Name',
    });
    const twins = await conn
      .sobject('Account')
      .upsert({ Syncwright_Id__c: twinKey, Name: 'x' }, 'Syncwright_Id__c')
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(connector.classifyError(twins)).toMatchObject({ class: 'business', code: 'DUPLICATE_EXTERNAL_ID' });
    const thrown = await connector.get('Lead', 'x').catch((error: unknown) => error);
    expect(connector.classifyError(thrown)).toBe((thrown as ConnectorError).classified);
  });

  it('reports a key shared by several records as business DUPLICATE_EXTERNAL_ID', async () => {
    const error = await failure(
      connect().upsert('Account', { key: twinKey, fields: { Name: 'Which one?' } }, 'idem-16'),
    );
    expect(error).toMatchObject({
      class: 'business',
      code: 'DUPLICATE_EXTERNAL_ID',
      status: 300,
      field: 'Syncwright_Id__c',
    });
    expect(error.message).toContain(salesforceId(KEY_PREFIX.Account, 7001));
    expect(error.message).toContain(salesforceId(KEY_PREFIX.Account, 7002));
  });

  it('refuses writes it cannot address, and numbers JSON cannot carry', async () => {
    const connector = connect();
    expect(await failure(connector.upsert('Account', { key: '', fields: { Name: 'x' } }, 'idem-17'))).toMatchObject({
      class: 'business',
      code: 'MISSING_KEY',
    });
    expect(
      await failure(
        connector.upsert('Account', { key: 'SW-NAN', fields: { Name: 'x', AnnualRevenue: Number.NaN } }, 'idem-18'),
      ),
    ).toMatchObject({
      class: 'business',
      code: 'INVALID_FIELD_VALUE',
      field: 'AnnualRevenue',
    });
  });

  it('reports setup mistakes as config: unknown object, wrong API version, bad URLs', async () => {
    expect(await failure(connect().upsert('Contact', { key: 'k', fields: {} }, 'i'))).toMatchObject({
      class: 'config',
      code: 'UNKNOWN_OBJECT_TYPE',
    });
    expect(await failure(connect().get('Invoice__c', 'x'))).toMatchObject({
      class: 'config',
      code: 'UNKNOWN_OBJECT_TYPE',
    });

    // The emulator serves v62.0 only: every other version's root is a 404.
    const wrongVersion = connect({ apiVersion: '59.0' });
    expect(await failure(wrongVersion.pull('Account', null, 10))).toMatchObject({
      class: 'config',
      code: 'NOT_FOUND',
      status: 404,
    });
    expect(await failure(wrongVersion.get('Account', salesforceId(KEY_PREFIX.Account, 7001)))).toMatchObject({
      class: 'config',
      code: 'NOT_FOUND',
    });
    expect(
      await failure(
        wrongVersion.upsert(
          'Opportunity',
          { key: 'k', targetId: crmOpportunity, fields: { Project_Status__c: 'Active' } },
          'i',
        ),
      ),
    ).toMatchObject({ class: 'config', code: 'NOT_FOUND' });
    expect(await failure(wrongVersion.upsert('Account', { key: 'k', fields: { Name: 'x' } }, 'i'))).toMatchObject({
      class: 'config',
      code: 'NOT_FOUND',
    });

    for (const instanceUrl of [
      'not a url',
      'ftp://example.com',
      'https://acme.lightning.force.com',
      `${emulator.baseUrl}/services/data`,
    ]) {
      expect(() => connect({ instanceUrl })).toThrow(ConnectorError);
      try {
        connect({ instanceUrl });
      } catch (error) {
        expect((error as ConnectorError).classified).toMatchObject({ class: 'config', code: 'BAD_BASE_URL' });
      }
    }
    expect(() => connect({ apiVersion: 'v62' })).toThrow(/REST API version/);
  });
});
