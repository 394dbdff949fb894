'use client';

import { LocalTime } from '@/components/ui/local-time';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useQueryStates } from 'nuqs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { LoadOlderFooter } from '@/components/ui/load-older-footer';
import { PageHeader } from '@/components/ui/page-header';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import { EXCEPTION_AGES, EXCEPTION_SORTS } from '@/lib/exception-queue-values';
import { formatMoney } from '@/lib/format-money';
import { TraceLink } from '@/components/trace/trace-link';
import { BulkProgress } from './bulk-progress';
import {
  EXCEPTION_FILTERS,
  exceptionFilterInput,
  exceptionListInput,
  type ExceptionFilterParam,
} from './exception-list-input';
import { ShortcutHelp, useShortcuts, type Shortcut } from './keyboard-shortcuts';
import { rememberQueue } from './queue-order';

const STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  assigned: 'Assigned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  ignored: 'Ignored',
};
const STATUS_TONE: Record<string, 'info' | 'success' | 'danger' | 'warning' | 'neutral'> = {
  open: 'warning',
  assigned: 'info',
  in_progress: 'info',
  resolved: 'success',
  ignored: 'neutral',
};
const TEAM_LABEL: Record<string, string> = { finance: 'Finance', operations: 'Operations', integration: 'Integration' };
const PRIORITY_LABEL: Record<string, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
const ROUTINE_LABEL: Record<string, string> = {
  project_activation: 'Project activation',
  billing_eligibility: 'Billing eligibility',
  invoice_status: 'Invoice status',
  change_orders: 'Change orders',
};
const AGE_LABEL: Record<string, string> = {
  '1d': 'Under a day',
  '1-7d': '1–7 days',
  '7-30d': '7–30 days',
  '30d+': 'Over 30 days',
};
const SORT_LABEL: Record<string, string> = {
  lastSeen: 'Last seen',
  age: 'Oldest first',
  priority: 'Priority',
  due: 'Due soonest',
  amount: 'Amount',
};
const PARAM_LABEL: Record<ExceptionFilterParam, string> = {
  status: 'status',
  team: 'team',
  assignee: 'assignee',
  code: 'code',
  routine: 'routine',
  entity: 'legal entity',
  kind: 'kind',
  priority: 'priority',
  age: 'age',
  overdue: 'overdue',
  q: 'search',
  run: 'run',
  sort: 'sort',
};

function age(since: Date): string {
  const hours = (Date.now() - since.getTime()) / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} d`;
}

export function ExceptionsQueue({ allowed }: { allowed: { assign: boolean; work: boolean; replay: boolean } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useQueryStates(EXCEPTION_FILTERS, { history: 'push' });
  const { input: filterInput, rejected } = useMemo(() => exceptionFilterInput(filters), [filters]);
  const listInput = useMemo(() => exceptionListInput(filters), [filters]);
  const [notice, setNotice] = useState<string | null>(null);

  // A value the queue does not understand is dropped from the URL, with a word about it.
  const rejectedKey = rejected.join(',');
  const [noticedKey, setNoticedKey] = useState('');
  if (rejectedKey && rejectedKey !== noticedKey) {
    setNoticedKey(rejectedKey);
    setNotice(`Ignored an unknown ${rejected.map((p) => PARAM_LABEL[p]).join(', ')} in the address; showing the rest.`);
  }
  useEffect(() => {
    if (rejectedKey)
      void setFilters(Object.fromEntries(rejectedKey.split(',').map((p) => [p, null])), { history: 'replace' });
  }, [rejectedKey, setFilters]);

  const views = useQuery(trpc.exceptions.savedViews.queryOptions());
  const facets = useQuery(trpc.exceptions.facets.queryOptions(filterInput));
  const list = useInfiniteQuery(
    trpc.exceptions.list.infiniteQueryOptions(listInput, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const active = Object.entries(filters).some(([k, v]) => k !== 'sort' && v !== '');
  // The detail page steps through this same list (j/k) and leads back to it, filters and all.
  useEffect(() => {
    if (list.data) rememberQueue({ ids: rows.map((row) => row.id), search: window.location.search });
  }, [list.data, rows]);

  // Selection: some rows by id, or everything the filter matches.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [cursor, setCursor] = useState(0);
  // Another filter is another list: the selection and the keyboard cursor start afresh.
  const filterKey = JSON.stringify(filterInput);
  const [selectionKey, setSelectionKey] = useState(filterKey);
  if (selectionKey !== filterKey) {
    setSelectionKey(filterKey);
    setSelected(new Set());
    setAllMatching(false);
    setCursor(0);
  }
  const toggle = useCallback((id: string) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const total = facets.data?.total ?? null;
  const selectionCount = allMatching ? (total ?? 0) : selected.size;

  // Keyboard: j/k move, x select, Enter open, ? help.
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  const shortcuts = useMemo<Shortcut[]>(
    () => [
      { key: 'j', label: 'Next exception', run: () => setCursor((c) => Math.min(c + 1, Math.max(rows.length - 1, 0))) },
      { key: 'k', label: 'Previous exception', run: () => setCursor((c) => Math.max(c - 1, 0)) },
      { key: 'x', label: 'Select or unselect it', run: rows[cursor] ? () => toggle(rows[cursor]!.id) : undefined },
      {
        key: 'Enter',
        label: 'Open it',
        run: rows[cursor] ? () => router.push(`/exceptions/${rows[cursor]!.id}`) : undefined,
      },
    ],
    [rows, cursor, toggle, router],
  );
  useShortcuts(shortcuts, openHelp);
  useEffect(() => {
    document.getElementById(`exception-row-${cursor}`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  // Bulk work.
  const [operationId, setOperationId] = useState<string | null>(null);
  const [bulkError, setBulkError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const onStarted = {
    onSuccess: (started: { id: string }) => {
      setOperationId(started.id);
      setBulkError(null);
    },
    onError: (err: unknown) => setBulkError(errorMessage(err)),
  };
  const assign = useMutation(trpc.exceptions.bulkAssign.mutationOptions(onStarted));
  const transition = useMutation(trpc.exceptions.bulkTransition.mutationOptions(onStarted));
  const priority = useMutation(trpc.exceptions.bulkPriority.mutationOptions(onStarted));
  const replay = useMutation(trpc.exceptions.bulkReplay.mutationOptions(onStarted));
  const selection = () => (allMatching ? { filters: filterInput } : { ids: [...selected] });
  const onFinished = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.exceptions.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.exceptions.facets.pathKey() });
  }, [queryClient, trpc]);

  const facetOptions = (values: { value: string; count: number }[] | undefined, label: (v: string) => string) =>
    values?.map((f) => (
      <option key={f.value} value={f.value}>
        {label(f.value)} ({f.count.toLocaleString('en')})
      </option>
    ));
  const single = (param: ExceptionFilterParam) => ({
    value: filters[param],
    onChange: (e: { target: { value: string } }) => void setFilters({ [param]: e.target.value || null }),
  });

  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Every record the pipeline could not deliver, owned by a team. Press ? for keyboard shortcuts."
      />
      {notice ? (
        <p role="status" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {notice}{' '}
          <button type="button" className="underline" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      ) : null}

      <nav aria-label="Saved views" className="mb-3 flex flex-wrap gap-2">
        {views.data?.map((v) => (
          <Link
            key={v.id}
            href={`/exceptions?${v.query}`}
            className="rounded-full border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100"
          >
            {v.name}
          </Link>
        ))}
        {active ? (
          <SaveView query={new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString()} />
        ) : null}
      </nav>

      <Card>
        <form
          className="grid grid-cols-2 gap-3 border-b border-slate-200 p-4 md:grid-cols-6"
          aria-label="Filters"
          onSubmit={(e) => e.preventDefault()}
        >
          <Field id="f-q" label="Search">
            <Input
              id="f-q"
              type="search"
              placeholder="Message or external id"
              defaultValue={filters.q}
              key={filters.q}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void setFilters({ q: e.currentTarget.value.trim() || null });
              }}
              onBlur={(e) => void setFilters({ q: e.currentTarget.value.trim() || null })}
            />
          </Field>
          <Field id="f-status" label="Status">
            <Select id="f-status" {...single('status')}>
              <option value="">Any status</option>
              <option value="open,assigned,in_progress">Not closed</option>
              {facetOptions(facets.data?.status, (v) => STATUS_LABEL[v] ?? v)}
              {filters.status.includes(',') && filters.status !== 'open,assigned,in_progress' ? (
                <option value={filters.status}>{filters.status}</option>
              ) : null}
            </Select>
          </Field>
          <Field id="f-team" label="Team">
            <Select id="f-team" {...single('team')}>
              <option value="">Any team</option>
              {facetOptions(facets.data?.team, (v) => TEAM_LABEL[v] ?? v)}
            </Select>
          </Field>
          <Field id="f-assignee" label="Assignee">
            <Select id="f-assignee" {...single('assignee')}>
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="unassigned">
                Unassigned{facets.data ? ` (${facets.data.unassigned.toLocaleString('en')})` : ''}
              </option>
            </Select>
          </Field>
          <Field id="f-code" label="Code">
            <Select id="f-code" {...single('code')}>
              <option value="">Any code</option>
              {facetOptions(facets.data?.code, (v) => v)}
            </Select>
          </Field>
          <Field id="f-entity" label="Legal entity">
            <Select id="f-entity" {...single('entity')}>
              <option value="">All entities</option>
              {facetOptions(
                facets.data?.legalEntityId.filter((f) => f.value),
                (v) => v,
              )}
            </Select>
          </Field>
          <Field id="f-routine" label="Routine">
            <Select id="f-routine" {...single('routine')}>
              <option value="">All routines</option>
              {facetOptions(facets.data?.routine, (v) => ROUTINE_LABEL[v] ?? v)}
            </Select>
          </Field>
          <Field id="f-kind" label="Kind">
            <Select id="f-kind" {...single('kind')}>
              <option value="">Any kind</option>
              {facetOptions(facets.data?.kind, (v) => (v === 'business' ? 'Business' : 'Technical'))}
            </Select>
          </Field>
          <Field id="f-priority" label="Priority">
            <Select id="f-priority" {...single('priority')}>
              <option value="">Any priority</option>
              {facetOptions(facets.data?.priority, (v) => PRIORITY_LABEL[v] ?? v)}
            </Select>
          </Field>
          <Field id="f-age" label="Age">
            <Select id="f-age" {...single('age')}>
              <option value="">Any age</option>
              {EXCEPTION_AGES.map((a) => (
                <option key={a} value={a}>
                  {AGE_LABEL[a]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-overdue" label="Overdue">
            <Select id="f-overdue" {...single('overdue')}>
              <option value="">Either</option>
              <option value="true">Overdue{facets.data ? ` (${facets.data.overdue.toLocaleString('en')})` : ''}</option>
              <option value="false">Not overdue</option>
            </Select>
          </Field>
          <Field id="f-sort" label="Sort by">
            <Select id="f-sort" {...single('sort')}>
              {EXCEPTION_SORTS.map((s) => (
                <option key={s} value={s === 'lastSeen' ? '' : s}>
                  {SORT_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
        </form>
        {filters.run ? (
          <p className="border-b border-slate-200 px-4 py-2 text-sm">
            Showing the exceptions raised or seen again in run <code>{filters.run.slice(0, 8)}</code>.{' '}
            <button type="button" className="underline" onClick={() => void setFilters({ run: null })}>
              Show all runs
            </button>
          </p>
        ) : null}

        {(allowed.assign || allowed.work || allowed.replay) && selectionCount > 0 ? (
          <div
            role="region"
            aria-label="Bulk actions"
            className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm"
          >
            <span className="font-medium">{selectionCount.toLocaleString('en')} selected</span>
            {!allMatching && total !== null && total > selected.size ? (
              <button type="button" className="underline" onClick={() => setAllMatching(true)}>
                Select all {total.toLocaleString('en')} matching this filter
              </button>
            ) : null}
            {allowed.assign ? (
              <Button
                size="sm"
                variant="secondary"
                onClick={() => assign.mutate({ selection: selection(), assigneeId: 'me' })}
              >
                Assign to me
              </Button>
            ) : null}
            {allowed.work ? (
              <>
                <Select
                  aria-label="Set priority"
                  value=""
                  onChange={(e) =>
                    e.target.value && priority.mutate({ selection: selection(), priority: e.target.value as 'low' })
                  }
                >
                  <option value="">Set priority…</option>
                  {Object.entries(PRIORITY_LABEL).map(([v, l]) => (
                    <option key={v} value={v}>
                      {l}
                    </option>
                  ))}
                </Select>
                <Input
                  aria-label="Note for resolve or ignore"
                  placeholder="Note (resolve / ignore)"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  className="w-48"
                />
                <Select
                  aria-label="Change status"
                  value=""
                  onChange={(e) =>
                    e.target.value &&
                    transition.mutate({
                      selection: selection(),
                      to: e.target.value as 'open',
                      note: note.trim() || null,
                    })
                  }
                >
                  <option value="">Change status…</option>
                  <option value="in_progress">Start</option>
                  <option value="resolved">Resolve</option>
                  <option value="ignored">Ignore</option>
                  <option value="open">Reopen</option>
                </Select>
              </>
            ) : null}
            {allowed.replay ? (
              <>
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => replay.mutate({ selection: selection(), dryRun: true })}
                >
                  Dry-run replay
                </Button>
                <Button size="sm" onClick={() => replay.mutate({ selection: selection(), dryRun: false })}>
                  Replay
                </Button>
              </>
            ) : null}
            {bulkError ? (
              <span role="alert" className="text-red-800">
                {bulkError}
              </span>
            ) : null}
          </div>
        ) : null}
        {operationId ? (
          <BulkProgress id={operationId} onFinished={onFinished} onClose={() => setOperationId(null)} />
        ) : null}

        <p className="px-4 py-2 text-sm text-slate-600" aria-live="polite">
          {total === null ? '' : `${total.toLocaleString('en')} exception${total === 1 ? '' : 's'} match`}
        </p>
        <QueryStates
          query={list}
          loadingLabel="Loading exceptions…"
          empty={
            <EmptyState title={active ? 'No exceptions match these filters.' : 'No exceptions.'}>
              {active ? (
                <button
                  type="button"
                  className="font-medium text-brand-700 underline"
                  onClick={() => void setFilters(null)}
                >
                  Clear the filters
                </button>
              ) : (
                'Records the pipeline cannot deliver appear here, placed with their team.'
              )}
            </EmptyState>
          }
        >
          {(items) => (
            <>
              <Table aria-label="Exceptions">
                <thead className="bg-slate-50">
                  <tr>
                    <Th className="w-8">
                      <span className="sr-only">Select</span>
                    </Th>
                    <Th>Code</Th>
                    <Th>Message</Th>
                    <Th>Object</Th>
                    <Th>Entity</Th>
                    <Th className="text-right">Amount</Th>
                    <Th>Team</Th>
                    <Th>Assignee</Th>
                    <Th>Priority</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Age</Th>
                    <Th>Due</Th>
                    <Th className="text-right">Seen</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {items.map((e, i) => (
                    <tr
                      key={e.id}
                      id={`exception-row-${i}`}
                      aria-current={i === cursor ? 'true' : undefined}
                      className={i === cursor ? 'bg-brand-50 outline outline-1 outline-brand-300' : undefined}
                    >
                      <Td>
                        <input
                          type="checkbox"
                          aria-label={`Select ${e.code} ${e.externalIds[0]?.externalId ?? e.id}`}
                          checked={allMatching || selected.has(e.id)}
                          onChange={() => toggle(e.id)}
                        />
                      </Td>
                      <Td className="whitespace-nowrap font-mono text-xs">
                        <Link href={`/exceptions/${e.id}`} className="text-brand-700 underline">
                          {e.code}
                        </Link>
                      </Td>
                      <Td className="max-w-xs">
                        <span className="line-clamp-2" title={e.message}>
                          {e.message}
                        </span>
                      </Td>
                      <Td className="whitespace-nowrap text-xs">
                        <div className="font-medium">{e.objectType}</div>
                        {e.externalIds.map((ref) => (
                          <div key={`${ref.system}:${ref.externalId}`} className="text-slate-600">
                            {ref.system}:{' '}
                            <TraceLink id={ref.externalId} label={`Trace ${ref.system} ${ref.externalId}`}>
                              {ref.externalId}
                            </TraceLink>
                          </div>
                        ))}
                      </Td>
                      <Td>{e.legalEntityId ?? '—'}</Td>
                      <Td className="whitespace-nowrap text-right tabular-nums">
                        {e.amount && e.currency ? formatMoney(e.amount, e.currency) : '—'}
                      </Td>
                      <Td>{TEAM_LABEL[e.team] ?? e.team}</Td>
                      <Td className="whitespace-nowrap">
                        {e.assigneeName ?? <span className="text-slate-500">—</span>}
                      </Td>
                      <Td>{PRIORITY_LABEL[e.priority] ?? e.priority}</Td>
                      <Td>
                        <Badge tone={STATUS_TONE[e.status] ?? 'neutral'}>{STATUS_LABEL[e.status] ?? e.status}</Badge>
                      </Td>
                      <Td
                        className="whitespace-nowrap text-right tabular-nums"
                        title={new Date(e.firstSeenAt).toISOString()}
                      >
                        {age(e.firstSeenAt)}
                      </Td>
                      <Td className={e.overdue ? 'whitespace-nowrap font-medium text-red-700' : 'whitespace-nowrap'}>
                        <LocalTime value={e.dueAt} />
                        {e.overdue ? <span className="ml-1 text-xs">(overdue)</span> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{e.occurrences.toLocaleString('en')}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <LoadOlderFooter
                query={list}
                shown={items.length}
                noun="exception"
                loadLabel="Load more"
                endLabel="No more exceptions"
              />
            </>
          )}
        </QueryStates>
      </Card>
      <ShortcutHelp open={help} onOpenChange={setHelp} shortcuts={shortcuts} />
    </>
  );
}

function SaveView({ query }: { query: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const save = useMutation(
    trpc.exceptions.saveView.mutationOptions({
      onSuccess: () => {
        setName('');
        void queryClient.invalidateQueries({ queryKey: trpc.exceptions.savedViews.queryKey() });
      },
    }),
  );
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) save.mutate({ name: name.trim(), query });
      }}
    >
      <Input
        aria-label="Name for this view"
        placeholder="Save this view as…"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Button size="sm" variant="secondary" type="submit">
        Save
      </Button>
      {save.error ? (
        <span role="alert" className="text-sm text-red-800">
          {errorMessage(save.error)}
        </span>
      ) : null}
    </form>
  );
}
