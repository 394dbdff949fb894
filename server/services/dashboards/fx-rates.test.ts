import { describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { deleteFxRate, listFxRates, saveFxRate } from './fx-rates';

const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };
// A day no other test uses, so the shared test database's rates stay apart.
const validFrom = `2099-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`;
const key = { fromCurrency: 'GBP', toCurrency: 'CHF', validFrom };

describe('exchange rates', () => {
  it('adds a dated rate, corrects it in place and removes it, each step in the audit log', async () => {
    await saveFxRate({ ...key, rate: '1.1250' }, context);
    await saveFxRate({ ...key, rate: ' 1.13 ' }, context);
    expect((await listFxRates()).filter((r) => r.validFrom === validFrom && r.toCurrency === 'CHF')).toEqual([
      expect.objectContaining({ ...key, rate: '1.13', createdBy: 'admin@syncwright.example' }),
    ]);
    await deleteFxRate(key, context);
    expect((await listFxRates()).some((r) => r.validFrom === validFrom && r.toCurrency === 'CHF')).toBe(false);
    const events = await db().auditEvent.findMany({
      where: { targetType: 'FxRate', targetId: `GBP→CHF from ${validFrom}` },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ['fx_rate.added', null, { rate: '1.125' }],
      ['fx_rate.corrected', { rate: '1.125' }, { rate: '1.13' }],
      ['fx_rate.removed', { rate: '1.13' }, null],
    ]);
  });

  it('refuses a rate that is not a positive decimal, a pair of one currency, or a bad day, in words', async () => {
    await expect(saveFxRate({ ...key, rate: '0' }, context)).rejects.toThrow('The rate must be more than zero.');
    await expect(saveFxRate({ ...key, rate: '1.2e3' }, context)).rejects.toThrow('decimal number');
    await expect(saveFxRate({ ...key, toCurrency: 'GBP', rate: '1' }, context)).rejects.toThrow(
      'Choose two different currencies.',
    );
    await expect(saveFxRate({ ...key, validFrom: '2099-02-30', rate: '1' }, context)).rejects.toThrow('as a date');
    await expect(deleteFxRate({ ...key, validFrom: '2098-01-01' }, context)).rejects.toThrow('No GBP→CHF');
  });
});
