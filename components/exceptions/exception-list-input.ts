import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, type inferParserType } from 'nuqs/server';
import {
  EXCEPTION_AGES,
  EXCEPTION_KINDS,
  EXCEPTION_PRIORITIES,
  EXCEPTION_ROUTINES,
  EXCEPTION_SORTS,
  EXCEPTION_STATUSES,
  EXCEPTION_TEAMS,
} from '@/lib/exception-queue-values';
import type { AppRouter } from '@/server/api/root';

type ExceptionListInput = inferRouterInputs<AppRouter>['exceptions']['list'];
export type ExceptionFilterInput = inferRouterInputs<AppRouter>['exceptions']['facets'];

export const EXCEPTIONS_PAGE_SIZE = 50;

/**
 * The queue's URL parameters; lists are comma-separated (`status=open,assigned`). The client reads
 * them with `useQueryStates` and the server page with `loadExceptionFilters`, so both parse alike.
 */
export const EXCEPTION_FILTERS = {
  status: parseAsString.withDefault(''),
  team: parseAsString.withDefault(''),
  assignee: parseAsString.withDefault(''),
  code: parseAsString.withDefault(''),
  routine: parseAsString.withDefault(''),
  entity: parseAsString.withDefault(''),
  kind: parseAsString.withDefault(''),
  priority: parseAsString.withDefault(''),
  age: parseAsString.withDefault(''),
  overdue: parseAsString.withDefault(''),
  q: parseAsString.withDefault(''),
  run: parseAsString.withDefault(''),
  sort: parseAsString.withDefault(''),
};
export type ExceptionFilterValues = inferParserType<typeof EXCEPTION_FILTERS>;
export type ExceptionFilterParam = keyof ExceptionFilterValues;

export const loadExceptionFilters = createLoader(EXCEPTION_FILTERS);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Z0-9_]{2,60}$/;
const ENTITY = /^[A-Za-z0-9_-]{1,50}$/;

const oneOf =
  (values: readonly string[]) =>
  (v: string): boolean =>
    values.includes(v);

/** How each parameter's values are checked; a list parameter checks each of its items. */
const PARAMS: Record<
  Exclude<ExceptionFilterParam, 'sort'>,
  { field: keyof ExceptionListInput; list: boolean; valid: (v: string) => boolean }
> = {
  status: { field: 'status', list: true, valid: oneOf(EXCEPTION_STATUSES) },
  team: { field: 'team', list: true, valid: oneOf(EXCEPTION_TEAMS) },
  assignee: { field: 'assignee', list: false, valid: (v) => v === 'me' || v === 'unassigned' || UUID.test(v) },
  code: { field: 'code', list: true, valid: (v) => CODE.test(v) },
  routine: { field: 'routine', list: true, valid: oneOf(EXCEPTION_ROUTINES) },
  entity: { field: 'legalEntityId', list: true, valid: (v) => ENTITY.test(v) },
  kind: { field: 'kind', list: false, valid: oneOf(EXCEPTION_KINDS) },
  priority: { field: 'priority', list: true, valid: oneOf(EXCEPTION_PRIORITIES) },
  age: { field: 'age', list: false, valid: oneOf(EXCEPTION_AGES) },
  overdue: { field: 'overdue', list: false, valid: (v) => v === 'true' || v === 'false' },
  q: { field: 'q', list: false, valid: (v) => v.trim().length >= 2 && v.length <= 200 },
  run: { field: 'runId', list: false, valid: (v) => UUID.test(v) },
};

export const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The filters for the URL's parameters, and the parameters whose values were not understood:
 * those are left out (the page resets them and says so) rather than failing the whole list.
 */
export function exceptionFilterInput(filters: ExceptionFilterValues): {
  input: ExceptionFilterInput;
  rejected: ExceptionFilterParam[];
} {
  const input: Record<string, unknown> = {};
  const rejected: ExceptionFilterParam[] = [];
  for (const [param, spec] of Object.entries(PARAMS)) {
    const raw = filters[param as ExceptionFilterParam];
    if (!raw) continue;
    if (spec.list) {
      const items = splitList(raw);
      if (items.length === 0 || items.length > 20 || !items.every(spec.valid))
        rejected.push(param as ExceptionFilterParam);
      else input[spec.field] = items;
    } else if (!spec.valid(raw)) rejected.push(param as ExceptionFilterParam);
    else input[spec.field] = param === 'overdue' ? raw === 'true' : param === 'q' ? raw.trim() : raw;
  }
  if (filters.sort && !oneOf(EXCEPTION_SORTS)(filters.sort)) rejected.push('sort');
  return { input: input as ExceptionFilterInput, rejected };
}

/** The list input for the URL: its filters, its sort, the page size. */
export function exceptionListInput(filters: ExceptionFilterValues): ExceptionListInput {
  const { input } = exceptionFilterInput(filters);
  const sort = oneOf(EXCEPTION_SORTS)(filters.sort) ? (filters.sort as ExceptionListInput['sort']) : undefined;
  return { ...input, ...(sort ? { sort } : {}), limit: EXCEPTIONS_PAGE_SIZE };
}
