import { useMemo, useSyncExternalStore } from 'react';

/**
 * The queue a person was working through, kept for the tab (sessionStorage) so the detail page can
 * step to the next or previous exception of that same list, and lead back to it with its filters.
 */
export interface QueueOrder {
  /** The ids the queue had loaded, in its order. */
  ids: string[];
  /** The queue's query string, filters and sort ("?code=…&entity=UK", or ""). */
  search: string;
}

export interface QueuePosition {
  previous: string | null;
  next: string | null;
  /** 1-based place of the exception in the list. */
  position: number;
  total: number;
  search: string;
}

const KEY = 'syncwright.exceptions.queue';

export function rememberQueue(order: QueueOrder): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(order));
  } catch {
    // Storage full or disabled: the detail page simply offers no next/previous.
  }
}

/** The remembered queue, or null when there is none or it is not one this page wrote. */
export function recalledQueue(raw: string | null): QueueOrder | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { ids, search } = value as Record<string, unknown>;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string') || typeof search !== 'string') return null;
    // Only a query string of the queue's own page is followed back.
    if (search !== '' && !search.startsWith('?')) return null;
    return { ids, search };
  } catch {
    return null;
  }
}

/** Where `id` sits in the remembered queue; null when it is not in it (opened from elsewhere). */
export function queuePosition(order: QueueOrder | null, id: string): QueuePosition | null {
  const index = order ? order.ids.indexOf(id) : -1;
  if (!order || index < 0) return null;
  return {
    previous: order.ids[index - 1] ?? null,
    next: order.ids[index + 1] ?? null,
    position: index + 1,
    total: order.ids.length,
    search: order.search,
  };
}

const noSubscription = () => () => {};

function readRememberedQueue(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Where `id` sits in the queue this tab last showed; null on the server and in the first render
 *  (so both render the same markup), and for an exception opened from elsewhere. */
export function useQueuePosition(id: string): QueuePosition | null {
  const raw = useSyncExternalStore(noSubscription, readRememberedQueue, () => null);
  return useMemo(() => queuePosition(recalledQueue(raw), id), [raw, id]);
}
