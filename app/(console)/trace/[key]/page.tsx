import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RecordTrace } from '@/components/trace/record-trace';
import { isUuid } from '@/lib/uuid';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Record trace' };

export default async function TracePage({ params }: { params: Promise<{ key: string }> }) {
  await requireUser('runs.view');
  const { key } = await params;
  if (!isUuid(key)) notFound();
  try {
    await getServerQueryClient().fetchQuery(trpcServer.trace.byKey.queryOptions({ key }));
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
  return (
    <Hydrate>
      <RecordTrace traceKey={key} />
    </Hydrate>
  );
}
