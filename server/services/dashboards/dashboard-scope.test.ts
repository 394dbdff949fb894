import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { dashboardFiltersSchema, regionOf, resolveDashboardScope } from './dashboard-scope';

// The test database is shared: this file's entity has its own id (and a currency no other entity bills in).
const entity = `LE-${randomUUID().slice(0, 8)}`;
const NOW = new Date('2026-03-15T10:00:00Z');

beforeAll(async () => {
  await db().legalEntity.create({
    data: { id: entity, name: 'Scope Test GmbH', country: 'DE', currency: 'CHF', taxRegime: 'VAT' },
  });
  await db().legalEntity.create({
    data: { id: `${entity}-US`, name: 'Scope Test Inc', country: 'US', currency: 'USD', taxRegime: 'SALES' },
  });
});

describe('resolveDashboardScope', () => {
  it('narrows to one entity, with its region and currency, and defaults to the twelve weeks up to today', async () => {
    const result = await resolveDashboardScope(db(), { entity, currency: 'CHF' }, NOW);
    expect(result).toEqual({
      ok: true,
      scope: {
        entities: [{ id: entity, name: 'Scope Test GmbH', currency: 'CHF', region: 'EMEA' }],
        reportingCurrency: 'CHF',
        from: '2025-12-21',
        to: '2026-03-15',
      },
    });
  });

  it('a region keeps exactly the entities whose country lies in it', async () => {
    const result = await resolveDashboardScope(db(), { region: 'EMEA' }, NOW);
    if (!result.ok) throw new Error(result.message);
    expect(result.scope.entities.map((e) => e.id)).toContain(entity);
    expect(result.scope.entities.every((e) => e.region === 'EMEA')).toBe(true);
    expect(result.scope.reportingCurrency).toBe('USD');
  });

  it('an unknown entity, region or currency is a message naming it', async () => {
    expect(await resolveDashboardScope(db(), { entity: 'NOPE' }, NOW)).toEqual({
      ok: false,
      message: 'Unknown legal entity “NOPE”.',
    });
    expect(await resolveDashboardScope(db(), { region: 'Atlantis' }, NOW)).toEqual({
      ok: false,
      message: 'Unknown region “Atlantis”.',
    });
    expect(await resolveDashboardScope(db(), { currency: 'XTS' }, NOW)).toEqual({
      ok: false,
      message: 'XTS is not a reporting currency of this firm.',
    });
  });

  it('a range that ends before it starts is a message, as is an end before the default start', async () => {
    expect(await resolveDashboardScope(db(), { from: '2026-03-10', to: '2026-03-01' }, NOW)).toEqual({
      ok: false,
      message: 'The date range ends (2026-03-01) before it starts (2026-03-10).',
    });
    const onlyTo = await resolveDashboardScope(db(), { to: '2026-01-01' }, NOW);
    expect(onlyTo.ok && onlyTo.scope.from).toBe('2025-10-09');
  });

  it('an entity outside the chosen region leaves nothing, which is said', async () => {
    expect(await resolveDashboardScope(db(), { entity, region: 'Americas' }, NOW)).toEqual({
      ok: false,
      message: 'No legal entity matches these filters.',
    });
  });
});

describe('dashboardFiltersSchema', () => {
  it('refuses a malformed date or currency before the database is asked', () => {
    expect(dashboardFiltersSchema.safeParse({ from: '15/03/2026' }).success).toBe(false);
    expect(dashboardFiltersSchema.safeParse({ currency: 'usd' }).success).toBe(false);
    expect(dashboardFiltersSchema.safeParse({ entity: 'x'.repeat(41) }).success).toBe(false);
    expect(dashboardFiltersSchema.parse({ entity: 'UK', from: '2026-01-01' })).toEqual({
      entity: 'UK',
      from: '2026-01-01',
    });
  });
});

describe('regionOf', () => {
  it('places known countries and puts the rest under Other', () => {
    expect([regionOf('US'), regionOf('GB'), regionOf('JP')]).toEqual(['Americas', 'EMEA', 'Other']);
  });
});
