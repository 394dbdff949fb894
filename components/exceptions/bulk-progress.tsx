'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { backgroundRequest } from '@/lib/background-request';

const REFRESH_MS = 1_000;
const OUTCOME_LABEL: Record<string, string> = { failed: 'Still failing', skipped: 'Skipped' };

/** A bulk operation's progress bar while its job works, then its summary with the reasons. */
export function BulkProgress({ id, onFinished, onClose }: { id: string; onFinished: () => void; onClose: () => void }) {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.exceptions.bulkStatus.queryOptions(
      { id },
      {
        ...backgroundRequest,
        refetchInterval: (query) => (query.state.data?.status === 'finished' ? false : REFRESH_MS),
      },
    ),
  );
  const op = status.data;
  const finished = op?.status === 'finished';
  const told = useRef(false);
  useEffect(() => {
    if (finished && !told.current) {
      told.current = true;
      onFinished();
    }
  }, [finished, onFinished]);
  if (!op) return <p className="px-4 py-2 text-sm">Starting…</p>;
  return (
    <section aria-label="Bulk operation" className="border-b border-slate-200 px-4 py-3 text-sm">
      <div className="flex items-center justify-between">
        <span className="font-medium">
          {op.actionLabel}: {op.done.toLocaleString('en')} of {op.total.toLocaleString('en')}
          {finished ? ' — done' : '…'}
        </span>
        {finished ? (
          <Button size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
        ) : null}
      </div>
      <progress className="mt-2 h-2 w-full" max={op.total} value={op.done} aria-label={`${op.actionLabel} progress`} />
      {finished ? (
        <div className="mt-2" role="status">
          <p>
            {op.succeeded.toLocaleString('en')} succeeded · {op.failed.toLocaleString('en')} still failing ·{' '}
            {op.skipped.toLocaleString('en')} skipped
          </p>
          {op.reasons.length ? (
            <ul className="mt-1 list-disc pl-5 text-slate-700">
              {op.reasons.map((r) => (
                <li key={`${r.outcome}:${r.reason}`}>
                  {OUTCOME_LABEL[r.outcome] ?? r.outcome} ({r.count.toLocaleString('en')}):{' '}
                  {r.reason || 'no reason given'}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
