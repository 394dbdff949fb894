'use client';

import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Download, ShieldCheck } from 'lucide-react';
import { useQueryStates } from 'nuqs';
import { Fragment, useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { LoadOlderFooter } from '@/components/ui/load-older-footer';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { auditActionLabel } from '@/lib/audit-action-labels';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/error-message';
import { LocalTime, TimeZoneNote } from '@/components/ui/local-time';
import { AuditDiff } from './audit-diff';
import { AUDIT_FILTERS, auditFilters, auditListInput, knownAuditFilters } from './audit-list-input';

const SOURCES = [
  { value: 'people', label: 'People', help: 'What people did: sign-ins, changes, replays.' },
  { value: 'system', label: 'Sync writes', help: 'What the sync wrote to the target systems.' },
  { value: 'all', label: 'Everything', help: 'Every event in the log.' },
] as const;

export function AuditLog({ canVerify, canExport }: { canVerify: boolean; canExport: boolean }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useQueryStates(AUDIT_FILTERS, { throttleMs: 400 });
  const [open, setOpen] = useState<string | null>(null);
  const active = auditFilters(filters);
  const { notice } = knownAuditFilters(filters);
  const source = active.source ?? 'people';

  const facets = useQuery(trpc.audit.facets.queryOptions());
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(auditListInput(filters), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  // The export reads the same parameters with the same loader, so it holds what the page shows.
  const exportHref = `/api/audit/export?${new URLSearchParams(active).toString()}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every user action and every write the sync makes, append-only and hash-chained. Newest first."
        actions={
          <>
            {canVerify ? (
              <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
                <ShieldCheck className="size-4" aria-hidden /> {verify.isPending ? 'Verifying…' : 'Verify chain'}
              </Button>
            ) : null}
            {canExport ? (
              <Button variant="secondary" asChild>
                <a href={exportHref} download>
                  <Download className="size-4" aria-hidden /> Export CSV
                </a>
              </Button>
            ) : null}
          </>
        }
      />

      <div aria-live="polite">
        {verify.isError ? <ErrorState message={errorMessage(verify.error)} /> : null}
        {verify.data ? (
          verify.data.intact ? (
            <p
              role="status"
              className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
            >
              Chain intact: {verify.data.checked.toLocaleString('en')} events verified.{' '}
              {verify.data.anchor.state === 'intact'
                ? `It matches its anchor outside the database (event #${verify.data.anchor.checkpoint.id}).`
                : 'No anchor outside the database yet: the head is anchored now.'}
            </p>
          ) : (
            <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              {verify.data.firstBroken ? (
                <>
                  Chain broken at event #{verify.data.firstBroken.id} (
                  {verify.data.firstBroken.reason === 'link'
                    ? 'its link to the previous event does not match'
                    : 'its content was changed'}
                  ); {verify.data.checked.toLocaleString('en')} events before it verified.
                </>
              ) : verify.data.anchor.state === 'broken' ? (
                <>The log does not match its anchor outside the database: {verify.data.anchor.problem}.</>
              ) : null}
            </p>
          )
        ) : null}
      </div>

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <div
            role="group"
            aria-label="Whose actions"
            className="inline-flex rounded-md border border-slate-300 text-sm"
          >
            {SOURCES.map((option, i) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={source === option.value}
                onClick={() => void setFilters({ source: option.value === 'people' ? null : option.value })}
                className={cn(
                  'px-3 py-1.5',
                  i > 0 && 'border-l border-slate-300',
                  source === option.value && 'bg-brand-50 font-medium text-brand-700',
                )}
              >
                {option.label}
              </button>
            ))}
          </div>
          <p className="text-xs text-slate-500">
            {SOURCES.find((option) => option.value === source)?.help} <TimeZoneNote />
          </p>
        </div>
        {notice ? (
          <p role="status" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
            {notice}
          </p>
        ) : null}
        <form
          className="grid grid-cols-2 gap-3 border-b border-slate-200 p-4 md:grid-cols-6"
          aria-label="Filters"
          onSubmit={(e) => e.preventDefault()}
        >
          <Field id="f-actor" label="Actor">
            <Input
              id="f-actor"
              placeholder="email contains…"
              value={filters.actor}
              onChange={(e) => void setFilters({ actor: e.target.value || null })}
            />
          </Field>
          <Field id="f-action" label="Action">
            <Select
              id="f-action"
              value={filters.action}
              onChange={(e) => void setFilters({ action: e.target.value || null })}
            >
              <option value="">Any action</option>
              {facets.data?.actions.map((action) => (
                <option key={action} value={action}>
                  {auditActionLabel(action)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-target-type" label="Target type">
            <Select
              id="f-target-type"
              value={filters.targetType}
              onChange={(e) => void setFilters({ targetType: e.target.value || null })}
            >
              <option value="">Any target</option>
              {facets.data?.targetTypes.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-target-id" label="Target id">
            <Input
              id="f-target-id"
              value={filters.targetId}
              onChange={(e) => void setFilters({ targetId: e.target.value || null })}
            />
          </Field>
          <Field id="f-from" label="From (UTC)">
            <Input
              id="f-from"
              type="date"
              value={filters.from}
              onChange={(e) => void setFilters({ from: e.target.value || null })}
            />
          </Field>
          <Field id="f-to" label="To (UTC)">
            <Input
              id="f-to"
              type="date"
              value={filters.to}
              onChange={(e) => void setFilters({ to: e.target.value || null })}
            />
          </Field>
        </form>

        <QueryStates
          query={events}
          loadingLabel="Loading audit events…"
          empty={
            <EmptyState title="No audit events match these filters.">
              {Object.keys(active).length > 1 ? (
                <button
                  type="button"
                  className="font-medium text-brand-700 underline"
                  onClick={() => void setFilters(null)}
                >
                  Clear the filters
                </button>
              ) : null}
            </EmptyState>
          }
        >
          {(rows) => (
            <>
              <Table aria-label="Audit events">
                <thead className="bg-slate-50">
                  <tr>
                    <Th className="w-8">
                      <span className="sr-only">Details</span>
                    </Th>
                    <Th>#</Th>
                    <Th>Time</Th>
                    <Th>Actor</Th>
                    <Th>Action</Th>
                    <Th>Target</Th>
                    <Th>IP</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {rows.map((event) => {
                    const expanded = open === event.id;
                    return (
                      <Fragment key={event.id}>
                        <tr>
                          <Td>
                            <button
                              type="button"
                              aria-expanded={expanded}
                              aria-controls={`audit-${event.id}`}
                              aria-label={`${expanded ? 'Hide' : 'Show'} details of event ${event.id}`}
                              onClick={() => setOpen(expanded ? null : event.id)}
                              className="rounded p-0.5 text-slate-500 hover:bg-slate-100"
                            >
                              {expanded ? (
                                <ChevronDown className="size-4" aria-hidden />
                              ) : (
                                <ChevronRight className="size-4" aria-hidden />
                              )}
                            </button>
                          </Td>
                          <Td className="font-mono text-xs text-slate-500">{event.id}</Td>
                          <Td className="whitespace-nowrap">
                            <LocalTime value={event.occurredAt} />
                          </Td>
                          <Td>{event.actorEmail ?? '—'}</Td>
                          <Td>
                            <span title={event.action}>{auditActionLabel(event.action)}</span>
                          </Td>
                          <Td className="text-xs">
                            {event.targetLabel ? (
                              <span title={`${event.targetType ?? ''} ${event.targetId ?? ''}`.trim()}>
                                {event.targetLabel}
                              </span>
                            ) : (
                              <>
                                {event.targetType ?? '—'}
                                {event.targetId ? (
                                  <span
                                    className="block max-w-48 truncate font-mono text-slate-500"
                                    title={event.targetId}
                                  >
                                    {event.targetId}
                                  </span>
                                ) : null}
                              </>
                            )}
                          </Td>
                          <Td className="font-mono text-xs text-slate-500">{event.ip ?? '—'}</Td>
                        </tr>
                        {expanded ? (
                          <tr id={`audit-${event.id}`} className="bg-slate-50">
                            <Td />
                            <Td colSpan={6} className="space-y-3 py-3">
                              <AuditDiff before={event.before} after={event.after} />
                              <p className="font-mono text-[11px] text-slate-500">
                                action {event.action} · target {event.targetType ?? '—'} {event.targetId ?? ''} ·
                                request {event.requestId ?? '—'} · hash {event.hash}
                              </p>
                            </Td>
                          </tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </tbody>
              </Table>
              <LoadOlderFooter
                query={events}
                shown={rows.length}
                noun="event"
                loadLabel="Load older events"
                endLabel="End of the log"
              />
            </>
          )}
        </QueryStates>
      </Card>
    </>
  );
}
