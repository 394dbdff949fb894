import type { InfiniteData } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/error-message';
import { ErrorState, Loading } from './states';

/**
 * A list as a query holds it: the whole list, or, for an infinite query, pages of `items` (the
 * shape every paginated list procedure returns).
 */
type ListData<TItem> = TItem[] | InfiniteData<{ items: TItem[] }, unknown>;

/** What the chain reads of a TanStack query, regular or infinite. */
export interface ListQueryStatus<TItem> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: ListData<TItem> | undefined;
  refetch: () => unknown;
}

/**
 * A list query's first load, its failure (with "Try again"), its empty result, then its items.
 * `children` is a function so it only runs once there are items to render; for an infinite query
 * it gets the items of every page loaded so far, in order.
 */
export function QueryStates<TItem>({
  query,
  loadingLabel,
  empty,
  children,
}: {
  query: ListQueryStatus<TItem>;
  loadingLabel: string;
  /** Shown instead of `children` when the list is empty; without it an empty list renders as one. */
  empty?: ReactNode;
  children: (items: TItem[]) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  // A settled query without data has failed; TanStack Query never resolves a query to undefined.
  if (query.isError || query.data === undefined) {
    return <ErrorState message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  const items = Array.isArray(query.data) ? query.data : query.data.pages.flatMap((page) => page.items);
  if (items.length === 0 && empty !== undefined) return <>{empty}</>;
  return <>{children(items)}</>;
}
