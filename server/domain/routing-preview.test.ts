import { describe, expect, it } from 'vitest';
import { previewRouting, type OpenExceptionFacts } from './routing-preview';
import type { RoutingRuleInput } from './routing';

const rule = (position: number, r: Partial<RoutingRuleInput>): RoutingRuleInput => ({
  position,
  routine: null,
  code: null,
  legalEntityId: null,
  minAmount: null,
  team: 'finance',
  priority: 'normal',
  dueHours: 24,
  enabled: true,
  ...r,
});
const open = (o: Partial<OpenExceptionFacts>): OpenExceptionFacts => ({
  routine: 'billing_eligibility',
  code: 'TAX_CODE_MISSING',
  legalEntityId: 'UK',
  amount: null,
  currency: null,
  team: 'finance',
  priority: 'normal',
  ...o,
});

describe('routing preview', () => {
  it('counts what each draft rule catches and groups the moves from one team and priority to another', () => {
    const draft = [
      rule(1, { code: 'TAX_CODE_MISSING', team: 'operations', priority: 'high' }),
      rule(2, { routine: 'billing_eligibility', team: 'finance', priority: 'normal' }),
      rule(3, { routine: 'project_activation', team: 'operations' }),
    ];
    const preview = previewRouting(draft, [
      open({}),
      open({}),
      open({ team: 'operations', priority: 'high' }),
      open({ code: 'TARGET_REJECTED' }),
      open({ routine: 'invoice_status', code: 'X', team: 'finance' }),
    ]);
    expect([...preview.caughtByPosition]).toEqual([
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
    expect(preview.unmatched).toBe(1);
    expect(preview.moves).toEqual([
      { fromTeam: 'finance', fromPriority: 'normal', toTeam: 'operations', toPriority: 'high', count: 2 },
      { fromTeam: 'finance', fromPriority: 'normal', toTeam: 'integration', toPriority: 'normal', count: 1 },
    ]);
  });

  it('moves nothing when the draft places every open exception where it already is', () => {
    const preview = previewRouting([rule(1, {})], [open({}), open({ code: 'X' })]);
    expect(preview.moves).toEqual([]);
    expect(preview.caughtByPosition.get(1)).toBe(2);
  });

  it('weighs a grouped read by its count and tells the moves apart by the rule that decides them', () => {
    const draft = [rule(1, { code: 'TAX_CODE_MISSING', team: 'operations', priority: 'high' })];
    const preview = previewRouting(draft, [open({ count: 37 }), open({ code: 'X', team: 'finance', count: 5 })]);
    expect(preview.caughtByPosition.get(1)).toBe(37);
    expect(preview.unmatched).toBe(5);
    expect(preview.movesByPosition.get(1)).toEqual([
      { fromTeam: 'finance', fromPriority: 'normal', toTeam: 'operations', toPriority: 'high', count: 37 },
    ]);
    expect(preview.movesByPosition.get(null)).toEqual([
      { fromTeam: 'finance', fromPriority: 'normal', toTeam: 'integration', toPriority: 'normal', count: 5 },
    ]);
  });
});
