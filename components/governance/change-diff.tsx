import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import type { RowChange } from '@/server/services/governance/diff-rows';

/** One column of a policy row as shown in a diff: which field, its heading, how to show a value. */
export interface DiffColumn<Row> {
  field: keyof Row & string;
  header: string;
  format?: (value: Row[keyof Row], row: Row) => ReactNode;
}

const KIND = {
  added: { label: 'Added', tone: 'success' },
  removed: { label: 'Removed', tone: 'danger' },
  changed: { label: 'Changed', tone: 'warning' },
} as const;

/**
 * The changes between two versions of a keyed policy, one line per row that was added, removed or
 * changed; a changed field reads "before → after", unchanged fields are shown plainly.
 */
export function ChangeDiff<Row>({
  changes,
  rowLabel,
  rowHeader,
  columns,
  empty = 'No changes.',
  caption,
}: {
  changes: readonly RowChange<Row>[];
  rowLabel: (row: Row) => ReactNode;
  rowHeader: string;
  columns: readonly DiffColumn<Row>[];
  empty?: string;
  caption?: string;
}) {
  if (changes.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <Table aria-label={caption ?? 'Changes'}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className="bg-slate-50">
        <tr>
          <Th>{rowHeader}</Th>
          <Th>Change</Th>
          {columns.map((column) => (
            <Th key={column.field}>{column.header}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {changes.map((change) => {
          const row = change.kind === 'removed' ? change.before : change.after;
          return (
            <tr key={change.key} data-change={change.kind}>
              <Td className="font-medium">{rowLabel(row)}</Td>
              <Td>
                <Badge tone={KIND[change.kind].tone}>{KIND[change.kind].label}</Badge>
              </Td>
              {columns.map((column) => (
                <Td key={column.field}>
                  <DiffCell change={change} column={column} />
                </Td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

function DiffCell<Row>({ change, column }: { change: RowChange<Row>; column: DiffColumn<Row> }) {
  const show = (row: Row) => {
    const value = row[column.field];
    if (column.format) return column.format(value, row);
    return value === null || value === undefined || value === '' ? '—' : String(value);
  };
  if (change.kind === 'added') return <>{show(change.after)}</>;
  if (change.kind === 'removed') return <span className="text-slate-500 line-through">{show(change.before)}</span>;
  if (!change.fields.includes(column.field)) return <span className="text-slate-600">{show(change.after)}</span>;
  return (
    <span>
      <span className="text-slate-500 line-through">{show(change.before)}</span>
      <span> → </span>
      <span className="font-semibold">{show(change.after)}</span>
    </span>
  );
}
