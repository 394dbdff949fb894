import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type RunListInput = inferRouterInputs<AppRouter>['runs']['list'];

export const RUNS_PAGE_SIZE = 50;

/** The page's URL parameters and the list filters they stand for. */
export const RUN_FILTER_PARAMS = {
  routine: 'routine',
  entity: 'legalEntityId',
  status: 'status',
  trigger: 'trigger',
} as const;
export type RunFilterParam = keyof typeof RUN_FILTER_PARAMS;

/**
 * The list input for the URL's filters. The server page builds the same one to prefetch, so the
 * client finds its first page already there. Values are not checked here: the server refuses a
 * bad one with a message the page shows.
 */
export function runListInput(params: Partial<Record<RunFilterParam, string | undefined>>): RunListInput {
  const input: Record<string, string | number> = { limit: RUNS_PAGE_SIZE };
  for (const [param, field] of Object.entries(RUN_FILTER_PARAMS)) {
    const value = params[param as RunFilterParam];
    if (value) input[field] = value;
  }
  return input as RunListInput;
}
