'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useQueryStates } from 'nuqs';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { LoadOlderFooter } from '@/components/ui/load-older-footer';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { ElapsedSince } from './elapsed-since';
import { formatDuration } from './format-duration';
import { RUN_FILTERS, runListInput } from './run-list-input';
import { RoutineSchedules } from './routine-schedules';
import { backgroundRequest } from '@/lib/background-request';

const STATUS_TONE: Record<string, 'info' | 'success' | 'danger' | 'warning'> = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
};
const STATUS_LABEL: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const TRIGGER_LABEL: Record<string, string> = {
  schedule: 'Schedule',
  manual: 'Manual',
  webhook: 'Webhook',
  replay: 'Replay',
  event: 'Follow-up',
  reconcile: 'Reconciliation',
};

const RUNNING_REFRESH_MS = 5_000;
// After "Run now" the queued runs appear once a worker starts them; watch for them a while.
const AFTER_REQUEST_WATCH_MS = 30_000;
const AFTER_REQUEST_REFRESH_MS = 2_000;

export function SyncRuns({ canRun }: { canRun: boolean }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useQueryStates(RUN_FILTERS);
  // After each "Run now" the list polls quickly for a while, until the queued runs show up.
  const [watching, setWatching] = useState(false);
  const watchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(watchTimer.current), []);
  const watchForNewRuns = () => {
    setWatching(true);
    clearTimeout(watchTimer.current);
    watchTimer.current = setTimeout(() => setWatching(false), AFTER_REQUEST_WATCH_MS);
  };
  const active = Object.values(filters).some((v) => v !== '');

  const facets = useQuery(trpc.runs.facets.queryOptions());
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(runListInput(filters), {
      ...backgroundRequest,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Keep the list live while a run is in progress, and for a while after "Run now".
      refetchInterval: (query) => {
        if (watching) return AFTER_REQUEST_REFRESH_MS;
        const running = query.state.data?.pages.some((page) => page.items.some((run) => run.status === 'running'));
        return running ? RUNNING_REFRESH_MS : false;
      },
    }),
  );

  return (
    <>
      <PageHeader
        title="Sync runs"
        description="Each run of each routine, per source connection and legal entity: what it read, what it delivered, what it held as exceptions, and how far behind the source it is."
      />

      <RoutineSchedules canRun={canRun} onRunRequested={watchForNewRuns} />

      <Card>
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">Runs</h2>
        </div>
        <form
          className="grid grid-cols-2 gap-3 border-b border-slate-200 p-4 md:grid-cols-4"
          aria-label="Filters"
          onSubmit={(e) => e.preventDefault()}
        >
          <Field id="f-routine" label="Routine">
            <Select
              id="f-routine"
              value={filters.routine}
              onChange={(e) => void setFilters({ routine: e.target.value || null })}
            >
              <option value="">All routines</option>
              {facets.data?.routines.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-entity" label="Legal entity">
            <Select
              id="f-entity"
              value={filters.entity}
              onChange={(e) => void setFilters({ entity: e.target.value || null })}
            >
              <option value="">All entities</option>
              {facets.data?.legalEntities.map((e) => (
                <option key={e.value} value={e.value}>
                  {e.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-status" label="Status">
            <Select
              id="f-status"
              value={filters.status}
              onChange={(e) => void setFilters({ status: e.target.value || null })}
            >
              <option value="">Any status</option>
              {facets.data?.statuses.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s] ?? s}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-trigger" label="Trigger">
            <Select
              id="f-trigger"
              value={filters.trigger}
              onChange={(e) => void setFilters({ trigger: e.target.value || null })}
            >
              <option value="">Any trigger</option>
              {facets.data?.triggers.map((t) => (
                <option key={t} value={t}>
                  {TRIGGER_LABEL[t] ?? t}
                </option>
              ))}
            </Select>
          </Field>
        </form>

        <QueryStates
          query={runs}
          loadingLabel="Loading runs…"
          empty={
            <EmptyState title={active ? 'No runs match these filters.' : 'No runs yet.'}>
              {active ? (
                <button
                  type="button"
                  className="font-medium text-brand-700 underline"
                  onClick={() => void setFilters(null)}
                >
                  Clear the filters
                </button>
              ) : (
                'Routines run on their schedules; a run appears here as soon as a worker starts it.'
              )}
            </EmptyState>
          }
        >
          {(rows) => (
            <>
              <Table aria-label="Sync runs">
                <thead className="bg-slate-50">
                  <tr>
                    <Th>Routine</Th>
                    <Th>Connection</Th>
                    <Th>Entity</Th>
                    <Th>Trigger</Th>
                    <Th>Status</Th>
                    <Th>Started</Th>
                    <Th className="text-right">Duration</Th>
                    <Th className="text-right">Read</Th>
                    <Th className="text-right">Delivered</Th>
                    <Th className="text-right">No-op</Th>
                    <Th className="text-right">Exceptions</Th>
                    <Th className="text-right">Lag</Th>
                    <Th>Error</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {rows.map((run) => (
                    <tr key={run.id}>
                      <Td className="whitespace-nowrap font-medium">{run.routineLabel}</Td>
                      <Td className="whitespace-nowrap">
                        {run.connectionName ?? <span className="text-slate-500">Deleted connection</span>}
                      </Td>
                      <Td>
                        <span title={run.legalEntityName ?? undefined}>{run.legalEntityId}</span>
                      </Td>
                      <Td>{TRIGGER_LABEL[run.trigger] ?? run.trigger}</Td>
                      <Td>
                        <Badge tone={STATUS_TONE[run.status] ?? 'neutral'}>
                          {STATUS_LABEL[run.status] ?? run.status}
                        </Badge>
                      </Td>
                      <Td className="whitespace-nowrap">{formatDateTime(run.startedAt)}</Td>
                      <Td className="whitespace-nowrap text-right tabular-nums">
                        {run.durationMs !== null ? (
                          formatDuration(run.durationMs)
                        ) : run.status === 'running' ? (
                          <span className="text-slate-500">
                            <ElapsedSince since={run.startedAt} /> so far
                          </span>
                        ) : (
                          '—'
                        )}
                      </Td>
                      <Td className="text-right tabular-nums">{run.recordsRead.toLocaleString('en')}</Td>
                      <Td className="text-right tabular-nums">{run.delivered.toLocaleString('en')}</Td>
                      <Td className="text-right tabular-nums">{run.noop.toLocaleString('en')}</Td>
                      <Td
                        className={
                          run.exceptions > 0
                            ? 'text-right font-medium tabular-nums text-amber-800'
                            : 'text-right tabular-nums'
                        }
                      >
                        {run.exceptions > 0 ? (
                          <Link href={`/exceptions?run=${run.id}`} className="underline">
                            {run.exceptions.toLocaleString('en')}
                          </Link>
                        ) : (
                          run.exceptions.toLocaleString('en')
                        )}
                      </Td>
                      <Td className="whitespace-nowrap text-right tabular-nums">
                        {run.lagSeconds === null ? '—' : formatDuration(run.lagSeconds * 1000)}
                      </Td>
                      <Td className="max-w-xs text-xs text-red-800">
                        {run.error ? (
                          <span className="line-clamp-2" title={run.error}>
                            {run.error}
                          </span>
                        ) : null}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <LoadOlderFooter
                query={runs}
                shown={rows.length}
                noun="run"
                loadLabel="Load older runs"
                endLabel="No older runs"
              />
            </>
          )}
        </QueryStates>
      </Card>
    </>
  );
}
