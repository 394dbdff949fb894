'use client';

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '@/components/trpc/trpc';
import { formatMoney } from '@/lib/format-money';
import { ChartCard } from './chart-card';
import type { ChartColumn } from './chart-csv';
import type { DashboardInput } from './dashboard-filters';
import { CHART_COLOURS, formatSeconds } from './dashboard-format';
import type { StuckActivation as Item } from './dashboard-types';

const COLUMNS: ChartColumn<Item>[] = [
  { header: 'Opportunity', cell: (i) => i.opportunityId },
  { header: 'Legal entity', cell: (i) => i.entityName },
  { header: 'Region', cell: (i) => i.region },
  { header: 'Age', cell: (i) => formatSeconds(i.ageHours * 3600) },
  { header: 'Amount', cell: (i) => (i.amount && i.currency ? formatMoney(i.amount, i.currency) : '—'), numeric: true },
  { header: 'Held by exception', cell: (i) => i.code },
];

export function StuckActivationsPanel({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboards.stuckActivations.queryOptions(input));
  const data = query.data;
  return (
    <ChartCard
      title="Stuck project activations"
      description={
        data
          ? `Closed-won deals without an active project more than ${data.slaHours} h after the activation routine first held them.`
          : 'Closed-won deals without an active project past the SLA.'
      }
      help="Each deal counts once, by the open exception that holds it; the table lists them oldest first with the deal's amount in its own currency."
      query={{ ...query, data: data?.items }}
      columns={COLUMNS}
      rowKey={(i) => i.exceptionId}
      cellLink={(i, c) => (c.header === 'Held by exception' ? `/exceptions/${i.exceptionId}` : null)}
      emptyTitle="No deal is waiting for its project past the SLA."
    >
      {() => (
        <div>
          <p className="mb-2 text-sm text-slate-700">
            By region:{' '}
            {data!.byRegion.map((r, i) => (
              <span key={r.region}>
                {i > 0 ? ' · ' : ''}
                <strong>{r.region}</strong> {r.count}
              </span>
            ))}
          </p>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={data!.byEntity} margin={{ left: 8, bottom: 16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="entityName" label={{ value: 'Legal entity', position: 'insideBottom', offset: -8 }} />
              <YAxis allowDecimals={false} label={{ value: 'Stuck deals', angle: -90, position: 'insideLeft' }} />
              <Tooltip />
              <Legend verticalAlign="top" />
              <Bar dataKey="count" name="Stuck deals" fill={CHART_COLOURS[1]} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartCard>
  );
}
