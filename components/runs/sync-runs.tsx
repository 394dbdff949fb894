'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { HelpCircle } from 'lucide-react';
import Link from 'next/link';
import { useQueryStates } from 'nuqs';
import { Fragment, useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import { knownFilterValues } from '@/components/ui/known-filter-values';
import { LocalTime, TimeZoneNote } from '@/components/ui/local-time';
import { PageHeader } from '@/components/ui/page-header';
import { LoadOlderFooter } from '@/components/ui/load-older-footer';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { ElapsedSince } from './elapsed-since';
import { formatDuration } from './format-duration';
import { groupQuietRuns } from './group-quiet-runs';
import { RUN_FILTERS, runListInput } from './run-list-input';
import { batchCount, LAG_HELP, runStatusView, shownLagSeconds, TRIGGER_LABEL } from './run-status';
import { RoutineSchedules } from './routine-schedules';
import { backgroundRequest } from '@/lib/background-request';

const FILTER_STATUS_LABEL: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const RUNNING_REFRESH_MS = 5_000;
// After "Run now" the queued runs appear once a worker starts them; watch for them a while.
const AFTER_REQUEST_WATCH_MS = 30_000;
const AFTER_REQUEST_REFRESH_MS = 2_000;

export function SyncRuns({ canRun }: { canRun: boolean }) {
  const trpc = useTRPC();
  const [urlFilters, setFilters] = useQueryStates(RUN_FILTERS);
  // After each "Run now" the list polls quickly for a while, until the queued runs show up.
  const [watching, setWatching] = useState(false);
  const watchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(watchTimer.current), []);
  const watchForNewRuns = () => {
    setWatching(true);
    clearTimeout(watchTimer.current);
    watchTimer.current = setTimeout(() => setWatching(false), AFTER_REQUEST_WATCH_MS);
  };

  const facets = useQuery(trpc.runs.facets.queryOptions());
  // A value the page does not know (a stale or mistyped link) is dropped with a notice.
  const { known: filters, notice } = knownFilterValues(
    urlFilters,
    {
      routine: facets.data?.routines.map((r) => r.value),
      entity: facets.data?.legalEntities.map((e) => e.value),
      status: facets.data?.statuses,
      trigger: facets.data?.triggers,
      view: ['', 'all'],
    },
    { routine: 'routine', entity: 'legal entity', status: 'status', trigger: 'trigger', view: 'view' },
  );
  const allRuns = filters.view === 'all';
  const active = [filters.routine, filters.entity, filters.status, filters.trigger].some((v) => v !== '');
  const [openQuiet, setOpenQuiet] = useState<Set<string>>(new Set());

  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(runListInput(filters), {
      ...backgroundRequest,
      enabled: facets.isSuccess,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Keep the list live while a run is in progress (its counts grow per committed batch), and for a while after "Run now".
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
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <div>
            <h2 className="font-semibold">Runs</h2>
            <p className="text-xs text-slate-500">
              <TimeZoneNote />
            </p>
          </div>
          <div role="group" aria-label="Which runs" className="inline-flex rounded-md border border-slate-300 text-sm">
            <button
              type="button"
              aria-pressed={!allRuns}
              onClick={() => void setFilters({ view: null })}
              className={cn('rounded-l-md px-3 py-1.5', !allRuns ? 'bg-brand-50 font-medium text-brand-700' : '')}
            >
              Needs attention
            </button>
            <button
              type="button"
              aria-pressed={allRuns}
              onClick={() => void setFilters({ view: 'all' })}
              className={cn(
                'rounded-r-md border-l border-slate-300 px-3 py-1.5',
                allRuns ? 'bg-brand-50 font-medium text-brand-700' : '',
              )}
            >
              All runs
            </button>
          </div>
        </div>
        <p className="border-b border-slate-200 px-4 py-2 text-xs text-slate-600">
          {allRuns
            ? 'Every run, newest first; runs in a row that read nothing are folded together.'
            : 'Runs that held exceptions, failed or are running, and the latest run of each routine and legal entity.'}
        </p>
        {notice ? (
          <p role="status" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
            {notice}
          </p>
        ) : null}
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
                  {FILTER_STATUS_LABEL[s] ?? s}
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
            <EmptyState
              title={active ? 'No runs match these filters.' : allRuns ? 'No runs yet.' : 'Nothing needs attention.'}
            >
              {active ? (
                <button
                  type="button"
                  className="font-medium text-brand-700 underline"
                  onClick={() => void setFilters({ routine: null, entity: null, status: null, trigger: null })}
                >
                  Clear the filters
                </button>
              ) : allRuns ? (
                'Routines run on their schedules; a run appears here as soon as a worker starts it.'
              ) : (
                'No run has held exceptions or failed, and none has run yet.'
              )}
            </EmptyState>
          }
        >
          {(list) => (
            <>
              <Table aria-label="Sync runs">
                <thead className="bg-slate-50">
                  <tr>
                    <Th>Routine</Th>
                    <Th>Source</Th>
                    <Th>Status</Th>
                    <Th>Started</Th>
                    <Th className="text-right">Duration</Th>
                    <Th className="text-right">Read</Th>
                    <Th className="text-right">Delivered</Th>
                    <Th className="text-right">No-op</Th>
                    <Th className="text-right">Exceptions</Th>
                    <Th className="text-right">
                      <span className="inline-flex items-center gap-1" title={LAG_HELP}>
                        Lag <HelpCircle className="size-3.5" aria-hidden />
                        <span className="sr-only">({LAG_HELP})</span>
                      </span>
                    </Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {(allRuns ? groupQuietRuns(list) : list.map((run) => ({ kind: 'run' as const, run }))).map((row) => {
                    if (row.kind === 'run') return <RunRowView key={row.run.id} run={row.run} />;
                    const key = row.runs[0]!.id;
                    const open = openQuiet.has(key);
                    return (
                      <Fragment key={key}>
                        <tr className="bg-slate-50/60">
                          <Td colSpan={10} className="text-xs text-slate-600">
                            <button
                              type="button"
                              aria-expanded={open}
                              className="font-medium text-brand-700 underline"
                              onClick={() =>
                                setOpenQuiet((prev) => {
                                  const next = new Set(prev);
                                  if (open) next.delete(key);
                                  else next.add(key);
                                  return next;
                                })
                              }
                            >
                              {open ? 'Hide' : 'Show'} {row.runs.length} runs that read nothing
                            </button>{' '}
                            ({[...new Set(row.runs.map((r) => r.routineLabel))].join(', ')}), from{' '}
                            <LocalTime value={row.runs.at(-1)!.startedAt} /> to{' '}
                            <LocalTime value={row.runs[0]!.startedAt} />
                          </Td>
                        </tr>
                        {open ? row.runs.map((run) => <RunRowView key={run.id} run={run} />) : null}
                      </Fragment>
                    );
                  })}
                </tbody>
              </Table>
              <LoadOlderFooter
                query={runs}
                shown={list.length}
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

interface RunRow {
  id: string;
  routineLabel: string;
  connectionName: string | null;
  legalEntityId: string;
  legalEntityName: string | null;
  trigger: string;
  status: string;
  startedAt: Date;
  durationMs: number | null;
  recordsRead: number;
  batches: number;
  delivered: number;
  noop: number;
  exceptions: number;
  lagSeconds: number | null;
  error: string | null;
}

function RunRowView({ run }: { run: RunRow }) {
  const status = runStatusView(run);
  const lag = shownLagSeconds(run);
  const running = run.status === 'running';
  return (
    <tr>
      <Td className="whitespace-nowrap">
        <Link href={`/runs/${run.id}`} className="font-medium text-brand-700 hover:underline">
          {run.routineLabel}
        </Link>
        <span className="block text-xs text-slate-500">{TRIGGER_LABEL[run.trigger] ?? run.trigger}</span>
      </Td>
      <Td className="whitespace-nowrap">
        {run.connectionName ?? <span className="text-slate-500">Deleted connection</span>}
        <span className="block text-xs text-slate-500" title={run.legalEntityName ?? undefined}>
          {run.legalEntityId}
        </span>
      </Td>
      <Td className="max-w-56">
        <Badge tone={status.tone}>{status.label}</Badge>
        {run.error ? (
          <span className="mt-1 line-clamp-2 text-xs text-red-800" title={run.error}>
            {run.error}
          </span>
        ) : null}
      </Td>
      <Td className="whitespace-nowrap text-xs">
        <LocalTime value={run.startedAt} />
      </Td>
      <Td className="whitespace-nowrap text-right tabular-nums">
        {run.durationMs !== null ? (
          formatDuration(run.durationMs)
        ) : running ? (
          <span className="text-slate-500">
            <ElapsedSince since={run.startedAt} /> so far
          </span>
        ) : (
          '—'
        )}
      </Td>
      <Td className="text-right tabular-nums">
        {run.recordsRead.toLocaleString('en')}
        {running ? (
          <span className="block text-xs whitespace-nowrap text-slate-500">
            so far, {batchCount(run.batches)} committed
          </span>
        ) : null}
      </Td>
      <Td className="text-right tabular-nums">{run.delivered.toLocaleString('en')}</Td>
      <Td className="text-right tabular-nums">{run.noop.toLocaleString('en')}</Td>
      <Td className="text-right tabular-nums">
        {run.exceptions > 0 ? (
          <Link
            href={`/exceptions?run=${run.id}`}
            className="font-medium text-amber-800 underline"
            aria-label={`${run.exceptions.toLocaleString('en')} exceptions of this ${run.routineLabel} run`}
          >
            {run.exceptions.toLocaleString('en')}
          </Link>
        ) : (
          '0'
        )}
      </Td>
      <Td className="whitespace-nowrap text-right tabular-nums">{lag === null ? '' : formatDuration(lag * 1000)}</Td>
    </tr>
  );
}
