import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, type inferParserType } from 'nuqs/server';
import type { AppRouter } from '@/server/api/root';

export type DashboardInput = inferRouterInputs<AppRouter>['dashboards']['scope'];

/** The dashboards' URL parameters, read alike by the server page (`loadDashboardFilters`) and the client. */
export const DASHBOARD_FILTERS = {
  entity: parseAsString.withDefault(''),
  region: parseAsString.withDefault(''),
  from: parseAsString.withDefault(''),
  to: parseAsString.withDefault(''),
  currency: parseAsString.withDefault(''),
};
export type DashboardFilterValues = inferParserType<typeof DASHBOARD_FILTERS>;

export const loadDashboardFilters = createLoader(DASHBOARD_FILTERS);

/** The query input for the URL's filters; values are checked by the server, which says what is wrong. */
export function dashboardInput(filters: DashboardFilterValues): DashboardInput {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) input[key] = value;
  return input as DashboardInput;
}
