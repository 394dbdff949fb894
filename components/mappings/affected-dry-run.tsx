'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { dryRunInPages } from '@/lib/affected-dry-run';
import { errorMessage } from '@/lib/error-message';
import type { AffectedDryRunView } from './mapping-types';

const OUTCOME_WORDS = {
  delivered: 'would go through',
  noop: 'were delivered before',
  superseded: 'have moved on at the source',
  exception: 'would fail again',
} as const;

// Beyond this many, the exceptions are read in the queue rather than listed here.
const LISTED = 200;

/**
 * Dry-runs every open exception a published mapping may fix, a page at a time with its progress
 * shown, and then what replaying them would do; nothing is written.
 */
export function AffectedDryRun({ exceptionIds, queueHref }: { exceptionIds: string[]; queueHref: string }) {
  const trpc = useTRPC();
  const page = useMutation(trpc.mappings.dryRunAffected.mutationOptions());
  const [progress, setProgress] = useState<{ done: number } | null>(null);
  const [plan, setPlan] = useState<AffectedDryRunView | null>(null);
  const running = progress !== null && progress.done < exceptionIds.length && !plan;

  const start = async () => {
    setPlan(null);
    setProgress({ done: 0 });
    try {
      setPlan(
        await dryRunInPages(
          exceptionIds,
          (ids) => page.mutateAsync({ exceptionIds: ids }),
          (done) => setProgress({ done }),
        ),
      );
    } catch (error) {
      setProgress(null);
      toast.error(errorMessage(error));
    }
  };

  return (
    <>
      <Button disabled={running} onClick={() => void start()}>
        {running ? 'Dry-running…' : 'Dry-run replay the open exceptions this mapping caused'}
      </Button>
      {running ? (
        <div className="text-sm">
          <p aria-live="polite">
            Dry-running: {progress.done} of {exceptionIds.length} exceptions
          </p>
          <progress
            className="mt-2 h-2 w-full"
            max={exceptionIds.length}
            value={progress.done}
            aria-label="Dry run progress"
          />
        </div>
      ) : null}
      {plan ? <DryRunResult plan={plan} queueHref={queueHref} /> : null}
    </>
  );
}

function DryRunResult({ plan, queueHref }: { plan: AffectedDryRunView; queueHref: string }) {
  const counts = new Map<keyof typeof OUTCOME_WORDS, number>();
  for (const o of plan.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  const listed = plan.outcomes.slice(0, LISTED);
  return (
    <section
      aria-label="Dry run of affected exceptions"
      className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-4"
    >
      <h3 className="font-semibold">Dry run: nothing was written</h3>
      <ul aria-label="Outcomes" className="list-disc pl-5 text-sm">
        {[...counts].map(([outcome, count]) => (
          <li key={outcome}>
            {count} {OUTCOME_WORDS[outcome]}
          </li>
        ))}
      </ul>
      {plan.summary.length > 0 ? (
        <ul aria-label="Plan summary" className="list-disc pl-5 text-sm">
          {plan.summary.map((s) => (
            <li key={`${s.system}|${s.objectType}|${s.action}`}>
              {s.system}: {s.action} {s.count} {s.objectType}
            </li>
          ))}
        </ul>
      ) : null}
      <ul aria-label="Affected exceptions" className="text-sm">
        {listed.map((o) => (
          <li key={o.exceptionId}>
            <Link className="text-brand-700 hover:underline" href={`/exceptions/${o.exceptionId}`}>
              {o.exceptionId.slice(0, 8)}
            </Link>{' '}
            {OUTCOME_WORDS[o.outcome]}
            {o.reason ? ` (${o.reason})` : ''}
          </li>
        ))}
      </ul>
      {plan.outcomes.length > listed.length ? (
        <p className="text-sm text-slate-600">
          The first {listed.length} of {plan.outcomes.length} are listed;{' '}
          <Link className="text-brand-700 hover:underline" href={queueHref}>
            open them all in the queue
          </Link>
          .
        </p>
      ) : null}
    </section>
  );
}
