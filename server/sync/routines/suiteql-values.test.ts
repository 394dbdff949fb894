import { describe, expect, it } from 'vitest';
import { suiteqlBoolean, suiteqlDate } from './suiteql-values';

describe('SuiteQL values', () => {
  it('reads M/D/YYYY dates and ISO ones', () => {
    expect(suiteqlDate('3/7/2026')).toBe('2026-03-07');
    expect(suiteqlDate('12/31/2025')).toBe('2025-12-31');
    expect(suiteqlDate('2026-03-07')).toBe('2026-03-07');
    expect(suiteqlDate('yesterday')).toBeNull();
    expect(suiteqlDate(undefined)).toBeNull();
  });
  it('reads T/F booleans', () => {
    expect(suiteqlBoolean('T')).toBe(true);
    expect(suiteqlBoolean('F')).toBe(false);
    expect(suiteqlBoolean(undefined)).toBe(false);
  });
});
