'use client';

import { useQuery } from '@tanstack/react-query';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useTRPC } from '@/components/trpc/trpc';
import { ChartCard } from './chart-card';
import type { ChartColumn } from './chart-csv';
import type { DashboardInput } from './dashboard-filters';
import { CHART_COLOURS, formatSeconds } from './dashboard-format';

const TEAM_LABEL: Record<string, string> = { finance: 'Finance', operations: 'Operations', integration: 'Integration' };
const team = (t: string) => TEAM_LABEL[t] ?? t;

interface OpenRow {
  team: string;
  bucket: string;
  count: number;
}
interface DayRow {
  day: string;
  created: number;
  resolved: number;
}
interface ResolveRow {
  team: string;
  resolved: number;
  medianSeconds: number | null;
}

const OPEN_COLUMNS: ChartColumn<OpenRow>[] = [
  { header: 'Team', cell: (r) => team(r.team) },
  { header: 'Age', cell: (r) => r.bucket },
  { header: 'Open exceptions', cell: (r) => String(r.count), numeric: true },
];
const DAY_COLUMNS: ChartColumn<DayRow>[] = [
  { header: 'Day', cell: (r) => r.day },
  { header: 'Created', cell: (r) => String(r.created), numeric: true },
  { header: 'Resolved', cell: (r) => String(r.resolved), numeric: true },
];
const RESOLVE_COLUMNS: ChartColumn<ResolveRow>[] = [
  { header: 'Team', cell: (r) => team(r.team) },
  { header: 'Resolved in range', cell: (r) => String(r.resolved), numeric: true },
  { header: 'Median time to resolve', cell: (r) => formatSeconds(r.medianSeconds) },
];

/** Teams across, one stacked segment per age bucket. */
function openByTeam(rows: OpenRow[]) {
  const buckets = [...new Set(rows.map((r) => r.bucket))];
  const teams = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const t = teams.get(r.team) ?? { team: team(r.team) };
    t[r.bucket] = r.count;
    teams.set(r.team, t);
  }
  return { buckets, data: [...teams.values()] };
}

export function ExceptionHealthPanels({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboards.exceptionHealth.queryOptions(input));
  const part = <K extends 'openByTeam' | 'perDay' | 'timeToResolve'>(key: K) => ({
    ...query,
    data: query.data?.[key],
  });
  return (
    <>
      <ChartCard
        title="Open exceptions by team and age"
        description="Exceptions still open, assigned or in progress, by the team that owns them and how long since first seen."
        query={part('openByTeam')}
        columns={OPEN_COLUMNS}
        rowKey={(r) => `${r.team}|${r.bucket}`}
      >
        {(rows) => {
          const { buckets, data } = openByTeam(rows);
          return (
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={data} margin={{ left: 8, bottom: 16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="team" label={{ value: 'Team', position: 'insideBottom', offset: -8 }} />
                <YAxis allowDecimals={false} label={{ value: 'Open exceptions', angle: -90, position: 'insideLeft' }} />
                <Tooltip />
                <Legend verticalAlign="top" itemSorter={(item) => buckets.indexOf(String(item.dataKey))} />
                {buckets.map((bucket, i) => (
                  <Bar key={bucket} dataKey={bucket} stackId="age" fill={CHART_COLOURS[i]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          );
        }}
      </ChartCard>
      <ChartCard
        title="Exceptions created and resolved per day"
        description="Per day (UTC) in the date range: exceptions first seen, and exceptions resolved."
        query={part('perDay')}
        columns={DAY_COLUMNS}
        rowKey={(r) => r.day}
      >
        {(rows) => (
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={rows} margin={{ left: 8, bottom: 16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" label={{ value: 'Day (UTC)', position: 'insideBottom', offset: -8 }} />
              <YAxis allowDecimals={false} label={{ value: 'Exceptions', angle: -90, position: 'insideLeft' }} />
              <Tooltip />
              <Legend verticalAlign="top" />
              <Line dataKey="created" name="Created" stroke={CHART_COLOURS[5]} dot={false} isAnimationActive={false} />
              <Line
                dataKey="resolved"
                name="Resolved"
                stroke={CHART_COLOURS[0]}
                strokeDasharray="5 3"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        )}
      </ChartCard>
      <ChartCard
        title="Median time to resolve"
        description="From first seen to resolved, for exceptions resolved in the date range, by team."
        query={part('timeToResolve')}
        columns={RESOLVE_COLUMNS}
        rowKey={(r) => r.team}
      >
        {(rows) => (
          <ResponsiveContainer width="100%" height={240}>
            <BarChart
              data={rows.map((r) => ({
                team: team(r.team),
                hours: r.medianSeconds === null ? 0 : r.medianSeconds / 3600,
              }))}
              margin={{ left: 8, bottom: 16 }}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="team" label={{ value: 'Team', position: 'insideBottom', offset: -8 }} />
              <YAxis label={{ value: 'Median (hours)', angle: -90, position: 'insideLeft' }} />
              <Tooltip formatter={(v) => `${Number(v).toFixed(1)} h`} />
              <Bar
                dataKey="hours"
                name="Median time to resolve (h)"
                fill={CHART_COLOURS[0]}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        )}
      </ChartCard>
    </>
  );
}
