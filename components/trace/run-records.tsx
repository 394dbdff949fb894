'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc/trpc';
import { Card } from '@/components/ui/card';
import { QueryStates } from '@/components/ui/query-states';
import { SYSTEM_LABELS } from '@/lib/system-labels';

const systemLabel = (system: string) => SYSTEM_LABELS[system as keyof typeof SYSTEM_LABELS] ?? system;

/** A run's records, each linking to the trace of its business object. */
export function RunRecords({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const records = useQuery(trpc.trace.runRecords.queryOptions({ runId }));
  return (
    <Card className="mt-6 p-4">
      <h2 className="font-semibold">Records</h2>
      <p className="text-xs text-slate-500">The first 100 records the run settled; each opens its record’s trace.</p>
      <QueryStates
        query={records}
        loadingLabel="Loading the run’s records…"
        empty={<p className="mt-2 text-sm text-slate-600">No records to show.</p>}
      >
        {(items) => (
          <ul aria-label="Run records" className="mt-2 divide-y divide-slate-100 text-sm">
            {items.map((r) => (
              <li key={r.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                <span>
                  {systemLabel(r.source.system)} {r.source.objectType}{' '}
                  {r.traceKey ? (
                    <Link href={`/trace/${r.traceKey}`} className="text-brand-700 underline">
                      {r.source.externalId}
                    </Link>
                  ) : (
                    <code>{r.source.externalId}</code>
                  )}
                  {r.target ? ` → ${systemLabel(r.target.system)} ${r.target.objectType} ${r.target.externalId}` : ''}
                </span>
                <span className="text-slate-600">{r.outcome === 'exception' ? r.reason : r.outcome}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
    </Card>
  );
}
