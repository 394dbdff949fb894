import type pg from 'pg';
import { bulkInsertRecords } from '@/sandbox/netsuite/bulk-insert';

/**
 * The smallest consistent data set a record can point at: USD, one US subsidiary, a consultant,
 * a service item, a customer and a time-and-materials project (all id 1). Tests build on it;
 * it also shows the seed generator the shape `bulkInsertRecords` expects.
 */
export async function loadMinimalAccountData(
  pool: pg.Pool,
  options: { schema?: string; now?: Date } = {},
): Promise<void> {
  const ref = (id: number) => ({ id: String(id) });
  await bulkInsertRecords(
    pool,
    'currency',
    [{ id: 1, fields: { name: 'US Dollar', symbol: 'USD', isBaseCurrency: true } }],
    options,
  );
  await bulkInsertRecords(
    pool,
    'subsidiary',
    [{ id: 1, externalId: 'LE-US', fields: { name: 'Syncwright Demo Inc.', country: 'US', currency: ref(1) } }],
    options,
  );
  await bulkInsertRecords(
    pool,
    'employee',
    [{ id: 1, fields: { entityId: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace', subsidiary: ref(1) } }],
    options,
  );
  await bulkInsertRecords(
    pool,
    'serviceitem',
    [{ id: 1, fields: { itemId: 'Consulting', subsidiary: ref(1) } }],
    options,
  );
  await bulkInsertRecords(
    pool,
    'customer',
    [{ id: 1, externalId: 'ACC-1', fields: { companyName: 'Acme Corp', subsidiary: ref(1), currency: ref(1) } }],
    options,
  );
  await bulkInsertRecords(
    pool,
    'job',
    [
      {
        id: 1,
        externalId: 'PRJ-1',
        fields: {
          companyName: 'Acme ERP rollout',
          parent: ref(1),
          subsidiary: ref(1),
          currency: ref(1),
          jobBillingType: 'TM',
          entityStatus: '2',
        },
      },
    ],
    options,
  );
}
