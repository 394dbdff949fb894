'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Play } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { QueryStates } from '@/components/ui/query-states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import { LocalTime } from '@/components/ui/local-time';
import { SYSTEM_LABELS } from '@/lib/system-labels';
import { backgroundRequest } from '@/lib/background-request';
import { FromNow } from './from-now';

/** Each routine's schedule and upcoming runs, with "Run now" for those allowed to start one. */
export function RoutineSchedules({ canRun, onRunRequested }: { canRun: boolean; onRunRequested: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Next fire times move on as the clock does.
  const schedules = useQuery(
    trpc.runs.schedules.queryOptions(undefined, { ...backgroundRequest, refetchInterval: 60_000 }),
  );
  const runNow = useMutation(
    trpc.runs.runNow.mutationOptions({
      onSuccess: (result) => {
        if (result.queued > 0) toast.success(result.message);
        else toast.warning(result.message);
        onRunRequested();
        void queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.runs.schedules.queryKey() });
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );

  return (
    <Card className="mb-6">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="font-semibold">Schedules</h2>
        <p className="text-sm text-slate-600">
          Each routine runs on its schedule for every enabled source connection and legal entity it serves. Schedules
          are set in UTC; the next runs show in your time zone.
        </p>
      </div>
      <QueryStates query={schedules} loadingLabel="Loading schedules…">
        {(list) => (
          <Table aria-label="Routine schedules">
            <thead className="bg-slate-50">
              <tr>
                <Th>Routine</Th>
                <Th>Schedule</Th>
                <Th>Next runs</Th>
                <Th className="text-right">Batch size</Th>
                <Th>Targets</Th>
                <Th>State</Th>
                {canRun ? (
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 bg-white">
              {list.map((schedule) => {
                const pending = runNow.isPending && runNow.variables?.routine === schedule.routine;
                return (
                  <tr key={schedule.routine}>
                    <Td>
                      <span className="font-medium">{schedule.label}</span>
                      <span className="block text-xs text-slate-500">from {SYSTEM_LABELS[schedule.sourceSystem]}</span>
                    </Td>
                    <Td>
                      {schedule.cron === null ? (
                        <span className="text-slate-500">On demand only</span>
                      ) : (
                        <>
                          {schedule.description ?? <span className="text-slate-500">Custom schedule</span>}
                          <code className="block font-mono text-xs text-slate-500">{schedule.cron}</code>
                          {schedule.cronError ? (
                            <span className="block text-xs text-red-700">{schedule.cronError}</span>
                          ) : null}
                        </>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap text-xs">
                      {schedule.nextRuns.length === 0 ? (
                        <span className="text-slate-500">—</span>
                      ) : (
                        <ul>
                          {schedule.nextRuns.map((at, i) => (
                            <li
                              key={at.toISOString()}
                              className={i === 0 ? 'font-medium text-slate-800' : 'text-slate-500'}
                            >
                              <LocalTime value={at} />
                              {i === 0 ? (
                                <span className="ml-1 text-slate-500">
                                  (<FromNow at={at} />)
                                </span>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{schedule.batchSize?.toLocaleString('en') ?? '—'}</Td>
                    <Td className="text-xs">
                      {schedule.targets === 0 ? (
                        <span className="text-amber-800">
                          No enabled {SYSTEM_LABELS[schedule.sourceSystem]} connection
                        </span>
                      ) : (
                        <span title="Source connection × legal entity pairs, one run each">
                          {schedule.targets} target{schedule.targets === 1 ? '' : 's'}
                        </span>
                      )}
                    </Td>
                    <Td>
                      {schedule.cron === null ? (
                        <Badge>Not scheduled</Badge>
                      ) : schedule.enabled ? (
                        <Badge tone="success">Enabled</Badge>
                      ) : (
                        <Badge tone="warning">Paused</Badge>
                      )}
                    </Td>
                    {canRun ? (
                      <Td className="text-right">
                        <Button
                          size="sm"
                          variant="secondary"
                          disabled={pending}
                          onClick={() => runNow.mutate({ routine: schedule.routine })}
                          aria-label={`Run ${schedule.label} now`}
                        >
                          <Play className="size-3.5" aria-hidden /> {pending ? 'Queuing…' : 'Run now'}
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
  );
}
