import { defaultShouldDehydrateQuery, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

/**
 * One QueryClient shape for the server (which prefetches and dehydrates) and the browser (which
 * hydrates): data crosses with superjson so dates and decimals survive the trip.
 */
export function makeQueryClient(
  options: { retry?: (count: number, error: unknown) => boolean; onError?: (error: unknown) => void } = {},
): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: options.onError }),
    mutationCache: new MutationCache({ onError: options.onError }),
    defaultOptions: {
      queries: { staleTime: 15_000, ...(options.retry ? { retry: options.retry } : {}) },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === 'pending',
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
