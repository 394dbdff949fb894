import { describe, expect, it } from 'vitest';
import { routingDraftProblems, type RoutingRuleDraft } from './routing-rule-validation';

const ctx = { legalEntityIds: new Set(['US', 'UK']), currencies: new Set(['USD', 'GBP']) };
const base: RoutingRuleDraft = {
  position: 1,
  routine: 'billing_eligibility',
  code: 'TAX_CODE_MISSING',
  legalEntityId: 'UK',
  minAmount: '100',
  maxAmount: '5000.50',
  amountCurrency: 'GBP',
  team: 'finance',
  priority: 'high',
  dueHours: 24,
  enabled: true,
};

describe('routing rule validation', () => {
  it('accepts a rule whose every field is known', () => {
    expect(routingDraftProblems([base], ctx)).toEqual([]);
  });

  it('names unknown routines, codes and entities', () => {
    expect(
      routingDraftProblems([base, { ...base, routine: 'payroll', code: 'NOPE', legalEntityId: 'XX' }], ctx),
    ).toEqual([
      'Rule 2: unknown routine "payroll".',
      'Rule 2: unknown exception code "NOPE".',
      'Rule 2: unknown legal entity "XX".',
    ]);
  });

  it('refuses a minimum above the maximum, compared as decimals', () => {
    expect(routingDraftProblems([{ ...base, minAmount: '10.5', maxAmount: '10.49' }], ctx)).toEqual([
      'Rule 1: the minimum amount 10.5 is above the maximum 10.49.',
    ]);
    expect(routingDraftProblems([{ ...base, minAmount: '10.49', maxAmount: '10.49' }], ctx)).toEqual([]);
  });

  it('refuses an amount without its currency, and a currency alone', () => {
    expect(routingDraftProblems([{ ...base, amountCurrency: null }], ctx)).toEqual([
      'Rule 1: an amount range needs its currency.',
    ]);
    expect(routingDraftProblems([{ ...base, minAmount: null, maxAmount: null }], ctx)).toEqual([
      'Rule 1: a currency is set without an amount range.',
    ]);
    expect(routingDraftProblems([{ ...base, amountCurrency: 'JPY' }], ctx)).toEqual([
      'Rule 1: unknown currency "JPY".',
    ]);
  });

  it('refuses due-in hours of zero or less', () => {
    expect(routingDraftProblems([{ ...base, dueHours: 0 }], ctx)).toEqual([
      'Rule 1: due-in hours must be a whole number above zero.',
    ]);
    expect(routingDraftProblems([{ ...base, dueHours: -3 }], ctx)).toHaveLength(1);
  });
});
