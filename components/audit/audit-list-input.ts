import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, type inferParserType } from 'nuqs/server';
import { knownFilterValues } from '@/components/ui/known-filter-values';
import type { AppRouter } from '@/server/api/root';

type AuditListInput = inferRouterInputs<AppRouter>['audit']['list'];
type AuditFilters = inferRouterInputs<AppRouter>['audit']['startExport'];

/** Audit events per page; the server prefetches the first page with the same size. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * The page's URL parameters. The client reads them with `useQueryStates`, the server page and the
 * CSV export with `loadAuditFilters`, so all three parse the URL alike.
 */
export const AUDIT_FILTERS = {
  actor: parseAsString.withDefault(''),
  action: parseAsString.withDefault(''),
  targetType: parseAsString.withDefault(''),
  targetId: parseAsString.withDefault(''),
  from: parseAsString.withDefault(''),
  to: parseAsString.withDefault(''),
  /** Whose actions: people's when unset, `system` for the sync's own writes, `all` for both. */
  source: parseAsString.withDefault(''),
};
export type AuditFilterValues = inferParserType<typeof AUDIT_FILTERS>;

export const loadAuditFilters = createLoader(AUDIT_FILTERS);

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
// The server's length limits on the free-text filters.
const fits = (value: string, max: number) => (value.length <= max ? [value] : []);

/**
 * The URL's filters with any value the server would refuse (a malformed date, an unknown source, an
 * over-long text) reset, and a short notice naming them: a stale or mistyped link still opens the log.
 */
export function knownAuditFilters(values: AuditFilterValues) {
  return knownFilterValues(
    values,
    {
      source: ['people', 'system', 'all'],
      from: isDay(values.from) ? [values.from] : [],
      to: isDay(values.to) ? [values.to] : [],
      actor: fits(values.actor, 200),
      action: fits(values.action, 100),
      targetType: fits(values.targetType, 100),
      targetId: fits(values.targetId, 200),
    },
    {
      source: 'source',
      from: 'from date',
      to: 'to date',
      actor: 'actor',
      action: 'action',
      targetType: 'target type',
      targetId: 'target id',
    },
  );
}

/** The filters that are set, bad values reset; an empty field filters nothing. */
export function auditFilters(values: AuditFilterValues): AuditFilters {
  const { known } = knownAuditFilters(values);
  const set = Object.fromEntries(Object.entries(known).filter(([, value]) => value !== ''));
  // The sync writes most of the log; by default the page shows what people did.
  return { ...set, source: set.source ?? 'people' } as AuditFilters;
}

/** The list input for the URL's filters, the same for the server prefetch and the client query. */
export function auditListInput(values: AuditFilterValues): AuditListInput {
  return { ...auditFilters(values), limit: AUDIT_PAGE_SIZE };
}
