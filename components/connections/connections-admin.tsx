'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';
import { SYSTEM_LABELS } from '@/lib/system-labels';
import { ConnectionDialog, type EditableConnection } from './connection-dialog';
import { ScheduleDialog, type EditableSchedule } from './schedule-dialog';
import { formatInZone, useBrowserTimeZone } from './time-zone';
import { backgroundRequest } from '@/lib/background-request';

type Editing = { mode: 'create' | 'edit' | 'rotate'; connection: EditableConnection | null } | null;

/** Connections with their health, and each routine's schedule; edit controls for admins only. */
export function ConnectionsAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const zone = useBrowserTimeZone();
  const connections = useQuery(trpc.connections.list.queryOptions());
  const schedules = useQuery(
    trpc.schedules.list.queryOptions(undefined, { ...backgroundRequest, refetchInterval: 60_000 }),
  );
  const [editing, setEditing] = useState<Editing>(null);
  const [editingSchedule, setEditingSchedule] = useState<EditableSchedule | null>(null);
  const [testResults, setTestResults] = useState<Record<string, { ok: boolean; message: string }>>({});

  const refreshConnections = () => void queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
  const refreshSchedules = () => void queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey() });

  const test = useMutation(
    trpc.connections.test.mutationOptions({
      onSuccess: (result, input) => {
        setTestResults((all) => ({ ...all, [input.id]: result }));
        refreshConnections();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const saveSchedule = useMutation(
    trpc.schedules.update.mutationOptions({
      onSuccess: (result) => {
        toast.success(result.message);
        refreshSchedules();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const legalEntities = connections.data?.legalEntities ?? [];

  return (
    <>
      <PageHeader
        title="Connections & schedules"
        description="The services Syncwright connects to, how they answered lately, and when each routine runs."
        actions={
          canManage ? (
            <Button onClick={() => setEditing({ mode: 'create', connection: null })}>New connection</Button>
          ) : null
        }
      />
      <Card className="mb-6">
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">Connections</h2>
        </div>
        <QueryStates
          query={{ ...connections, data: connections.data?.connections }}
          loadingLabel="Loading connections…"
          empty={<EmptyState title="No connections yet">Add one to start syncing.</EmptyState>}
        >
          {(list) => (
            <Table aria-label="Connections">
              <thead className="bg-slate-50">
                <tr>
                  <Th>Connection</Th>
                  <Th>Legal entities</Th>
                  <Th>Routines</Th>
                  <Th>Credentials</Th>
                  <Th>Health</Th>
                  {canManage ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {list.map((c) => {
                  const result = testResults[c.id];
                  const failing =
                    c.health.lastErrorAt && (!c.health.lastSuccessAt || c.health.lastErrorAt > c.health.lastSuccessAt);
                  return (
                    <tr key={c.id} aria-label={c.name}>
                      <Td>
                        <span className="font-medium">{c.name}</span>{' '}
                        {c.enabled ? null : <Badge tone="warning">Disabled</Badge>}
                        <span className="block text-xs text-slate-500">
                          {SYSTEM_LABELS[c.system]} · {c.baseUrl}
                        </span>
                      </Td>
                      <Td>{c.legalEntityIds.join(', ')}</Td>
                      <Td className="text-xs">
                        <ul>
                          {c.routines.map((r) => (
                            <li key={r.routine}>
                              {r.label} <span className="text-slate-500">({r.reads ? 'reads' : 'writes'})</span>
                            </li>
                          ))}
                        </ul>
                      </Td>
                      <Td className="font-mono text-xs">
                        {c.credentials === null ? (
                          <span className="font-sans text-red-700">Stored credentials cannot be opened</span>
                        ) : (
                          Object.values(c.credentials).join(' · ')
                        )}
                      </Td>
                      <Td className="text-xs">
                        <dl className="space-y-0.5">
                          <div>
                            <dt className="inline text-slate-500">Last successful call: </dt>
                            <dd className="inline">{formatDateTime(c.health.lastSuccessAt)}</dd>
                          </div>
                          {c.health.lastError ? (
                            <div className={failing ? 'text-red-700' : 'text-slate-500'}>
                              <dt className="inline">Last error ({formatDateTime(c.health.lastErrorAt)}): </dt>
                              <dd className="inline">{c.health.lastError}</dd>
                            </div>
                          ) : null}
                          <div>
                            <dt className="inline text-slate-500">Rate-limit headroom: </dt>
                            <dd className="inline">
                              {c.health.rateLimit
                                ? `${(c.health.rateLimit.limit - c.health.rateLimit.used).toLocaleString('en')} of ${c.health.rateLimit.limit.toLocaleString('en')} calls left today`
                                : 'not reported by this service'}
                            </dd>
                          </div>
                        </dl>
                        {result ? (
                          <p role="status" className={result.ok ? 'mt-1 text-emerald-800' : 'mt-1 text-red-700'}>
                            {result.message}
                          </p>
                        ) : null}
                      </Td>
                      {canManage ? (
                        <Td className="space-y-1 text-right">
                          <Button
                            size="sm"
                            variant="secondary"
                            aria-label={`Test connection ${c.name}`}
                            disabled={test.isPending && test.variables?.id === c.id}
                            onClick={() => test.mutate({ id: c.id })}
                          >
                            {test.isPending && test.variables?.id === c.id ? 'Testing…' : 'Test connection'}
                          </Button>
                          <Button
                            size="sm"
                            variant="secondary"
                            aria-label={`Rotate credentials of ${c.name}`}
                            onClick={() => setEditing({ mode: 'rotate', connection: c })}
                          >
                            Rotate credentials
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={`Edit ${c.name}`}
                            onClick={() => setEditing({ mode: 'edit', connection: c })}
                          >
                            Edit
                          </Button>
                        </Td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          )}
        </QueryStates>
      </Card>

      <Card>
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">Schedules</h2>
          <p className="text-sm text-slate-600">
            Next runs in your time zone ({zone}). Pausing a routine stops new runs — scheduled, from webhooks and “Run
            now” — and lets a run under way finish.
          </p>
        </div>
        <QueryStates query={{ ...schedules, data: schedules.data?.schedules }} loadingLabel="Loading schedules…">
          {(list) => (
            <Table aria-label="Schedules">
              <thead className="bg-slate-50">
                <tr>
                  <Th>Routine</Th>
                  <Th>Schedule (UTC)</Th>
                  <Th>Next runs</Th>
                  <Th className="text-right">Batch size</Th>
                  <Th>State</Th>
                  {canManage ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {list.map((s) => (
                  <tr key={s.routine} aria-label={s.label}>
                    <Td className="font-medium">{s.label}</Td>
                    <Td>
                      {s.cron === null ? (
                        <span className="text-slate-500">On demand only</span>
                      ) : (
                        <>
                          {s.description ?? 'Custom schedule'}
                          <code className="block font-mono text-xs text-slate-500">{s.cron}</code>
                          {s.cronError ? <span className="block text-xs text-red-700">{s.cronError}</span> : null}
                        </>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap text-xs">
                      {s.nextRuns.length === 0 ? (
                        <span className="text-slate-500">{s.cron && !s.enabled ? 'None while paused' : '—'}</span>
                      ) : (
                        <ul>
                          {s.nextRuns.map((at) => (
                            <li key={at.toISOString()} suppressHydrationWarning>
                              {formatInZone(at, zone)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{s.batchSize?.toLocaleString('en') ?? '—'}</Td>
                    <Td>
                      {s.cron === null ? (
                        <Badge>Not scheduled</Badge>
                      ) : s.enabled ? (
                        <Badge tone="success">Enabled</Badge>
                      ) : (
                        <Badge tone="warning">Paused</Badge>
                      )}
                    </Td>
                    {canManage ? (
                      <Td className="space-x-1 whitespace-nowrap text-right">
                        {s.cron !== null && s.batchSize !== null ? (
                          <Button
                            size="sm"
                            variant="secondary"
                            aria-label={`${s.enabled ? 'Pause' : 'Resume'} ${s.label}`}
                            disabled={saveSchedule.isPending}
                            onClick={() =>
                              saveSchedule.mutate({
                                routine: s.routine,
                                cron: s.cron!,
                                batchSize: s.batchSize!,
                                enabled: !s.enabled,
                              })
                            }
                          >
                            {s.enabled ? 'Pause' : 'Resume'}
                          </Button>
                        ) : null}
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Edit schedule of ${s.label}`}
                          onClick={() => setEditingSchedule(s)}
                        >
                          Edit schedule
                        </Button>
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </QueryStates>
      </Card>

      {editing ? (
        <ConnectionDialog
          key={`${editing.mode}-${editing.connection?.id ?? 'new'}`}
          mode={editing.mode}
          connection={editing.connection}
          legalEntities={legalEntities}
          open
          onOpenChange={(open) => !open && setEditing(null)}
          onSaved={() => {
            const id = editing.connection?.id;
            if (id) setTestResults(({ [id]: _dropped, ...rest }) => rest);
            refreshConnections();
          }}
        />
      ) : null}
      {editingSchedule && schedules.data ? (
        <ScheduleDialog
          key={editingSchedule.routine}
          schedule={editingSchedule}
          batchSize={schedules.data.batchSize}
          open
          onOpenChange={(open) => !open && setEditingSchedule(null)}
          onSaved={refreshSchedules}
        />
      ) : null}
    </>
  );
}
