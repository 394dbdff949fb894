import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { TraceSearch } from '@/components/trace/trace-search';
import { PageHeader } from '@/components/ui/page-header';
import { getServerQueryClient, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Record trace' };

/** The trace search: an external id, an exception id or a trace key opens that record's trace. */
export default async function TraceSearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  await requireUser('runs.view');
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  let problem: string | null = null;
  let traceKey: string | null = null;
  if (q) {
    try {
      ({ traceKey } = await getServerQueryClient().fetchQuery(trpcServer.trace.resolve.queryOptions({ q })));
    } catch (err) {
      if (!(err instanceof TRPCError) || (err.code !== 'NOT_FOUND' && err.code !== 'BAD_REQUEST')) throw err;
      problem = err.message;
    }
  }
  if (traceKey) redirect(`/trace/${traceKey}`);
  return (
    <>
      <PageHeader
        title="Record trace"
        description="Follow one business object end to end: the deal, its customer and project, the approved work and milestones, the invoice items and invoices, and the payments."
      />
      <TraceSearch defaultValue={q} />
      {problem ? (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </>
  );
}
