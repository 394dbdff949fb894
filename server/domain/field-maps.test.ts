import { describe, expect, it } from 'vitest';
import { exceptionsCausedByFieldMaps, fieldMapRowProblems, type FieldMapRow } from './field-maps';

const row = (overrides: Partial<FieldMapRow>): FieldMapRow => ({
  source: 'timebill',
  sourceField: 'memo',
  attribute: 'description',
  transforms: [],
  ...overrides,
});

describe('fieldMapRowProblems', () => {
  it('accepts a time bill field map on the ERP connection, trimmed', () => {
    expect(fieldMapRowProblems('netsuite', [row({ sourceField: ' memo ', transforms: [{ name: 'upper' }] })])).toEqual(
      [],
    );
  });

  it('refuses an attribute the routine works out itself, even where its schema would take the value', () => {
    expect(
      fieldMapRowProblems('netsuite', [
        row({ sourceField: 'rate', attribute: 'currency', transforms: [{ name: 'default', value: 'EUR' }] }),
      ]),
    ).toEqual([
      {
        index: 0,
        field: 'attribute',
        message:
          'Field map 1: TimeEntry.currency is not set from a field map; map one of consultant, role, workDate, hours, description.',
      },
    ]);
  });

  it('refuses field maps on a connection whose records none apply to', () => {
    expect(fieldMapRowProblems('stripe', [row({})])).toEqual([
      {
        index: 0,
        field: 'source',
        message: 'Field map 1: "timebill" is not a source record field maps apply to here; this connection has none.',
      },
    ]);
  });

  it('names each row by its place in the whole list, across source records', () => {
    const problems = fieldMapRowProblems('netsuite', [
      row({}),
      row({ source: 'opportunity' }),
      row({ sourceField: 'hours', attribute: 'description' }),
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'Field map 2: "opportunity" is not a source record field maps apply to here; use timebill.',
      'Field map 3: TimeEntry.description is already mapped.',
    ]);
  });
});

it('says which held exceptions a change to field maps may fix', () => {
  expect(exceptionsCausedByFieldMaps(['timebill', 'timebill'])).toEqual([
    { code: 'VALIDATION_FAILED', routines: ['billing_eligibility'] },
  ]);
  expect(exceptionsCausedByFieldMaps([])).toEqual([]);
});
