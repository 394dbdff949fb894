import { describe, expect, it } from 'vitest';
import { applyTransforms, fieldMapProblems, mapFields, type FieldMap } from './field-transforms';

const lookup = (kind: string, value: string) => (kind === 'currency' && value === '4' ? 'EUR' : undefined);

describe('applyTransforms', () => {
  it('chains trim, upper, default, lookup, date format and decimal scale left to right', () => {
    expect(applyTransforms('  gbp ', [{ name: 'trim' }, { name: 'upper' }], lookup)).toEqual({
      ok: true,
      value: 'GBP',
    });
    expect(
      applyTransforms(
        ' ',
        [
          { name: 'default', value: '4' },
          { name: 'lookup', kind: 'currency' },
        ],
        lookup,
      ),
    ).toEqual({ ok: true, value: 'EUR' });
    expect(applyTransforms('31.01.2026', [{ name: 'date_format', from: 'DD.MM.YYYY' }], lookup)).toEqual({
      ok: true,
      value: '2026-01-31',
    });
    expect(applyTransforms('01/31/2026', [{ name: 'date_format', from: 'MM/DD/YYYY' }], lookup)).toEqual({
      ok: true,
      value: '2026-01-31',
    });
    // Half-up on the decimal itself, never through a float: 2.675 stays 2.68.
    expect(applyTransforms('2.675', [{ name: 'decimal_scale', scale: 2 }], lookup)).toEqual({
      ok: true,
      value: '2.68',
    });
    expect(applyTransforms('7.5', [{ name: 'decimal_scale', scale: 0 }], lookup)).toEqual({ ok: true, value: '8' });
    expect(applyTransforms(null, [{ name: 'trim' }, { name: 'upper' }], lookup)).toEqual({ ok: true, value: null });
  });

  it('says why a value cannot be transformed', () => {
    expect(applyTransforms('9', [{ name: 'lookup', kind: 'currency' }], lookup)).toEqual({
      ok: false,
      message: '"9" has no currency mapping',
    });
    expect(applyTransforms('2026-01-31', [{ name: 'date_format', from: 'DD.MM.YYYY' }], lookup)).toMatchObject({
      ok: false,
      message: '"2026-01-31" is not a date in the form DD.MM.YYYY',
    });
    expect(applyTransforms('eight', [{ name: 'decimal_scale', scale: 2 }], lookup)).toMatchObject({ ok: false });
  });
});

describe('fieldMapProblems', () => {
  it('accepts maps that fit the canonical schema', () => {
    expect(
      fieldMapProblems('TimeEntry', [
        { sourceField: 'trandate', attribute: 'workDate', transforms: [{ name: 'date_format', from: 'DD.MM.YYYY' }] },
        { sourceField: 'hours', attribute: 'hours', transforms: [{ name: 'decimal_scale', scale: 2 }] },
        { sourceField: 'role', attribute: 'role', transforms: [{ name: 'trim' }] },
      ]),
    ).toEqual([]);
  });

  it('refuses unknown attributes, reserved ones, bad parameters, doubles and chains that do not type-check', () => {
    const maps: FieldMap[] = [
      { sourceField: 'x', attribute: 'colour', transforms: [] },
      { sourceField: 'x', attribute: 'id', transforms: [] },
      { sourceField: 'hours', attribute: 'hours', transforms: [{ name: 'decimal_scale', scale: 9 }] },
      { sourceField: 'trandate', attribute: 'hours', transforms: [{ name: 'date_format', from: 'YYYY-MM-DD' }] },
    ];
    expect(fieldMapProblems('TimeEntry', maps).map((p) => p.message)).toEqual([
      'Field map 1: TimeEntry has no attribute "colour" a mapping may set.',
      'Field map 2: TimeEntry has no attribute "id" a mapping may set.',
      'Field map 3: a decimal scale is a whole number of places from 0 to 6.',
      'Field map 4: TimeEntry.hours is already mapped.',
      'Field map 4: what its transforms produce does not fit TimeEntry.hours.',
    ]);
    expect(
      fieldMapProblems('TimeEntry', [
        { sourceField: 'trandate', attribute: 'hours', transforms: [{ name: 'date_format', from: 'YYYY-MM-DD' }] },
      ]),
    ).toEqual([
      {
        index: 0,
        field: 'transforms',
        message: 'Field map 1: what its transforms produce does not fit TimeEntry.hours.',
      },
    ]);
  });
});

it('maps a source record into canonical attributes, naming each that does not fit', () => {
  const { attributes, problems } = mapFields(
    'TimeEntry',
    { trandate: '31.01.2026', hours: '7.505', currency: '9' },
    [
      { sourceField: 'trandate', attribute: 'workDate', transforms: [{ name: 'date_format', from: 'DD.MM.YYYY' }] },
      { sourceField: 'hours', attribute: 'hours', transforms: [{ name: 'decimal_scale', scale: 2 }] },
      { sourceField: 'currency', attribute: 'currency', transforms: [{ name: 'lookup', kind: 'currency' }] },
      { sourceField: 'memo', attribute: 'role', transforms: [{ name: 'trim' }] },
    ],
    lookup,
  );
  expect(attributes).toEqual({ workDate: '2026-01-31', hours: '7.51' });
  expect(problems).toEqual([
    { attribute: 'currency', message: 'currency: "9" has no currency mapping' },
    { attribute: 'role', message: 'role: no value does not fit TimeEntry.role' },
  ]);
});
