import { csvLine } from '@/lib/csv';

/** One column of a chart's table view: its header and the text of each cell, shared by the table and its CSV. */
export interface ChartColumn<Row> {
  header: string;
  cell: (row: Row) => string;
  /** Numbers read right-aligned. */
  numeric?: boolean;
}

/** The CSV of a chart's table view: the header line, then one line per row, cells exactly as the table shows them. */
export function toCsv<Row>(columns: readonly ChartColumn<Row>[], rows: readonly Row[]): string {
  return csvLine(columns.map((c) => c.header)) + rows.map((row) => csvLine(columns.map((c) => c.cell(row)))).join('');
}

/** A file name from a chart's title: "Sync lag by entity" → "sync-lag-by-entity.csv". */
export function csvFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'chart'}.csv`;
}
