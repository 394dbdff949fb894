import { z } from 'zod';
import type { Db } from '@/server/db/client';
import { currencySchema } from '@/server/domain/money';

/** Where a legal entity's country lies, for the dashboards' region filter and breakdowns. */
const REGION_OF_COUNTRY: Record<string, string> = { US: 'Americas', CA: 'Americas', GB: 'EMEA', DE: 'EMEA' };
export const DEFAULT_REGION = 'Other';
export const regionOf = (country: string): string => REGION_OF_COUNTRY[country] ?? DEFAULT_REGION;

export const DEFAULT_REPORTING_CURRENCY = 'USD';
const DEFAULT_RANGE_DAYS = 84; // twelve weeks, the span of the trends

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** The dashboards' filters as they arrive from the URL: each optional, checked against the firm by `resolveDashboardScope`. */
export const dashboardFiltersSchema = z.object({
  entity: z.string().max(40).optional(),
  region: z.string().max(40).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  currency: currencySchema.optional(),
});
export type DashboardFilters = z.infer<typeof dashboardFiltersSchema>;

export interface ScopedEntity {
  id: string;
  name: string;
  currency: string;
  region: string;
}

/** The filters resolved: the entities in view, the reporting currency and a closed day range. */
export interface DashboardScope {
  entities: ScopedEntity[];
  reportingCurrency: string;
  from: string;
  to: string;
}

export type ScopeResult = { ok: true; scope: DashboardScope } | { ok: false; message: string };

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** Resolves URL filters against the firm; an unknown entity, region or currency, or a reversed range, is a message, never an empty dashboard. */
export async function resolveDashboardScope(
  db: Db,
  filters: DashboardFilters,
  now: Date = new Date(),
): Promise<ScopeResult> {
  const all = (await db.legalEntity.findMany({ orderBy: { id: 'asc' } })).map((e) => ({
    id: e.id,
    name: e.name,
    currency: e.currency,
    region: regionOf(e.country),
  }));
  if (filters.entity && !all.some((e) => e.id === filters.entity))
    return { ok: false, message: `Unknown legal entity “${filters.entity}”.` };
  if (filters.region && !all.some((e) => e.region === filters.region))
    return { ok: false, message: `Unknown region “${filters.region}”.` };
  const reportingCurrency = filters.currency ?? DEFAULT_REPORTING_CURRENCY;
  if (reportingCurrency !== DEFAULT_REPORTING_CURRENCY && !all.some((e) => e.currency === reportingCurrency))
    return { ok: false, message: `${reportingCurrency} is not a reporting currency of this firm.` };
  const to = filters.to ?? dayOf(now);
  const from = filters.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - DEFAULT_RANGE_DAYS * 86_400_000));
  if (from > to) return { ok: false, message: `The date range ends (${to}) before it starts (${from}).` };
  const entities = all.filter(
    (e) => (!filters.entity || e.id === filters.entity) && (!filters.region || e.region === filters.region),
  );
  if (entities.length === 0) return { ok: false, message: 'No legal entity matches these filters.' };
  return { ok: true, scope: { entities, reportingCurrency, from, to } };
}
