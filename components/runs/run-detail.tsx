'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { LocalTime, TimeZoneNote } from '@/components/ui/local-time';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import { RunRecords } from '@/components/trace/run-records';
import { ElapsedSince } from './elapsed-since';
import { formatDuration } from './format-duration';
import { batchCount, LAG_HELP, runStatusView, shownLagSeconds, TRIGGER_LABEL } from './run-status';
import { backgroundRequest } from '@/lib/background-request';

const OUTCOME_LABEL: Record<string, string> = {
  delivered: 'Delivered',
  noop: 'No change needed',
  exception: 'Held as exception',
  skipped: 'Skipped',
};

/** One run: what it read and what became of each record, its exceptions, its timings and its error in full. */
export function RunDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(
    trpc.runs.byId.queryOptions(
      { id },
      // While it runs, its counts grow with each committed batch.
      { ...backgroundRequest, refetchInterval: (query) => (query.state.data?.status === 'running' ? 5_000 : false) },
    ),
  );
  const back = (
    <Link href="/runs" className="mb-3 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
      <ArrowLeft className="size-4" aria-hidden /> Sync runs
    </Link>
  );
  if (run.isPending) return <Loading label="Loading the run…" />;
  if (run.isError) {
    return (
      <>
        {back}
        <ErrorState message={errorMessage(run.error)} onRetry={() => void run.refetch()} />
      </>
    );
  }
  const r = run.data;
  const status = runStatusView(r);
  const lag = shownLagSeconds(r);
  const running = r.status === 'running';
  return (
    <>
      {back}
      <PageHeader
        title={`${r.routineLabel} run`}
        description={`${r.connectionName ?? 'Deleted connection'} · ${r.legalEntityId}${r.legalEntityName ? ` (${r.legalEntityName})` : ''} · ${TRIGGER_LABEL[r.trigger] ?? r.trigger}`}
        actions={<Badge tone={status.tone}>{status.label}</Badge>}
      />

      {r.error ? (
        <Card className="mb-6 border-red-200 p-4">
          <h2 className="text-sm font-semibold text-red-900">Why it {r.status === 'failed' ? 'failed' : 'stopped'}</h2>
          <pre className="mt-2 whitespace-pre-wrap break-words font-mono text-xs text-red-900">{r.error}</pre>
        </Card>
      ) : null}

      <div className="grid gap-6 md:grid-cols-2">
        <Card className="p-4">
          <h2 className="font-semibold">Records</h2>
          <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm">
            <Fact label={running ? 'Read so far' : 'Read'}>{r.recordsRead.toLocaleString('en')}</Fact>
            <Fact label={running ? 'Committed so far' : 'Committed'}>{batchCount(r.batches)}</Fact>
            <Fact label="Delivered">{r.delivered.toLocaleString('en')}</Fact>
            <Fact label="No change needed">{r.noop.toLocaleString('en')}</Fact>
            <Fact label="Exceptions">
              {r.exceptions > 0 ? (
                <Link href={`/exceptions?run=${r.id}`} className="font-medium text-amber-800 underline">
                  {r.exceptions.toLocaleString('en')} exception{r.exceptions === 1 ? '' : 's'} of this run
                </Link>
              ) : (
                'None'
              )}
            </Fact>
          </dl>
          <h3 className="mt-5 text-sm font-semibold">In the ledger, by outcome</h3>
          {r.outcomes.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">No record of this run reached the ledger.</p>
          ) : (
            <ul aria-label="Ledger outcomes" className="mt-2 divide-y divide-slate-100 text-sm">
              {r.outcomes.map((o) => (
                <li key={o.outcome} className="flex justify-between py-1.5">
                  <span>{OUTCOME_LABEL[o.outcome] ?? o.outcome}</span>
                  <span className="tabular-nums">{o.count.toLocaleString('en')}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card className="p-4">
          <h2 className="font-semibold">Timings</h2>
          <p className="text-xs text-slate-500">
            <TimeZoneNote />
          </p>
          <dl className="mt-3 grid grid-cols-2 gap-y-2 text-sm">
            <Fact label="Started">
              <LocalTime value={r.startedAt} />
            </Fact>
            <Fact label="Finished">{running ? 'Still running' : <LocalTime value={r.finishedAt} />}</Fact>
            <Fact label="Duration">
              {r.durationMs !== null ? (
                formatDuration(r.durationMs)
              ) : running ? (
                <>
                  <ElapsedSince since={r.startedAt} /> so far
                </>
              ) : (
                '—'
              )}
            </Fact>
            <Fact label="First record settled">
              <LocalTime value={r.firstRecordAt} />
            </Fact>
            <Fact label="Last record settled">
              <LocalTime value={r.lastRecordAt} />
            </Fact>
            <Fact label="Lag">
              <span title={LAG_HELP}>{lag === null ? 'None (read nothing)' : formatDuration(lag * 1000)}</span>
            </Fact>
          </dl>
          <p className="mt-3 text-xs text-slate-500">{LAG_HELP}</p>
        </Card>
      </div>
      <RunRecords runId={id} />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right tabular-nums">{children}</dd>
    </>
  );
}
