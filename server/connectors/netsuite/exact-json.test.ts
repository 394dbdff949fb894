import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingNumbers, stringifyRecordBody, UnserializableValueError } from './exact-json';

describe('parseJsonKeepingNumbers', () => {
  it('keeps every number as its exact text and leaves strings untouched', () => {
    const text =
      '{"total": 12345678901234.57, "hours": -0.10, "big": 1e400, "memo": "paid 1.10 of \\"2.20\\" \\\\ 3", "list": [1, 2.50], "ok": true, "none": null}';
    expect(parseJsonKeepingNumbers(text)).toEqual({
      total: '12345678901234.57',
      hours: '-0.10',
      big: '1e400',
      memo: 'paid 1.10 of "2.20" \\ 3',
      list: ['1', '2.50'],
      ok: true,
      none: null,
    });
  });

  it('still refuses text that is not JSON', () => {
    expect(() => parseJsonKeepingNumbers('{"a": 1,')).toThrow(SyntaxError);
  });
});

describe('stringifyRecordBody', () => {
  it('prints decimals exactly as JSON numbers and keeps numeric strings as strings', () => {
    const body = {
      amount: new Decimal('98765432109876.54'),
      phone: '0049',
      hours: 7.5,
      ref: { externalId: 'A' },
      skipped: undefined,
      flag: false,
    };
    const text = stringifyRecordBody(body);
    expect(text).toBe('{"amount":98765432109876.54,"phone":"0049","hours":7.5,"ref":{"externalId":"A"},"flag":false}');
    expect(parseJsonKeepingNumbers(text)).toMatchObject({ amount: '98765432109876.54' });
  });

  it('refuses values with no JSON form, naming where they are', () => {
    const cases: Array<[unknown, string]> = [
      [{ hours: Number.POSITIVE_INFINITY }, 'hours'],
      [{ lines: [{ amount: new Decimal(Number.NaN) }] }, 'lines[0].amount'],
      [{ when: () => 1 }, 'when'],
      [{ id: 10n }, 'id'],
      [{ tags: new Set(['a']) }, 'tags'],
    ];
    for (const [value, path] of cases) {
      let caught: unknown;
      try {
        stringifyRecordBody(value);
      } catch (error) {
        caught = error;
      }
      expect(caught, path).toBeInstanceOf(UnserializableValueError);
      expect((caught as UnserializableValueError).path).toBe(path);
    }
  });
});
