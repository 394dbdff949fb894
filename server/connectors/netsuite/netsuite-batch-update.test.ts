import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteEmulator } from '@/sandbox/netsuite/netsuite-emulator';
import { signedFetch } from '@/sandbox/netsuite/oauth-signed-fetch';
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

async function customers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { externalId } = await connector.upsert(
      'customer',
      { key: `SW-BATCH-${i}`, fields: { companyName: `Client ${i}`, ...US } },
      `idem-batch-${i}`,
    );
    ids.push(externalId);
  }
  return ids;
}

const phones = async (ids: string[]) =>
  (await connector.suiteql(`SELECT id, phone FROM customer WHERE id IN (${ids.join(',')}) ORDER BY id`)).items;

describe('NetSuite connector: batch updates', () => {
  it('updates many records in one asynchronous batch, each failure its own', async () => {
    const ids = await customers(3);
    const outcomes = await connector.updateMany!(
      'customer',
      [
        { targetId: ids[0]!, fields: { phone: '0100' } },
        { targetId: '999999', fields: { phone: '0199' } },
        { targetId: ids[2]!, fields: { phone: '0102' } },
      ],
      '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b',
    );
    expect(outcomes[0]).toBeNull();
    expect(outcomes[2]).toBeNull();
    // The record that does not exist fails as its own PATCH would, and only it.
    expect(outcomes[1]?.classified).toMatchObject({ class: 'business', code: 'NONEXISTENT_ID', status: 404 });
    expect(await phones(ids)).toEqual([
      { id: ids[0], phone: '0100' },
      { id: ids[1] }, // SuiteQL leaves out empty fields
      { id: ids[2], phone: '0102' },
    ]);
  });

  it('answers a batch sent again with the same idempotency key from the same job', async () => {
    const [id] = await customers(1);
    const key = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(await connector.updateMany!('customer', [{ targetId: id!, fields: { phone: '0200' } }], key)).toEqual([
      null,
    ]);
    await connector.upsert('customer', { key: 'SW-BATCH-0', targetId: id!, fields: { phone: '0201' } }, 'idem-x');
    // The same key names the job already carried out: nothing is written a second time.
    expect(await connector.updateMany!('customer', [{ targetId: id!, fields: { phone: '0200' } }], key)).toEqual([
      null,
    ]);
    expect(await phones([id!])).toEqual([{ id, phone: '0201' }]);
  });

  it('refuses a batch over 100 records, and the emulator a batch without respond-async', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ targetId: String(i + 1), fields: {} }));
    await expect(connector.updateMany!('customer', many, 'ffffffff-0000-4000-8000-000000000000')).rejects.toThrow(
      /at most 100 records/,
    );
    const response = await signedFetch(emulator, 'PATCH', '/services/rest/record/v1/customer', {
      body: { items: [{ id: '1', phone: '1' }] },
      headers: { 'Content-Type': 'application/vnd.oracle.resource+json; type=collection' },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('Prefer: respond-async');
  });
});
