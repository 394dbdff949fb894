'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Card } from '@/components/ui/card';
import { errorMessage } from '@/lib/error-message';
import type { DashboardInput } from './dashboard-filters';
import { formatChange, formatMoneyChange, formatSeconds } from './dashboard-format';
import { formatMoney } from '@/lib/format-money';

/** The figures read first each morning, each with its change since last week. */
export function HeadlineStrip({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const headlines = useQuery(trpc.dashboards.headlines.queryOptions(input));
  const h = headlines.data;
  const pending = headlines.isPending ? 'Loading…' : headlines.isError ? errorMessage(headlines.error) : null;
  return (
    <section aria-label="Headline figures" className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <Headline
        label="Unbilled approved work"
        value={h ? (h.unbilled.now ? formatMoney(h.unbilled.now.amount, h.unbilled.now.currency) : '—') : pending}
        change={h ? formatMoneyChange(h.unbilled.now, h.unbilled.weekAgo) : null}
      />
      <Headline
        label="Stuck project activations"
        value={h ? String(h.stuckActivations.now ?? 0) : pending}
        change={h ? formatChange(h.stuckActivations.now, h.stuckActivations.weekAgo) : null}
      />
      <Headline
        label="Worst sync lag (p95, 24 h)"
        value={h ? formatSeconds(h.worstLagSeconds.now) : pending}
        change={h ? formatChange(h.worstLagSeconds.now, h.worstLagSeconds.weekAgo, formatSeconds) : null}
      />
      <Headline
        label="Open exceptions"
        value={h ? String(h.openExceptions.now ?? 0) : pending}
        change={h ? formatChange(h.openExceptions.now, h.openExceptions.weekAgo) : null}
      />
    </section>
  );
}

function Headline({ label, value, change }: { label: string; value: ReactNode; change: string | null }) {
  return (
    <Card className="break-inside-avoid px-4 py-3">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      {change ? <p className="mt-0.5 text-xs text-slate-500">{change}</p> : null}
    </Card>
  );
}
