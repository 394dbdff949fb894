'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, splitLink, TRPCClientError } from '@trpc/client';
import { NuqsAdapter } from 'nuqs/adapters/next/app';
import { useState, type ReactNode } from 'react';
import { Toaster } from 'sonner';
import superjson from 'superjson';
import { makeQueryClient } from '@/lib/query-client';
import type { AppRouter } from '@/server/api/root';
import { TRPCProvider } from './trpc/trpc';
import { MAX_BATCH_SIZE } from '@/lib/trpc-limits';
import { BACKGROUND_REQUEST_HEADER } from '@/lib/background-request';

/** A request refused because the session ended (idle, disabled, signed out elsewhere) → sign in. */
function onError(error: unknown) {
  if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') {
    // A full page load, not a client navigation: nothing cached for the ended session survives.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/signin?reason=signed_out');
  }
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() =>
    makeQueryClient({
      onError,
      // A refusal (4xx) will not change on retry; a server or network failure may.
      retry: (count, error) => !(error instanceof TRPCClientError && error.data?.httpStatus < 500) && count < 2,
    }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.context.background === true,
          true: httpBatchLink({
            url: '/api/trpc',
            transformer: superjson,
            maxItems: MAX_BATCH_SIZE,
            headers: { [BACKGROUND_REQUEST_HEADER]: '1' },
          }),
          false: httpBatchLink({ url: '/api/trpc', transformer: superjson, maxItems: MAX_BATCH_SIZE }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <NuqsAdapter>{children}</NuqsAdapter>
        <Toaster richColors position="top-right" />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
