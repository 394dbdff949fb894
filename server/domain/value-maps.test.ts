import { describe, expect, it } from 'vitest';
import { exceptionsCausedBy, valueMapProblems } from './value-maps';

describe('valueMapProblems', () => {
  it('accepts well-formed maps of each kind', () => {
    expect(
      valueMapProblems([
        { kind: 'tax_code', sourceValue: 'default', targetValue: 'txcd_20030000' },
        { kind: 'tax_code', sourceValue: 'customer:42', targetValue: ' txcd_10000000 ' },
        { kind: 'currency', sourceValue: '1', targetValue: 'EUR' },
        { kind: 'legal_entity', sourceValue: '3', targetValue: 'DE' },
        { kind: 'practice', sourceValue: 'Advisory', targetValue: 'advisory' },
      ]),
    ).toEqual([]);
  });

  it('names the row and field of each problem', () => {
    const problems = valueMapProblems([
      { kind: 'vat', sourceValue: 'x', targetValue: 'y' },
      { kind: 'tax_code', sourceValue: 'acme', targetValue: '19%' },
      { kind: 'currency', sourceValue: '1', targetValue: 'euro' },
      { kind: 'currency', sourceValue: '1', targetValue: 'EUR' },
      { kind: 'legal_entity', sourceValue: '', targetValue: 'FR' },
    ]);
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'kind'],
      [1, 'sourceValue'],
      [1, 'targetValue'],
      [2, 'targetValue'],
      [3, 'sourceValue'],
      [4, 'sourceValue'],
      [4, 'targetValue'],
    ]);
    expect(problems[0]!.message).toContain('"vat" is not a kind of mapping');
    expect(problems[2]!.message).toBe('Row 2: tax code "19%" must be a Stripe tax code such as txcd_20030000.');
    expect(problems[4]!.message).toContain('already mapped in row 3');
    expect(problems[6]!.message).toContain('US, UK, DE');
  });
});

it('knows which open exceptions a kind of mapping causes', () => {
  const caused = exceptionsCausedBy(['tax_code', 'legal_entity', 'currency', 'tax_code', 'practice']);
  expect(caused.map((c) => c.code)).toEqual(['CURRENCY_MISMATCH', 'PRACTICE_UNMAPPED', 'TAX_CODE_MISSING']);
  // A tax-code map fixes billing; a deal held for its account's VAT number is not a mapping's to fix.
  expect(caused[2]).toEqual({ code: 'TAX_CODE_MISSING', routines: ['billing_eligibility'] });
  expect(caused[1]).toEqual({ code: 'PRACTICE_UNMAPPED', routines: ['project_activation'] });
  expect(exceptionsCausedBy(['cost_center', 'item_price'])).toEqual([
    { code: 'COST_CENTER_UNMAPPED', routines: ['project_activation'] },
    { code: 'ITEM_UNMAPPED', routines: ['billing_eligibility'] },
  ]);
  expect(caused[0]!.routines).toContain('project_activation');
});
