import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import type { Context } from '../trpc';

const finance: Context = {
  user: {
    sessionId: 's',
    id: '00000000-0000-4000-8000-000000000002',
    email: 'finance@test',
    name: 'Finance',
    role: 'finance',
    mustChangePassword: false,
  },
  requestId: 'routing-router-test',
  ip: '127.0.0.1',
  crossSite: false,
};

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (err: unknown) => (err instanceof TRPCError ? err.code : err),
  );

describe('routing router', () => {
  it('lets finance read the rules but refuses every change', async () => {
    const routing = createCaller(finance).routing;
    expect((await routing.overview()).choices.routines.length).toBeGreaterThan(0);
    expect(await refusal(routing.saveDraft({ rules: [] }))).toBe('FORBIDDEN');
    expect(await refusal(routing.publishDraft({ reason: 'sneaking a change in' }))).toBe('FORBIDDEN');
    expect(await refusal(routing.republish({ version: 1, reason: 'sneaking a change in' }))).toBe('FORBIDDEN');
    expect(await refusal(routing.discardDraft())).toBe('FORBIDDEN');
  });

  it('checks a rule being edited by its place in the list, saving nothing', async () => {
    const admin: Context = { ...finance, user: { ...finance.user!, email: 'admin@test', role: 'admin' } };
    const rule = {
      routine: null,
      code: 'NO_SUCH_CODE',
      legalEntityId: null,
      minAmount: null,
      maxAmount: null,
      amountCurrency: null,
      team: 'finance' as const,
      priority: 'urgent' as const,
      dueHours: 4,
      enabled: true,
    };
    expect(await createCaller(admin).routing.checkRules({ rules: [rule], firstIndex: 12 })).toEqual([
      { index: 12, field: 'code', message: 'Rule 13: unknown exception code "NO_SUCH_CODE".' },
    ]);
  });
});
