import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_RULES, FALLBACK_PLACEMENT, placeException } from './routing';

const rules = DEFAULT_ROUTING_RULES.map((r, i) => ({ ...r, position: (i + 1) * 10, enabled: true }));

describe('exception routing', () => {
  it('sends billing problems to finance, a missing rate card to operations', () => {
    expect(
      placeException(rules, {
        routine: 'billing_eligibility',
        code: 'TAX_CODE_MISSING',
        legalEntityId: 'UK',
        amount: '950.00',
      }),
    ).toMatchObject({ team: 'finance', priority: 'high', dueHours: 48 });
    expect(
      placeException(rules, {
        routine: 'billing_eligibility',
        code: 'RATE_CARD_MISSING',
        legalEntityId: 'US',
        amount: '100',
      }),
    ).toMatchObject({ team: 'operations' });
  });

  it('escalates large amounts, compared as decimals', () => {
    expect(
      placeException(rules, {
        routine: 'billing_eligibility',
        code: 'RATE_CARD_MISSING',
        legalEntityId: 'DE',
        amount: '10000.00',
      }),
    ).toMatchObject({ team: 'finance', priority: 'urgent' });
    expect(
      placeException(rules, {
        routine: 'billing_eligibility',
        code: 'RATE_CARD_MISSING',
        legalEntityId: 'DE',
        amount: '9999.99',
      }),
    ).toMatchObject({ team: 'operations', priority: 'high' });
  });

  it('puts technical failures with integration whatever the routine', () => {
    expect(
      placeException(rules, {
        routine: 'project_activation',
        code: 'RETRIES_EXHAUSTED',
        legalEntityId: 'US',
        amount: null,
      }),
    ).toMatchObject({ team: 'integration' });
  });

  it('skips disabled rules, honours position, and falls back when nothing matches', () => {
    const custom = [
      { ...rules[0]!, position: 2, routine: 'change_orders' as const, code: null, team: 'finance' as const },
      {
        ...rules[0]!,
        position: 1,
        routine: 'change_orders' as const,
        code: null,
        team: 'operations' as const,
        enabled: false,
      },
    ];
    expect(
      placeException(custom, { routine: 'change_orders', code: 'X', legalEntityId: null, amount: null }).team,
    ).toBe('finance');
    expect(placeException(custom, { routine: 'invoice_status', code: 'X', legalEntityId: null, amount: null })).toEqual(
      FALLBACK_PLACEMENT,
    );
  });
});

describe('amount ranges with their currency', () => {
  const ranged = [
    {
      position: 1,
      routine: null,
      code: null,
      legalEntityId: null,
      minAmount: '1000',
      maxAmount: '5000',
      amountCurrency: 'GBP',
      team: 'finance' as const,
      priority: 'urgent' as const,
      dueHours: 8,
      enabled: true,
    },
  ];
  const facts = { routine: 'invoice_status' as const, code: 'X', legalEntityId: null };

  it('matches only amounts inside the range, in the rule currency', () => {
    expect(placeException(ranged, { ...facts, amount: '1000', currency: 'GBP' }).rulePosition).toBe(1);
    expect(placeException(ranged, { ...facts, amount: '5000.00', currency: 'GBP' }).rulePosition).toBe(1);
    expect(placeException(ranged, { ...facts, amount: '5000.01', currency: 'GBP' })).toEqual(FALLBACK_PLACEMENT);
    expect(placeException(ranged, { ...facts, amount: '999.99', currency: 'GBP' })).toEqual(FALLBACK_PLACEMENT);
  });

  it('does not match the same figure in another currency, or no amount', () => {
    expect(placeException(ranged, { ...facts, amount: '2000', currency: 'USD' })).toEqual(FALLBACK_PLACEMENT);
    expect(placeException(ranged, { ...facts, amount: null, currency: null })).toEqual(FALLBACK_PLACEMENT);
  });
});
