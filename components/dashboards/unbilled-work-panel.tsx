'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { parseAsString, useQueryState } from 'nuqs';
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
import { TraceLink } from '@/components/trace/trace-link';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { formatMoney } from '@/lib/format-money';
import { objectTypeLabel } from '@/lib/system-labels';
import { isUnbilledAgeBucket, UNBILLED_AGE_BUCKETS, type UnbilledAgeBucket } from '@/lib/unbilled-age-buckets';
import { ChartCard } from './chart-card';
import type { ChartColumn } from './chart-csv';
import type { DashboardInput } from './dashboard-filters';
import { CHART_COLOURS } from './dashboard-format';
import type { UnbilledCell, UnbilledTrendPoint } from './dashboard-types';

const money = (m: { amount: string; currency: string } | null) => (m ? formatMoney(m.amount, m.currency) : '—');
// Bar heights only: every figure shown in words is the exact decimal string.
const plotted = (m: { amount: string } | null) => (m ? Number(m.amount) : 0);

const CELL_COLUMNS: ChartColumn<UnbilledCell>[] = [
  { header: 'Legal entity', cell: (c) => c.entityName },
  { header: 'Age', cell: (c) => c.bucket },
  { header: 'Unbilled', cell: (c) => money(c.amount), numeric: true },
  { header: 'In reporting currency', cell: (c) => money(c.converted), numeric: true },
  { header: 'Records', cell: (c) => c.records.toLocaleString('en'), numeric: true },
  { header: 'Unpriced', cell: (c) => c.unpriced.toLocaleString('en'), numeric: true },
];

const TREND_COLUMNS: ChartColumn<UnbilledTrendPoint>[] = [
  { header: 'Week ending', cell: (p) => p.day },
  { header: 'Unbilled (reporting currency)', cell: (p) => money(p.converted), numeric: true },
];

/** The amount axis says its currency; set left of the ticks so the two never overlap. */
const amountLabel = (currency = 'USD') => ({
  value: `Unbilled (${currency})`,
  angle: -90,
  position: 'left' as const,
  offset: 4,
  style: { textAnchor: 'middle' as const },
});

/** An axis tick: "US$36K". */
function compactMoney(value: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, notation: 'compact' }).format(value);
}

/** Which cell's records are listed, kept in the address: "UK|8–30 days". */
const drillParser = parseAsString.withDefault('');

export function UnbilledWorkPanel({ input }: { input: DashboardInput }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboards.unbilledWork.queryOptions(input));
  const [drill, setDrill] = useQueryState('unbilled', drillParser.withOptions({ history: 'push' }));
  const data = query.data;
  const buckets = UNBILLED_AGE_BUCKETS.filter((b) => data?.cells.some((c) => c.bucket === b));
  const chartRows = (cells: UnbilledCell[]) =>
    [...new Set(cells.map((c) => c.legalEntityId))].map((legalEntityId) => {
      const row: Record<string, string | number> = { legalEntityId };
      for (const c of cells.filter((x) => x.legalEntityId === legalEntityId)) row[c.bucket] = plotted(c.converted);
      return row;
    });
  const [drillEntity, drillBucket] = drill.split('|');
  return (
    <>
      <ChartCard
        title="Unbilled approved work"
        description={
          data
            ? `Approved time, completed milestones and fees due not yet on an invoice: ${money(data.total.converted)} in all (${data.total.records.toLocaleString('en')} records${data.total.unpriced ? `, ${data.total.unpriced} without a price` : ''}), by age of the work.`
            : 'Approved work not yet on an invoice, by legal entity and age.'
        }
        help={
          <>
            Read from totals billing keeps per day as it runs. Each cell is summed exactly in the entity’s currency,
            then converted once at the rate in force today and rounded half-even to the cent; the all-entity total adds
            each currency’s converted total.
            {data?.rates.length ? (
              <>
                {' '}
                Rates used: {data.rates.map((r) => `1 ${r.from} = ${r.rate} ${r.to} (from ${r.validFrom})`).join(' · ')}
                .
              </>
            ) : null}
          </>
        }
        query={{ ...query, data: data?.cells }}
        columns={CELL_COLUMNS}
        rowKey={(c) => `${c.legalEntityId}|${c.bucket}`}
        cellLink={(c, column) =>
          column.header === 'Records' ? `?${drillHref(input, `${c.legalEntityId}|${c.bucket}`)}` : null
        }
        emptyTitle="No approved work is waiting to be billed."
      >
        {(cells) => (
          <div>
            {data?.problems.length ? (
              <p role="alert" className="mb-2 text-sm text-amber-900">
                {data.problems.join(' ')} An admin can add it under Admin → Exchange rates.
              </p>
            ) : null}
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={chartRows(cells)} margin={{ left: 16, bottom: 16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis
                  dataKey="legalEntityId"
                  label={{ value: 'Legal entity', position: 'insideBottom', offset: -8 }}
                />
                <YAxis
                  tickFormatter={(value: number) => compactMoney(value, data?.reportingCurrency)}
                  width={72}
                  label={amountLabel(data?.reportingCurrency)}
                />
                <Tooltip formatter={(value) => formatMoney(String(value), data?.reportingCurrency ?? 'USD')} />
                <Legend verticalAlign="top" itemSorter={(item) => buckets.indexOf(item.dataKey as UnbilledAgeBucket)} />
                {buckets.map((bucket, i) => (
                  <Bar
                    key={bucket}
                    dataKey={bucket}
                    stackId="age"
                    name={bucket}
                    fill={CHART_COLOURS[i % CHART_COLOURS.length]}
                    cursor="pointer"
                    isAnimationActive={false}
                    onClick={(row: { payload?: { legalEntityId?: string } }) =>
                      row.payload?.legalEntityId && void setDrill(`${row.payload.legalEntityId}|${bucket}`)
                    }
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
            <p className="mt-1 text-xs text-slate-500">Choose a bar, or a count in the table, to list its records.</p>
          </div>
        )}
      </ChartCard>
      {drillEntity && drillBucket ? (
        <UnbilledRecords entity={drillEntity} bucket={drillBucket} onClose={() => void setDrill(null)} />
      ) : null}
      <ChartCard
        title="Unbilled approved work, week by week"
        description="What was approved and not yet invoiced at the end of each week of the range, in the reporting currency."
        help="Each week’s amount is converted at the rate in force that day."
        query={{ ...query, data: data?.trend }}
        columns={TREND_COLUMNS}
        rowKey={(p) => p.day}
        emptyTitle="No weeks in this range."
      >
        {(points) => (
          <ResponsiveContainer width="100%" height={220}>
            <LineChart
              data={points.map((p) => ({ day: p.day, amount: plotted(p.converted) }))}
              margin={{ left: 16, bottom: 16 }}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" label={{ value: 'Week ending', position: 'insideBottom', offset: -8 }} />
              <YAxis
                tickFormatter={(value: number) => compactMoney(value, data?.reportingCurrency)}
                width={72}
                label={amountLabel(data?.reportingCurrency)}
              />
              <Tooltip formatter={(value) => formatMoney(String(value), data?.reportingCurrency ?? 'USD')} />
              <Line
                type="monotone"
                dataKey="amount"
                name="Unbilled"
                stroke={CHART_COLOURS[0]}
                dot
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        )}
      </ChartCard>
    </>
  );
}

/** The page's address with one cell's records listed. */
function drillHref(input: DashboardInput, cell: string): string {
  const params = new URLSearchParams(input as Record<string, string>);
  params.set('unbilled', cell);
  return params.toString();
}

function UnbilledRecords({ entity, bucket, onClose }: { entity: string; bucket: string; onClose: () => void }) {
  const trpc = useTRPC();
  const known = isUnbilledAgeBucket(bucket);
  const records = useInfiniteQuery(
    trpc.dashboards.unbilledRecords.infiniteQueryOptions(
      { entity, bucket: known ? bucket : UNBILLED_AGE_BUCKETS[0] },
      { getNextPageParam: (page) => page.next, enabled: known },
    ),
  );
  const items = records.data?.pages.flatMap((p) => p.items);
  return (
    <section aria-label="Unbilled records" className="rounded-lg border border-slate-200 bg-white xl:col-span-2">
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
        <h2 className="font-semibold">
          Unbilled work in {entity}, {bucket}
        </h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {!known ? (
        <p className="p-4 text-sm">“{bucket}” is not an age bucket.</p>
      ) : (
        <QueryStates
          query={{ ...records, data: items }}
          loadingLabel="Loading records…"
          empty={<EmptyState title="No unbilled record in this cell any more." />}
        >
          {(rows) => (
            <>
              <Table aria-label="Unbilled records">
                <thead className="bg-slate-50">
                  <tr>
                    <Th>Record</Th>
                    <Th>Project</Th>
                    <Th>Work date</Th>
                    <Th className="text-right">Amount</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((r) => (
                    <tr key={r.canonicalId}>
                      <Td>
                        {objectTypeLabel(r.sourceType)}{' '}
                        <TraceLink id={r.sourceId} label={`Trace NetSuite ${r.sourceType} ${r.sourceId}`}>
                          {r.sourceId}
                        </TraceLink>
                      </Td>
                      <Td>{r.projectId ?? '—'}</Td>
                      <Td className="tabular-nums">{r.workDate}</Td>
                      <Td className="text-right tabular-nums">{r.amount ? money(r.amount) : 'no price'}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              {records.hasNextPage ? (
                <div className="p-3">
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={records.isFetchingNextPage}
                    onClick={() => void records.fetchNextPage()}
                  >
                    {records.isFetchingNextPage ? 'Loading…' : 'Load more'}
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </QueryStates>
      )}
    </section>
  );
}
