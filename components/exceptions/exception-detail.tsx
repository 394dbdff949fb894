'use client';

import { LocalTime } from '@/components/ui/local-time';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import { formatMoney } from '@/lib/format-money';
import { SYSTEM_LABELS } from '@/lib/system-labels';
import { traceHref } from '@/components/trace/trace-link';
import { DryRunPlan, ReplayOutcome } from './dry-run-plan';
import { CommentForm, ExceptionTimeline } from './exception-history';
import {
  PRIORITY_LABEL,
  STATUS_LABEL,
  STATUS_TONE,
  type DryRunView,
  type ExceptionView,
  type ReplayView,
} from './exception-types';
import { ShortcutHelp, useShortcuts, type Shortcut } from './keyboard-shortcuts';
import { useQueuePosition } from './queue-order';
import { NoteDialog } from './note-dialog';
import { RecordSnapshot } from './record-snapshot';

const ACTIVE = ['open', 'assigned', 'in_progress'];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export function ExceptionDetail({ id, me }: { id: string; me: { id: string; email: string } }) {
  const trpc = useTRPC();
  const exception = useQuery(trpc.exception.byId.queryOptions({ id }));
  if (exception.isPending) return <Loading label="Loading the exception…" />;
  if (exception.isError) {
    return <ErrorState message={errorMessage(exception.error)} onRetry={() => void exception.refetch()} />;
  }
  // Keyed: stepping to the next exception starts with no dry-run, outcome or dialog of the last one.
  return <ExceptionPage key={exception.data.id} exception={exception.data} me={me} />;
}

function ExceptionPage({ exception, me }: { exception: ExceptionView; me: { id: string; email: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = exception.id;
  const router = useRouter();
  const queue = useQueuePosition(id);
  const history = useQuery(trpc.exception.history.queryOptions({ id }));
  const [plan, setPlan] = useState<DryRunView | null>(null);
  const [replayed, setReplayed] = useState<ReplayView | null>(null);
  const [dialog, setDialog] = useState<'resolve' | 'ignore' | 'help' | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.exception.pathKey() });
  const failed = (error: unknown) => {
    toast.error(errorMessage(error));
    void refresh();
  };
  const done = (message: string) => () => {
    toast.success(message);
    setDialog(null);
    setDialogError(null);
    void refresh();
  };

  const assign = useMutation(trpc.exception.assign.mutationOptions({ onSuccess: done('Assigned.'), onError: failed }));
  const start = useMutation(
    trpc.exception.start.mutationOptions({ onSuccess: done('Work started.'), onError: failed }),
  );
  const resolve = useMutation(
    trpc.exception.resolve.mutationOptions({
      onSuccess: done('Resolved.'),
      onError: (e) => setDialogError(errorMessage(e)),
    }),
  );
  const ignore = useMutation(
    trpc.exception.ignore.mutationOptions({
      onSuccess: done('Ignored.'),
      onError: (e) => setDialogError(errorMessage(e)),
    }),
  );
  const reopen = useMutation(trpc.exception.reopen.mutationOptions({ onSuccess: done('Reopened.'), onError: failed }));
  const priority = useMutation(
    trpc.exception.setPriority.mutationOptions({ onSuccess: done('Priority changed.'), onError: failed }),
  );
  const comment = useMutation(
    trpc.exception.comment.mutationOptions({ onSuccess: done('Comment added.'), onError: failed }),
  );
  const dryRun = useMutation(
    trpc.exception.dryRun.mutationOptions({
      onSuccess: (result) => {
        setPlan(result);
        setReplayed(null);
      },
      onError: failed,
    }),
  );
  const replay = useMutation(
    trpc.exception.replay.mutationOptions({
      onSuccess: (result) => {
        setReplayed(result);
        setPlan(null);
        void refresh();
      },
      onError: (e) => {
        setPlan(null);
        failed(e);
      },
    }),
  );
  const assignable = useQuery({
    ...trpc.exception.assignableUsers.queryOptions({ id }),
    enabled: exception.allowed.assign,
  });

  const active = ACTIVE.includes(exception.status);
  const mine = exception.assignee?.id === me.id;
  const can = {
    assignToMe: exception.allowed.assign && !mine,
    start: exception.allowed.work && (exception.status === 'open' || exception.status === 'assigned'),
    resolve: exception.allowed.work && active,
    ignore: exception.allowed.work && active,
    reopen: exception.allowed.work && !active,
    dryRun: exception.allowed.replay,
    replay: exception.allowed.replay,
    comment: exception.allowed.work,
  };
  const assignToMe = () => assign.mutate({ id, assigneeId: me.id, expectedAssigneeId: exception.assignee?.id ?? null });

  const openHelp = useCallback(() => setDialog('help'), []);
  // Rebuilt each render, so each key always acts on what the page shows now.
  const shortcuts: Shortcut[] = [
    { key: 'a', label: 'Assign to me', run: can.assignToMe ? assignToMe : undefined },
    { key: 's', label: 'Start work', run: can.start ? () => start.mutate({ id }) : undefined },
    { key: 'r', label: 'Resolve (with a note)', run: can.resolve ? () => setDialog('resolve') : undefined },
    { key: 'i', label: 'Ignore (with a reason)', run: can.ignore ? () => setDialog('ignore') : undefined },
    { key: 'd', label: 'Dry-run the replay', run: can.dryRun ? () => dryRun.mutate({ id }) : undefined },
    { key: 'c', label: 'Write a comment', run: can.comment ? () => commentRef.current?.focus() : undefined },
    {
      key: 'j',
      label: 'Next exception in the queue',
      run: queue?.next ? () => router.push(`/exceptions/${queue.next}`) : undefined,
    },
    {
      key: 'k',
      label: 'Previous exception in the queue',
      run: queue?.previous ? () => router.push(`/exceptions/${queue.previous}`) : undefined,
    },
  ];
  useShortcuts(shortcuts, openHelp);

  const source = exception.externalIds[0];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <nav aria-label="Breadcrumb">
          <Link href={`/exceptions${queue?.search ?? ''}`} className="text-brand-700 underline">
            Exceptions
          </Link>{' '}
          / {exception.code}
        </nav>
        {queue ? (
          <nav aria-label="Queue" className="flex items-center gap-3">
            <span className="text-slate-600">
              {queue.position.toLocaleString('en')} of {queue.total.toLocaleString('en')} in the queue
            </span>
            {queue.previous ? (
              <Link href={`/exceptions/${queue.previous}`} className="text-brand-700 underline" aria-keyshortcuts="k">
                Previous
              </Link>
            ) : (
              <span className="text-slate-400">Previous</span>
            )}
            {queue.next ? (
              <Link href={`/exceptions/${queue.next}`} className="text-brand-700 underline" aria-keyshortcuts="j">
                Next
              </Link>
            ) : (
              <span className="text-slate-400">Next</span>
            )}
          </nav>
        ) : null}
      </div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{exception.title}</h1>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <code className="rounded bg-slate-100 px-1.5 py-0.5">{exception.code}</code>
            <Badge tone={STATUS_TONE[exception.status]}>{STATUS_LABEL[exception.status]}</Badge>
            <Badge tone={exception.priority === 'urgent' || exception.priority === 'high' ? 'danger' : 'neutral'}>
              {PRIORITY_LABEL[exception.priority]} priority
            </Badge>
            {exception.overdue ? <Badge tone="danger">Overdue</Badge> : null}
            <span className="text-slate-600">Owned by {exception.teamLabel}</span>
          </div>
        </div>
        <Button variant="ghost" size="sm" onClick={openHelp} aria-keyshortcuts="?">
          Keyboard shortcuts (?)
        </Button>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card className="space-y-3 p-4">
            <h2 className="font-semibold">What went wrong</h2>
            <p className="text-sm">{exception.message}</p>
            {exception.remedy ? (
              <p className="text-sm">
                <span className="font-medium">What to do: </span>
                {exception.remedy}
              </p>
            ) : null}
            {exception.targetCode || exception.targetMessage ? (
              <p className="text-sm">
                <span className="font-medium">The target said: </span>
                {exception.targetCode ? <code className="mr-1">{exception.targetCode}</code> : null}
                {exception.targetMessage}
              </p>
            ) : null}
            <ul className="flex flex-wrap gap-4 text-sm" aria-label="Where to fix it">
              {exception.fixIn ? (
                <li>
                  <Link href={exception.fixIn.href} className="font-medium text-brand-700 underline">
                    Fix it in {exception.fixIn.label}
                  </Link>
                </li>
              ) : null}
              {exception.externalIds.map((ref) => (
                <li key={`${ref.system}-${ref.externalId}`}>
                  Source record: {SYSTEM_LABELS[ref.system as keyof typeof SYSTEM_LABELS] ?? ref.system}{' '}
                  {ref.objectType} <code className="rounded bg-slate-100 px-1">{ref.externalId}</code>
                </li>
              ))}
              <li>
                <Link href={traceHref(exception.id)} className="font-medium text-brand-700 underline">
                  Trace this record end to end
                </Link>
              </li>
            </ul>
          </Card>

          <Card>
            <h2 className="border-b border-slate-200 px-4 py-3 font-semibold">
              Record as held{source ? ` — ${source.objectType} ${source.externalId}` : ''}
            </h2>
            <RecordSnapshot exception={exception} />
          </Card>

          <Card className="space-y-4 p-4">
            <h2 className="font-semibold">History and comments</h2>
            {history.isPending ? (
              <Loading label="Loading the history…" />
            ) : history.isError ? (
              <ErrorState message={errorMessage(history.error)} onRetry={() => void history.refetch()} />
            ) : (
              <ExceptionTimeline events={history.data ?? []} />
            )}
            {can.comment ? (
              <CommentForm
                ref={commentRef}
                pending={comment.isPending}
                onSubmit={(body) => comment.mutateAsync({ id, body })}
              />
            ) : null}
          </Card>
        </div>

        <div className="space-y-6">
          <Card className="space-y-3 p-4">
            <h2 className="font-semibold">Actions</h2>
            {!exception.allowed.assign && !exception.allowed.work && !exception.allowed.replay ? (
              <p className="text-sm text-slate-600">
                You can read this exception; acting on it is for the {exception.teamLabel} team.
              </p>
            ) : null}
            <div className="flex flex-wrap gap-2">
              {can.assignToMe ? (
                <Button size="sm" onClick={assignToMe} disabled={assign.isPending} aria-keyshortcuts="a">
                  Assign to me
                </Button>
              ) : null}
              {can.start ? (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => start.mutate({ id })}
                  disabled={start.isPending}
                  aria-keyshortcuts="s"
                >
                  Start
                </Button>
              ) : null}
              {can.resolve ? (
                <Button size="sm" variant="secondary" onClick={() => setDialog('resolve')} aria-keyshortcuts="r">
                  Resolve…
                </Button>
              ) : null}
              {can.ignore ? (
                <Button size="sm" variant="secondary" onClick={() => setDialog('ignore')} aria-keyshortcuts="i">
                  Ignore…
                </Button>
              ) : null}
              {can.reopen ? (
                <Button size="sm" variant="secondary" onClick={() => reopen.mutate({ id })} disabled={reopen.isPending}>
                  Reopen
                </Button>
              ) : null}
              {can.dryRun ? (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => dryRun.mutate({ id })}
                  disabled={dryRun.isPending || !active}
                  aria-keyshortcuts="d"
                >
                  {dryRun.isPending ? 'Planning…' : 'Dry run'}
                </Button>
              ) : null}
              {can.replay ? (
                <Button
                  size="sm"
                  onClick={() => replay.mutate({ id, planToken: plan?.planToken })}
                  disabled={replay.isPending || !active}
                >
                  {replay.isPending ? 'Replaying…' : 'Replay'}
                </Button>
              ) : null}
            </div>
            {exception.allowed.assign && active ? (
              <div className="space-y-1">
                <label htmlFor="assignee" className="block text-sm font-medium">
                  Assignee
                </label>
                <Select
                  id="assignee"
                  value={exception.assignee?.id ?? ''}
                  disabled={assign.isPending}
                  onChange={(e) =>
                    assign.mutate({
                      id,
                      assigneeId: e.target.value || null,
                      expectedAssigneeId: exception.assignee?.id ?? null,
                    })
                  }
                >
                  <option value="">Unassigned</option>
                  {exception.assignee && !assignable.data?.some((u) => u.id === exception.assignee!.id) ? (
                    <option value={exception.assignee.id}>{exception.assignee.email}</option>
                  ) : null}
                  {assignable.data?.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.email}
                    </option>
                  ))}
                </Select>
              </div>
            ) : null}
            {exception.allowed.work && active ? (
              <div className="space-y-1">
                <label htmlFor="priority" className="block text-sm font-medium">
                  Priority
                </label>
                <Select
                  id="priority"
                  value={exception.priority}
                  disabled={priority.isPending}
                  onChange={(e) => priority.mutate({ id, priority: e.target.value as ExceptionView['priority'] })}
                >
                  {Object.entries(PRIORITY_LABEL).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
            ) : null}
            {plan ? <DryRunPlan plan={plan} /> : null}
            {replayed ? <ReplayOutcome outcome={replayed} /> : null}
          </Card>

          <Card className="p-4">
            <h2 className="mb-3 font-semibold">Details</h2>
            <dl className="grid grid-cols-2 gap-3">
              <Fact label="Amount">
                {exception.amount && exception.currency ? formatMoney(exception.amount, exception.currency) : '—'}
              </Fact>
              <Fact label="Legal entity">{exception.legalEntityName ?? exception.legalEntityId ?? '—'}</Fact>
              <Fact label="Assignee">{exception.assignee?.email ?? 'Unassigned'}</Fact>
              <Fact label="Due">
                <LocalTime value={exception.dueAt} />
              </Fact>
              <Fact label="Routine">{exception.routineLabel}</Fact>
              <Fact label="Kind">{exception.kind === 'business' ? 'Business' : 'Technical'}</Fact>
              <Fact label="First seen">
                <LocalTime value={exception.firstSeenAt} />
              </Fact>
              <Fact label="Last seen">
                <LocalTime value={exception.lastSeenAt} />
              </Fact>
              <Fact label="Occurrences">{exception.occurrences}</Fact>
              <Fact label="Ownership rules">
                {exception.ruleVersion !== null ? `version ${exception.ruleVersion}` : 'not recorded'}
              </Fact>
              <Fact label="Placed by">
                {exception.routingRulePosition !== null
                  ? `routing rule #${exception.routingRulePosition}`
                  : 'default placement or ownership'}
              </Fact>
              <Fact label="Resolution">{exception.resolution ?? '—'}</Fact>
            </dl>
            <p className="mt-3 break-all text-xs text-slate-500">
              Correlation id <code>{exception.correlationId}</code>
            </p>
          </Card>
        </div>
      </div>

      <NoteDialog
        open={dialog === 'resolve'}
        onOpenChange={(open) => {
          setDialog(open ? 'resolve' : null);
          setDialogError(null);
        }}
        title="Resolve this exception"
        label="Resolution note"
        submitLabel="Resolve"
        pending={resolve.isPending}
        error={dialogError}
        onSubmit={(note) => resolve.mutate({ id, note })}
      />
      <NoteDialog
        open={dialog === 'ignore'}
        onOpenChange={(open) => {
          setDialog(open ? 'ignore' : null);
          setDialogError(null);
        }}
        title="Ignore this exception"
        label="Reason"
        submitLabel="Ignore"
        pending={ignore.isPending}
        error={dialogError}
        onSubmit={(reason) => ignore.mutate({ id, reason })}
      />
      <ShortcutHelp
        open={dialog === 'help'}
        onOpenChange={(open) => setDialog(open ? 'help' : null)}
        shortcuts={shortcuts}
      />
    </div>
  );
}
