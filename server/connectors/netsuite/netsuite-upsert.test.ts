import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteEmulator } from '@/sandbox/netsuite/netsuite-emulator';
import { signedFetch } from '@/sandbox/netsuite/oauth-signed-fetch';
import { failure } from '@/test/expect-connector-failure';
import { type NetSuiteHarness, startNetSuiteHarness } from '@/test/netsuite-emulator-harness';
import type { NetSuiteConnector } from './netsuite-connector';

let harness: NetSuiteHarness;
let emulator: NetSuiteEmulator;
let connector: NetSuiteConnector;

beforeAll(async () => {
  harness = await startNetSuiteHarness();
  emulator = harness.emulator;
  connector = harness.connect();
});

afterAll(() => harness?.stop());

const US = { subsidiary: { id: '1' }, currency: { id: '1' } };

describe('NetSuite connector: upsert and get', () => {
  it('creates a record by key, then updates the same record', async () => {
    const created = await connector.upsert(
      'customer',
      { key: 'SW-CUST-1', fields: { companyName: 'Globex', ...US } },
      'idem-1',
    );
    expect(created.created).toBe(true);
    expect(created.externalId).toMatch(/^\d+$/);

    const updated = await connector.upsert(
      'customer',
      { key: 'SW-CUST-1', fields: { companyName: 'Globex GmbH', phone: '0049' } },
      'idem-2',
    );
    expect(updated).toEqual({ externalId: created.externalId, created: false });

    const rows = await connector.suiteql("SELECT id, companyname, phone FROM customer WHERE externalid = 'SW-CUST-1'");
    expect(rows.totalResults).toBe(1);
    expect(rows.items).toEqual([{ id: created.externalId, companyname: 'Globex GmbH', phone: '0049' }]);

    // Replaying the same write (as a pipeline retry does) creates nothing new.
    const replay = await connector.upsert(
      'customer',
      { key: 'SW-CUST-1', fields: { companyName: 'Globex GmbH', phone: '0049' } },
      'idem-2',
    );
    expect(replay).toEqual({ externalId: created.externalId, created: false });
    expect((await connector.suiteql("SELECT id FROM customer WHERE externalid = 'SW-CUST-1'")).totalResults).toBe(1);
  });

  it('reads a record by external id, money exactly, and answers null for an unknown one', async () => {
    const budget = new Decimal('12345678901234.57');
    const { externalId } = await connector.upsert(
      'job',
      {
        key: 'SW-PRJ-9',
        fields: {
          companyName: 'Data platform',
          parent: { externalId: 'ACC-1' },
          ...US,
          custentity_sw_budget: budget,
          custentity_sw_budget_hours: '1200.5',
        },
      },
      'idem-3',
    );
    const record = await connector.get('job', 'SW-PRJ-9');
    expect(record).toMatchObject({
      id: externalId,
      externalId: 'SW-PRJ-9',
      companyName: 'Data platform',
      custentity_sw_budget: '12345678901234.57',
      custentity_sw_budget_hours: '1200.5',
      parent: { id: '1', refName: 'Acme Corp' },
    });
    expect(await connector.get('job', 'NO-SUCH-KEY')).toBeNull();
  });

  it('updates a record that does not carry our key by its internal id, leaving its external id alone', async () => {
    const made = await signedFetch(emulator, 'POST', '/services/rest/record/v1/customer', {
      body: { companyName: 'Initech', externalId: 'OTHER-INTEGRATION-7', ...US },
    });
    expect(made.status).toBe(204);
    const internalId = made.headers.get('location')?.split('/').pop() ?? '';
    expect(internalId).toMatch(/^\d+$/);

    const result = await connector.upsert(
      'customer',
      { key: 'SW-CUST-2', targetId: internalId, fields: { phone: '555-0100' } },
      'idem-4',
    );
    expect(result).toEqual({ externalId: internalId, created: false });
    const rows = await connector.suiteql(
      `SELECT id, externalid, phone FROM customer WHERE id = ${internalId} OR externalid = 'SW-CUST-2'`,
    );
    expect(rows.items).toEqual([{ id: internalId, externalid: 'OTHER-INTEGRATION-7', phone: '555-0100' }]);

    // Without a key at all, the internal id alone addresses the update.
    const byIdOnly = await connector.upsert(
      'customer',
      { key: '', targetId: internalId, fields: { phone: '555-0199' } },
      'idem-4b',
    );
    expect(byIdOnly).toEqual({ externalId: internalId, created: false });
    expect((await connector.suiteql(`SELECT phone FROM customer WHERE id = ${internalId}`)).items).toEqual([
      { phone: '555-0199' },
    ]);
    const noAddress = await failure(connector.upsert('customer', { key: '', fields: { phone: '1' } }, 'idem-4c'));
    expect(noAddress).toMatchObject({ class: 'business', code: 'MISSING_KEY' });
  });

  it('never brings back a record deleted in NetSuite: a stale target id is a business error', async () => {
    const { externalId } = await connector.upsert(
      'customer',
      { key: 'SW-CUST-3', fields: { companyName: 'Hooli', ...US } },
      'idem-5',
    );
    const deleted = await signedFetch(emulator, 'DELETE', `/services/rest/record/v1/customer/${externalId}`);
    expect(deleted.status).toBe(204);
    const error = await failure(
      connector.upsert('customer', { key: 'SW-CUST-3', targetId: externalId, fields: { phone: '1' } }, 'idem-6'),
    );
    expect(error).toMatchObject({ class: 'business', code: 'NONEXISTENT_ID', status: 404 });
    expect(await connector.get('customer', 'SW-CUST-3')).toBeNull();
  });

  it("turns a validation rejection into a business error with NetSuite's code, message and field", async () => {
    const missing = await failure(
      connector.upsert(
        'timebill',
        {
          key: 'SW-TE-1',
          fields: {
            employee: { id: '1' },
            customer: { externalId: 'PRJ-1' },
            subsidiary: { id: '1' },
            tranDate: '2026-02-02',
          },
        },
        'idem-7',
      ),
    );
    expect(missing).toEqual({
      class: 'business',
      code: 'USER_ERROR',
      message: 'Error while accessing a resource. Please enter value(s) for: Duration.',
      status: 400,
      field: 'hours',
    });

    const badReference = await failure(
      connector.upsert(
        'timebill',
        {
          key: 'SW-TE-1',
          fields: {
            employee: { id: '1' },
            customer: { externalId: 'PRJ-NOPE' },
            subsidiary: { id: '1' },
            tranDate: '2026-02-02',
            hours: '2',
          },
        },
        'idem-8',
      ),
    );
    expect(badReference).toMatchObject({
      class: 'business',
      code: 'INVALID_KEY_OR_REF',
      status: 400,
      field: 'customer',
    });
    expect(badReference.message).toContain('eid:PRJ-NOPE');
    expect((await connector.suiteql("SELECT id FROM timebill WHERE externalid = 'SW-TE-1'")).totalResults).toBe(0);
  });

  it('refuses a value with no JSON form before calling NetSuite', async () => {
    const error = await failure(
      connector.upsert('timebill', { key: 'SW-TE-2', fields: { hours: Number.NaN } }, 'idem-9'),
    );
    expect(error).toMatchObject({ class: 'business', code: 'INVALID_FIELD_VALUE', field: 'hours' });
  });

  it('reports a record type NetSuite does not have as a configuration error', async () => {
    const unknownType = await failure(connector.upsert('salesorders', { key: 'X-1', fields: {} }, 'idem-10'));
    expect(unknownType).toMatchObject({ class: 'config', code: 'INVALID_RCRD_TYPE', status: 404 });
    const badName = await failure(connector.get('../query', 'X-1'));
    expect(badName).toMatchObject({ class: 'config', code: 'UNKNOWN_OBJECT_TYPE' });
  });

  it('keeps keys with reserved characters intact in the signed URL', async () => {
    const key = 'SW/ACME & Co.:#1?x=y';
    const created = await connector.upsert(
      'customer',
      { key, fields: { companyName: 'Odd Key Ltd', ...US } },
      'idem-11',
    );
    expect(created.created).toBe(true);
    expect(await connector.get('customer', key)).toMatchObject({ id: created.externalId, externalId: key });
  });
});
