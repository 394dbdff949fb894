import { Badge } from '@/components/ui/badge';
import { objectTypeLabel, SYSTEM_LABELS } from '@/lib/system-labels';
import type { DryRunView, ReplayView } from './exception-types';

const ACTION_LABEL = { create: 'Create', update: 'Update', unchanged: 'Leave alone' } as const;
const ACTION_TONE = { create: 'info', update: 'warning', unchanged: 'neutral' } as const;
const OUTCOME_WORDS: Record<ReplayView['outcome'], string> = {
  delivered: 'would go through',
  noop: 'was delivered before: nothing to write',
  superseded: 'has moved on at the source: the exception would close as superseded and nothing is written',
  exception: 'would fail again',
};

const shown = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** What a replay would do, per target system: each write with its idempotency key and field changes. */
export function DryRunPlan({ plan }: { plan: DryRunView }) {
  const outcome = plan.outcomes[0];
  const systems = [...new Set(plan.writes.map((w) => w.system))];
  return (
    <section aria-label="Dry-run plan" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4">
      <h3 className="font-semibold">Dry run: nothing was written</h3>
      {outcome ? (
        <p className="text-sm">
          The record {OUTCOME_WORDS[outcome.outcome]}
          {outcome.reason ? ` (${outcome.reason})` : ''}.
        </p>
      ) : null}
      {plan.summary.length > 0 ? (
        <ul className="text-sm" aria-label="Plan summary">
          {plan.summary.map((s) => (
            <li key={`${s.system}-${s.objectType}-${s.action}`}>
              {SYSTEM_LABELS[s.system as keyof typeof SYSTEM_LABELS] ?? s.system}:{' '}
              {ACTION_LABEL[s.action].toLowerCase()} {s.count} {objectTypeLabel(s.objectType)}
              {s.count === 1 ? '' : 's'}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No write to any system.</p>
      )}
      {systems.map((system) => (
        <div key={system}>
          <h4 className="text-sm font-medium">{SYSTEM_LABELS[system as keyof typeof SYSTEM_LABELS] ?? system}</h4>
          <ul className="mt-1 space-y-2">
            {plan.writes
              .filter((w) => w.system === system)
              .map((w) => (
                <li key={w.idempotencyKey} className="rounded border border-slate-200 bg-white p-2 text-xs">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={ACTION_TONE[w.action]}>{ACTION_LABEL[w.action]}</Badge>
                    <span className="font-medium">{objectTypeLabel(w.objectType)}</span>
                    {w.targetId ? <span className="font-mono">{w.targetId}</span> : null}
                  </div>
                  <p className="mt-1 text-slate-600">
                    Idempotency key: <code className="break-all">{w.idempotencyKey}</code>
                  </p>
                  {w.action === 'update' && w.changes ? (
                    <table className="mt-1 w-full" aria-label={`Changes to ${objectTypeLabel(w.objectType)}`}>
                      <thead>
                        <tr className="text-left text-slate-500">
                          <th scope="col">Field</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        {w.changes.map((c) => (
                          <tr key={c.field}>
                            <td className="font-mono">{c.field}</td>
                            <td className="font-mono text-red-700">{shown(c.before)}</td>
                            <td className="font-mono text-emerald-700">{shown(c.after)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : w.action === 'create' ? (
                    <details className="mt-1">
                      <summary className="cursor-pointer">Fields it would send</summary>
                      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3">
                        {Object.entries(w.fields).map(([k, v]) => (
                          <div key={k} className="contents">
                            <dt className="font-mono">{k}</dt>
                            <dd className="break-all font-mono">{shown(v)}</dd>
                          </div>
                        ))}
                      </dl>
                    </details>
                  ) : null}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

const REPLAY_WORDS: Record<ReplayView['outcome'], string> = {
  delivered: 'Replayed: the record went through and the exception is resolved.',
  noop: 'Replayed: every write had been made before; the exception is resolved.',
  superseded: 'The record has moved on at the source: the exception is closed as superseded and nothing was written.',
  exception: 'The replay failed again; the exception stays open.',
};

export function ReplayOutcome({ outcome }: { outcome: ReplayView }) {
  return (
    <p
      role="status"
      className={`rounded-md border p-3 text-sm ${outcome.resolved ? 'border-emerald-200 bg-emerald-50 text-emerald-900' : 'border-red-200 bg-red-50 text-red-900'}`}
    >
      {REPLAY_WORDS[outcome.outcome]}
      {outcome.reason ? ` (${outcome.reason})` : ''}
    </p>
  );
}
