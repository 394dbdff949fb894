'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatDuration } from '@/components/runs/format-duration';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { LocalTime, TimeZoneNote } from '@/components/ui/local-time';
import { PageHeader } from '@/components/ui/page-header';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { SYSTEM_LABELS } from '@/lib/system-labels';
import { TraceSearch } from './trace-search';

const OUTCOME: Record<string, { label: string; tone: 'success' | 'neutral' | 'danger' }> = {
  delivered: { label: 'Delivered', tone: 'success' },
  noop: { label: 'No change needed', tone: 'neutral' },
  exception: { label: 'Held as exception', tone: 'danger' },
};

const systemLabel = (system: string) => SYSTEM_LABELS[system as keyof typeof SYSTEM_LABELS] ?? system;

/** One business object followed across the systems: each stage, its records, and the exceptions on the way. */
export function RecordTrace({ traceKey }: { traceKey: string }) {
  const trpc = useTRPC();
  const trace = useQuery(trpc.trace.byKey.queryOptions({ key: traceKey }));
  const t = trace.data;
  return (
    <>
      <PageHeader
        title={t ? `Trace of ${t.title}` : 'Record trace'}
        description="One business object from the deal to its payments, as each routine saw it. Hops are measured from one stage's first delivery to the next's."
        actions={<TraceSearch compact />}
      />
      <QueryStates
        query={{ ...trace, data: t?.stages }}
        loadingLabel="Loading the trace…"
        empty={<EmptyState title="Nothing has been synced for this record yet" />}
      >
        {(stages) => (
          <div className="space-y-6">
            <ol className="space-y-4" aria-label="Timeline">
              {stages.map((stage) => (
                <li key={stage.stage}>
                  {stage.hopMs !== null ? (
                    <p className="mb-2 pl-4 text-xs text-slate-500">↓ hop took {formatDuration(stage.hopMs)}</p>
                  ) : null}
                  <Card className="p-4">
                    <section aria-label={stage.label}>
                      <div className="flex flex-wrap items-baseline justify-between gap-2">
                        <h2 className="font-semibold">{stage.label}</h2>
                        <span className="text-sm text-slate-600">
                          {systemLabel(stage.sourceSystem)} → {stage.targetSystems.map(systemLabel).join(', ') || '—'}
                          {' · '}
                          <LocalTime value={stage.firstAt} />
                        </span>
                      </div>
                      <p className="mt-1 text-sm text-slate-600">
                        {stage.counts.delivered} delivered · {stage.counts.noop} no change · {stage.counts.exception}{' '}
                        held
                      </p>
                      <table className="mt-3 w-full text-left text-sm">
                        <thead className="text-xs text-slate-500">
                          <tr>
                            <th className="py-1 pr-3 font-medium">Source record</th>
                            <th className="py-1 pr-3 font-medium">Written as</th>
                            <th className="py-1 pr-3 font-medium">Outcome</th>
                            <th className="py-1 font-medium">Last settled</th>
                          </tr>
                        </thead>
                        <tbody>
                          {stage.records.map((record) => {
                            const outcome = OUTCOME[record.outcome] ?? {
                              label: record.outcome,
                              tone: 'neutral' as const,
                            };
                            return (
                              <tr key={`${record.source.objectType}-${record.source.externalId}`} className="border-t">
                                <td className="py-1.5 pr-3">
                                  {systemLabel(record.source.system)} {record.source.objectType}{' '}
                                  <code className="rounded bg-slate-100 px-1">{record.source.externalId}</code>
                                </td>
                                <td className="py-1.5 pr-3">
                                  {record.targets.length
                                    ? record.targets.map((target) => (
                                        <div key={`${target.system}-${target.externalId}`}>
                                          {systemLabel(target.system)} {target.objectType}{' '}
                                          <code className="rounded bg-slate-100 px-1">{target.externalId}</code>
                                        </div>
                                      ))
                                    : '—'}
                                </td>
                                <td className="py-1.5 pr-3">
                                  <Badge tone={outcome.tone}>{outcome.label}</Badge>
                                  {record.outcome !== 'delivered' && record.reason ? (
                                    <span className="ml-2 text-xs text-slate-600">{record.reason}</span>
                                  ) : null}
                                </td>
                                <td className="py-1.5">
                                  {record.runId ? (
                                    <Link href={`/runs/${record.runId}`} className="text-brand-700 underline">
                                      <LocalTime value={record.lastAt} />
                                    </Link>
                                  ) : (
                                    <LocalTime value={record.lastAt} />
                                  )}
                                  {record.attempts > 1 ? (
                                    <span className="ml-1 text-xs text-slate-500">({record.attempts} times)</span>
                                  ) : null}
                                </td>
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                    </section>
                  </Card>
                </li>
              ))}
            </ol>
            <Card className="p-4">
              <h2 className="font-semibold">Exceptions on the way</h2>
              {t!.exceptions.length ? (
                <ul className="mt-2 space-y-1 text-sm" aria-label="Exceptions on the way">
                  {t!.exceptions.map((e) => (
                    <li key={e.id}>
                      <Link href={`/exceptions/${e.id}`} className="font-medium text-brand-700 underline">
                        {e.code}
                      </Link>{' '}
                      <Badge tone={e.status === 'resolved' || e.status === 'ignored' ? 'neutral' : 'danger'}>
                        {e.status.replace('_', ' ')}
                      </Badge>{' '}
                      {e.message} · <LocalTime value={e.firstSeenAt} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-2 text-sm text-slate-600">None: every stage went through without one.</p>
              )}
            </Card>
            {t!.truncated ? (
              <p className="text-sm text-slate-600">The trace shows the first 2,000 ledger rows of this record.</p>
            ) : null}
            <p className="break-all text-xs text-slate-500">
              Trace key <code>{t!.traceKey}</code>
            </p>
            <TimeZoneNote />
          </div>
        )}
      </QueryStates>
    </>
  );
}
