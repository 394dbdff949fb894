import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ExceptionDetail } from '@/components/exceptions/exception-detail';
import { isUuid } from '@/lib/uuid';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Exception' };

export default async function ExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser('exceptions.view');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const queryClient = getServerQueryClient();
  try {
    await queryClient.fetchQuery(trpcServer.exception.byId.queryOptions({ id }));
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
  await queryClient.prefetchQuery(trpcServer.exception.history.queryOptions({ id }));
  return (
    <Hydrate>
      <ExceptionDetail id={id} me={{ id: user.id, email: user.email }} />
    </Hydrate>
  );
}
