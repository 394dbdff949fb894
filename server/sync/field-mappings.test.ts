import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { FieldMappings } from './field-mappings';

// A connection of its own: no other test reads its mappings.
const client = db();

it('reads the newest published version of a scope, so a mapping dropped from it is gone', async () => {
  const connectionId = randomUUID();
  const scope = { connectionId, legalEntityId: 'DE' };
  await client.fieldMapping.createMany({
    data: [
      { ...scope, kind: 'tax_code', sourceValue: 'default', targetValue: 'txcd_old' },
      { ...scope, kind: 'tax_code', sourceValue: 'customer:7', targetValue: 'txcd_7' },
    ],
  });
  expect((await FieldMappings.load(connectionId, 'DE')).get('tax_code', 'customer:7')).toBe('txcd_7');

  await client.fieldMappingVersion.createMany({
    data: [
      { ...scope, version: 1, note: 'before versioning' },
      { ...scope, version: 2, note: 'new default, no customer override' },
    ],
  });
  await client.fieldMapping.create({
    data: { ...scope, version: 2, kind: 'tax_code', sourceValue: 'default', targetValue: 'txcd_new' },
  });
  // Another scope's newer version does not hide this one's.
  await client.fieldMappingVersion.create({ data: { connectionId, legalEntityId: 'UK', version: 5, note: 'UK' } });

  const mappings = await FieldMappings.load(connectionId, 'DE');
  expect(mappings.get('tax_code', 'default')).toBe('txcd_new');
  expect(mappings.get('tax_code', 'customer:7')).toBeUndefined();
});
