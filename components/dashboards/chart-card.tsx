'use client';

import { BarChart3, Download, Table2 } from 'lucide-react';
import { useId, useState, type ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { csvFileName, toCsv, type ChartColumn } from './chart-csv';

/** What the card reads of the TanStack query that feeds it. */
export interface ChartQuery<Row> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: Row[] | undefined;
  refetch: () => unknown;
}

/**
 * The frame of every dashboard chart: its title and help, a chart ⇄ table switch, a CSV export of
 * exactly the table's rows, and the query's loading / error / empty states. In print the table is
 * shown as well, since a chart's colours and tooltips do not survive paper.
 */
export function ChartCard<Row>({
  title,
  description,
  help,
  query,
  columns,
  rowKey,
  emptyTitle = 'Nothing to show for these filters.',
  cellLink,
  actions,
  children,
}: {
  title: string;
  description?: ReactNode;
  /** A longer note on how the figure is computed, behind a disclosure. */
  help?: ReactNode;
  query: ChartQuery<Row>;
  columns: readonly ChartColumn<Row>[];
  rowKey: (row: Row, index: number) => string;
  emptyTitle?: string;
  /** Renders a table cell as a link (same text as the CSV); return null for plain text. */
  cellLink?: (row: Row, column: ChartColumn<Row>) => string | null;
  /** Controls of this chart alone (e.g. a window switch), beside the view switch. */
  actions?: ReactNode;
  /** The chart itself, given the rows of the table view. */
  children: (rows: Row[]) => ReactNode;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();

  function exportCsv(rows: Row[]) {
    const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = csvFileName(title);
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <Card className="break-inside-avoid" role="region" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div className="min-w-0">
          <h2 id={headingId} className="font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
          {help ? (
            <details className="mt-1 text-xs text-slate-600">
              <summary className="cursor-pointer select-none text-slate-500 print:hidden">How this is computed</summary>
              <div className="mt-1">{help}</div>
            </details>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-2 print:hidden">
          {actions}
          <div role="group" aria-label={`${title}: view`} className="inline-flex rounded-md border border-slate-300">
            <ViewButton pressed={view === 'chart'} onClick={() => setView('chart')} icon={<BarChart3 />}>
              Chart
            </ViewButton>
            <ViewButton pressed={view === 'table'} onClick={() => setView('table')} icon={<Table2 />}>
              Table
            </ViewButton>
          </div>
          <button
            type="button"
            disabled={!query.data || query.data.length === 0}
            onClick={() => query.data && exportCsv(query.data)}
            className="inline-flex h-8 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-400"
          >
            <Download className="size-4" aria-hidden />
            Export CSV<span className="sr-only"> of {title}</span>
          </button>
        </div>
      </div>
      <QueryStates
        query={query}
        loadingLabel={`Loading ${title.toLowerCase()}…`}
        empty={<EmptyState title={emptyTitle} />}
      >
        {(rows) => (
          <>
            <div className={cn('p-4', view === 'table' && 'hidden', 'print:hidden')}>{children(rows)}</div>
            <div className={cn(view === 'chart' && 'hidden', 'print:block')}>
              <Table aria-label={`${title} (table)`}>
                <thead className="bg-slate-50">
                  <tr>
                    {columns.map((c) => (
                      <Th key={c.header} className={c.numeric ? 'text-right' : undefined}>
                        {c.header}
                      </Th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((row, i) => (
                    <tr key={rowKey(row, i)}>
                      {columns.map((c) => {
                        const text = c.cell(row);
                        const href = cellLink?.(row, c) ?? null;
                        return (
                          <Td key={c.header} className={c.numeric ? 'text-right tabular-nums' : undefined}>
                            {href ? (
                              <a href={href} className="text-brand-700 underline">
                                {text}
                              </a>
                            ) : (
                              text
                            )}
                          </Td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          </>
        )}
      </QueryStates>
    </Card>
  );
}

function ViewButton({
  pressed,
  onClick,
  icon,
  children,
}: {
  pressed: boolean;
  onClick: () => void;
  icon: ReactNode;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={cn(
        'inline-flex h-8 items-center gap-1 px-2 text-sm first:rounded-l-md last:rounded-r-md [&_svg]:size-4',
        pressed ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-100',
      )}
    >
      <span aria-hidden>{icon}</span>
      {children}
    </button>
  );
}
