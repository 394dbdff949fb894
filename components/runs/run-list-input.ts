import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, type inferParserType } from 'nuqs/server';
import type { AppRouter } from '@/server/api/root';

type RunListInput = inferRouterInputs<AppRouter>['runs']['list'];

export const RUNS_PAGE_SIZE = 50;

/**
 * The page's URL parameters. The client reads them with `useQueryStates` and the server page with
 * `loadRunFilters`, so both parse the URL alike (a repeated parameter counts by its first value).
 */
export const RUN_FILTERS = {
  routine: parseAsString.withDefault(''),
  entity: parseAsString.withDefault(''),
  status: parseAsString.withDefault(''),
  trigger: parseAsString.withDefault(''),
  /** `all` for every run; otherwise the page shows the runs that need attention. */
  view: parseAsString.withDefault(''),
};
export type RunFilterValues = inferParserType<typeof RUN_FILTERS>;

export const loadRunFilters = createLoader(RUN_FILTERS);

/** The list filter each URL parameter stands for. */
const FILTER_FIELDS = {
  routine: 'routine',
  entity: 'legalEntityId',
  status: 'status',
  trigger: 'trigger',
} as const satisfies Record<Exclude<keyof RunFilterValues, 'view'>, keyof RunListInput>;

/**
 * The list input for the URL's filters. The server page builds the same one to prefetch, so the
 * client finds its first page already there. Values are not checked here: the server refuses a
 * bad one with a message the page shows.
 */
export function runListInput(filters: RunFilterValues): RunListInput {
  const input: Record<string, string | number | boolean> = { limit: RUNS_PAGE_SIZE };
  if (filters.view !== 'all') input.attention = true;
  for (const [param, field] of Object.entries(FILTER_FIELDS)) {
    const value = filters[param as keyof typeof FILTER_FIELDS];
    if (value) input[field] = value;
  }
  return input as RunListInput;
}
