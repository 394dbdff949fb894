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
