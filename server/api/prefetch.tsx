import 'server-only';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { cache, type ReactNode } from 'react';
import { makeQueryClient } from '@/lib/query-client';
import { createRequestContext } from './context';
import { appRouter } from './root';

/** One QueryClient per server request. */
const requestQueryClient = cache(makeQueryClient);

/** tRPC query options for server components: prefetch here, the client component hydrates. */
export const trpcServer = createTRPCOptionsProxy({
  router: appRouter,
  ctx: createRequestContext,
  queryClient: requestQueryClient,
});

export function getServerQueryClient() {
  return requestQueryClient();
}

/** Hands what this request prefetched to the client components below it. */
export function Hydrate({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(requestQueryClient())}>{children}</HydrationBoundary>;
}
