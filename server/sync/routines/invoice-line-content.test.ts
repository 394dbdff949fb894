import { describe, expect, it } from 'vitest';
import { lineContentHash, sameAsHeld, type InvoiceLineFields } from './invoice-line-content';

const record = { id: 'r1', legalEntityId: 'UK', schemaVersion: 1, hours: '7.5', role: 'consultant' };
const pricing = { rate: '150', quantity: '7.5' };
const fields: InvoiceLineFields = {
  customer: 'cus_1',
  currency: 'gbp',
  invoice: 'in_1',
  amount: 112_500,
  description: 'Project: 7.5 h consultant × 150 GBP',
  metadata: {
    legal_entity: 'UK',
    tax_code: 'txcd_20030000',
    item: 'consultant',
    netsuite_id: '9',
    work_date: '2026-11-02',
  },
};

describe('invoice line content', () => {
  it('changes the hash for every part of a line a finance user reads, and for the draft it goes onto', () => {
    const base = lineContentHash(record, pricing, fields);
    expect(lineContentHash({ ...record, sourceChangedAt: '2026-11-20T10:00:00Z' }, pricing, fields)).toBe(base);
    const changed = [
      lineContentHash({ ...record, hours: '8' }, pricing, fields),
      lineContentHash(record, { ...pricing, rate: '162.5' }, fields),
      lineContentHash(record, { ...pricing, quantity: '8' }, fields),
      lineContentHash(record, pricing, { ...fields, amount: 121_875 }),
      lineContentHash(record, pricing, { ...fields, currency: 'eur' }),
      lineContentHash(record, pricing, { ...fields, description: 'Project: 7.5 h consultant × 162.5 GBP' }),
      lineContentHash(record, pricing, { ...fields, metadata: { ...fields.metadata, tax_code: 'txcd_10000000' } }),
      lineContentHash(record, pricing, { ...fields, metadata: { ...fields.metadata, item: 'prod_advisory' } }),
      lineContentHash(record, pricing, { ...fields, invoice: 'in_2' }),
    ];
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
  });

  it('tells an item billing holds with the same amount, currency, description, tax code and item', () => {
    const held = { ...fields, metadata: { ...fields.metadata, syncwright_id: 'c1' } };
    expect(sameAsHeld(held, fields)).toBe(true);
    expect(sameAsHeld({ ...held, amount: 112_501 }, fields)).toBe(false);
    expect(sameAsHeld({ ...held, metadata: { ...held.metadata, tax_code: 'txcd_1' } }, fields)).toBe(false);
    expect(sameAsHeld({ ...held, description: null }, fields)).toBe(false);
  });
});
