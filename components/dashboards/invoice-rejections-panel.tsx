'use client';

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '@/components/trpc/trpc';
import { ChartCard } from './chart-card';
import type { ChartColumn } from './chart-csv';
import type { DashboardInput } from './dashboard-filters';
import { CHART_COLOURS } from './dashboard-format';

interface Row {
  week: string;
  legalEntityId: string;
  reason: string;
  count: number;
}

const COLUMNS: ChartColumn<Row>[] = [
  { header: 'Week of', cell: (r) => r.week },
  { header: 'Legal entity', cell: (r) => r.legalEntityId },
  { header: 'Reason', cell: (r) => r.reason },
  { header: 'Rejections', cell: (r) => String(r.count), numeric: true },
];

/** One bar per week, stacked by reason. */
function byWeek(rows: Row[]) {
  const reasons = [...new Set(rows.map((r) => r.reason))].sort();
  const weeks = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const week = weeks.get(r.week) ?? { week: r.week };
    week[r.reason] = ((week[r.reason] as number | undefined) ?? 0) + r.count;
    weeks.set(r.week, week);
  }
  return { reasons, data: [...weeks.values()] };
}

export function InvoiceRejectionsPanel({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboards.invoiceRejections.queryOptions(input));
  return (
    <ChartCard
      title="Invoice rejections"
      description="Invoices and invoice items the billing system refused, per week (Monday, UTC) by the billing system's reason."
      help="Each record the billing routine held because the billing system rejected it counts once, in the week it was first rejected."
      query={query}
      columns={COLUMNS}
      rowKey={(r) => `${r.week}|${r.legalEntityId}|${r.reason}`}
      emptyTitle="No invoice was rejected in this range."
    >
      {(rows) => {
        const { reasons, data } = byWeek(rows);
        return (
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={data} margin={{ left: 8, bottom: 16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="week" label={{ value: 'Week of', position: 'insideBottom', offset: -8 }} />
              <YAxis allowDecimals={false} label={{ value: 'Rejections', angle: -90, position: 'insideLeft' }} />
              <Tooltip />
              <Legend verticalAlign="top" />
              {reasons.map((reason, i) => (
                <Bar
                  key={reason}
                  dataKey={reason}
                  stackId="reasons"
                  fill={CHART_COLOURS[i % CHART_COLOURS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </ChartCard>
  );
}
