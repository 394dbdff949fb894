import { describe, expect, it } from 'vitest';
import { normalizeSalesforceId, salesforceId, salesforceIdCounter } from './salesforce-id';
import { KEY_PREFIX } from './sobject-definitions';

describe('salesforce ids', () => {
  it('computes the case-safe suffix of published 15-character ids', () => {
    expect(normalizeSalesforceId('a0D30000001n7Pi')).toBe('a0D30000001n7PiEAI');
    expect(normalizeSalesforceId('0010g00001Z54O9')).toBe('0010g00001Z54O9AAJ');
    expect(normalizeSalesforceId('0012A00001aaAaa')).toBe('0012A00001aaAaaQAE');
  });

  it('accepts an 18-character id in any case and restores the canonical one', () => {
    expect(normalizeSalesforceId('a0f1a000003yDoIAAU')).toBe('a0f1a000003yDoIAAU');
    expect(normalizeSalesforceId('A0F1A000003YDOIAAU')).toBe('a0f1a000003yDoIAAU');
    expect(normalizeSalesforceId('a0f1a000003ydoiaau')).toBe('a0f1a000003yDoIAAU');
  });

  it('refuses text that is not an id', () => {
    expect(normalizeSalesforceId('abc')).toBeNull();
    expect(normalizeSalesforceId('001-0000000000000')).toBeNull();
    expect(normalizeSalesforceId('0010g00001Z54O9AA')).toBeNull();
    expect(normalizeSalesforceId('0010g00001Z54O9A9Z')).toBeNull(); // '9' is no suffix character
  });

  it('makes deterministic ids with the key prefix whose counter can be read back', () => {
    const first = salesforceId(KEY_PREFIX.Opportunity, 1);
    expect(first).toBe(salesforceId(KEY_PREFIX.Opportunity, 1));
    expect(first).toHaveLength(18);
    expect(first.startsWith('006')).toBe(true);
    expect(normalizeSalesforceId(first.slice(0, 15))).toBe(first);
    expect(salesforceIdCounter(salesforceId('001', 123_456_789))).toBe(123_456_789);
    expect(salesforceId('001', 61) < salesforceId('001', 62)).toBe(true);
    expect(() => salesforceId('01', 1)).toThrow(RangeError);
  });
});
