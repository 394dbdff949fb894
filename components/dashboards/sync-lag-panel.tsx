'use client';

import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, CheckCircle2, CircleSlash, OctagonAlert } from 'lucide-react';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { cn } from '@/lib/cn';
import { ChartCard } from './chart-card';
import type { ChartColumn } from './chart-csv';
import type { DashboardInput } from './dashboard-filters';
import { formatSeconds } from './dashboard-format';
import type { SyncLagCell as Cell } from './dashboard-types';

/** Blue and orange (colour-blind safe), each with its icon and word. */
const STANDING = {
  within: { word: 'Within target', Icon: CheckCircle2, className: 'bg-sky-50 text-sky-900 ring-sky-200' },
  behind: { word: 'Behind', Icon: AlertTriangle, className: 'bg-amber-50 text-amber-900 ring-amber-300' },
  far_behind: { word: 'Far behind', Icon: OctagonAlert, className: 'bg-orange-200 text-orange-950 ring-orange-400' },
  no_data: { word: 'No sync yet', Icon: CircleSlash, className: 'bg-slate-50 text-slate-600 ring-slate-200' },
} as const satisfies Record<Cell['standing'], unknown>;

const WINDOWS = { '24h': 'Last 24 h', '7d': 'Last 7 days' } as const;

const COLUMNS: ChartColumn<Cell>[] = [
  { header: 'Routine', cell: (c) => c.routineLabel },
  { header: 'Legal entity', cell: (c) => c.entityName },
  { header: 'Freshness', cell: (c) => formatSeconds(c.freshnessSeconds) },
  { header: 'p50 latency', cell: (c) => formatSeconds(c.p50Seconds) },
  { header: 'p95 latency', cell: (c) => formatSeconds(c.p95Seconds) },
  { header: 'Backlog (records)', cell: (c) => String(c.backlog), numeric: true },
  {
    header: 'Last run',
    cell: (c) => (c.lastRunAt ? `${c.lastRunAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—'),
  },
  { header: 'Last run outcome', cell: (c) => c.lastRunStatus ?? '—' },
  { header: 'Target', cell: (c) => formatSeconds(c.targetSeconds) },
  { header: 'Standing', cell: (c) => STANDING[c.standing].word },
];

export function SyncLagPanel({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const [span, setSpan] = useState<keyof typeof WINDOWS>('24h');
  const query = useQuery(trpc.dashboards.syncLag.queryOptions({ ...input, window: span }));
  return (
    <ChartCard
      title="Sync lag by entity"
      description={`Freshness (now − last watermark), end-to-end latency (source change → target confirmed, ${WINDOWS[span].toLowerCase()}) and backlog, per routine and legal entity.`}
      help="A cell is within target when both its freshness and its p95 latency are within the routine's lag target, behind up to twice the target, far behind beyond it. Latency counts the changes made in the window, so history a first sync catches up on is not read as lag; a sync that stopped shows in its freshness. Backlog counts records held by open exceptions."
      query={query}
      columns={COLUMNS}
      rowKey={(c) => `${c.routine}|${c.legalEntityId}`}
      actions={
        <label className="flex items-center gap-1 text-sm text-slate-700">
          Latency over
          <select
            value={span}
            onChange={(e) => setSpan(e.target.value as keyof typeof WINDOWS)}
            className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm"
          >
            {Object.entries(WINDOWS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {(cells) => <LagGrid cells={cells} />}
    </ChartCard>
  );
}

/** Routines down, entities across; each cell says its standing in colour, icon and word. */
function LagGrid({ cells }: { cells: Cell[] }) {
  const routines = [...new Map(cells.map((c) => [c.routine, c.routineLabel])).entries()];
  const entities = [...new Map(cells.map((c) => [c.legalEntityId, c.entityName])).entries()];
  const cellOf = new Map(cells.map((c) => [`${c.routine}|${c.legalEntityId}`, c]));
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full border-separate border-spacing-1 text-sm" aria-label="Sync lag grid">
        <thead>
          <tr>
            <th scope="col" className="text-left text-xs font-semibold text-slate-500">
              Routine
            </th>
            {entities.map(([id, name]) => (
              <th key={id} scope="col" className="text-left text-xs font-semibold text-slate-500">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {routines.map(([routine, label]) => (
            <tr key={routine}>
              <th scope="row" className="pr-2 text-left font-medium text-slate-800">
                {label}
              </th>
              {entities.map(([id]) => {
                const c = cellOf.get(`${routine}|${id}`)!;
                const { word, Icon, className } = STANDING[c.standing];
                return (
                  <td key={id} className={cn('rounded-md px-2 py-1.5 align-top ring-1 ring-inset', className)}>
                    <span className="flex items-center gap-1 font-medium">
                      <Icon className="size-4" aria-hidden />
                      {word}
                    </span>
                    <span className="block text-xs">
                      fresh {formatSeconds(c.freshnessSeconds)} · p95 {formatSeconds(c.p95Seconds)} · backlog{' '}
                      {c.backlog}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
