import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, parseAsStringLiteral, type inferParserType } from 'nuqs/server';
import type { AppRouter } from '@/server/api/root';

type UserListInput = inferRouterInputs<AppRouter>['users']['list'];

export const USER_STATUSES = ['all', 'active', 'disabled'] as const;
export type UserStatusFilter = (typeof USER_STATUSES)[number];

/**
 * The page's URL parameters. The client reads them with `useQueryStates` and the server page with
 * `loadUserFilters`, so both read an unknown status as "all".
 */
export const USER_FILTERS = {
  q: parseAsString.withDefault(''),
  status: parseAsStringLiteral(USER_STATUSES).withDefault('all'),
};
export type UserFilterValues = inferParserType<typeof USER_FILTERS>;

export const loadUserFilters = createLoader(USER_FILTERS);

/** The list input for the URL's filters, the same for the server prefetch and the client query. */
export function userListInput(filters: UserFilterValues): UserListInput {
  return { search: filters.q || undefined, status: filters.status };
}
