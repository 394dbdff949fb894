import type { inferRouterInputs } from '@trpc/server';
import { createLoader, parseAsString, type inferParserType } from 'nuqs/server';
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

/**
 * The filters that are set; an empty field filters nothing. Values are not checked here: the
 * server refuses a bad one (a malformed date, say) with a message the page shows.
 */
export function auditFilters(values: AuditFilterValues): AuditFilters {
  const set = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  // The sync writes most of the log; by default the page shows what people did.
  return { ...set, source: set.source ?? 'people' } as AuditFilters;
}

/** The list input for the URL's filters, the same for the server prefetch and the client query. */
export function auditListInput(values: AuditFilterValues): AuditListInput {
  return { ...auditFilters(values), limit: AUDIT_PAGE_SIZE };
}
