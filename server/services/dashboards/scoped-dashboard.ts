import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import {
  DEFAULT_REPORTING_CURRENCY,
  resolveDashboardScope,
  type DashboardFilters,
  type DashboardScope,
} from './dashboard-scope';

/** The scope of a dashboard query; a bad filter is refused with the scope's own message. */
export async function scopeOrRefuse(filters: DashboardFilters, now: Date): Promise<DashboardScope> {
  const result = await resolveDashboardScope(db(), filters, now);
  if (!result.ok) throw new AppError('BAD_REQUEST', result.message);
  return result.scope;
}

export const entityIds = (scope: DashboardScope): string[] => scope.entities.map((e) => e.id);

/** The first instant after the scope's last day (days are UTC). */
export const endOfRange = (scope: DashboardScope): Date => new Date(Date.parse(`${scope.to}T00:00:00Z`) + 86_400_000);
export const startOfRange = (scope: DashboardScope): Date => new Date(`${scope.from}T00:00:00Z`);

export interface DashboardScopeView {
  /** What the filter bar offers: every entity, region and reporting currency of the firm. */
  options: {
    entities: { id: string; name: string; region: string }[];
    regions: string[];
    currencies: string[];
  };
  scope: DashboardScope | null;
  /** Why the URL's filters cannot be shown, when they cannot. */
  message: string | null;
}

export async function dashboardScopeView(filters: DashboardFilters, now: Date): Promise<DashboardScopeView> {
  const [all, result] = await Promise.all([
    resolveDashboardScope(db(), {}, now),
    resolveDashboardScope(db(), filters, now),
  ]);
  const entities = all.ok ? all.scope.entities : [];
  return {
    options: {
      entities: entities.map(({ id, name, region }) => ({ id, name, region })),
      regions: [...new Set(entities.map((e) => e.region))].sort(),
      currencies: [...new Set([DEFAULT_REPORTING_CURRENCY, ...entities.map((e) => e.currency)])].sort(),
    },
    scope: result.ok ? result.scope : null,
    message: result.ok ? null : result.message,
  };
}
